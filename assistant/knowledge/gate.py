"""Relevant or silent: ranked suggestions for one slot of a project, each with its reason.

``Advisor.advise(facts, level1, level2)`` is the one call the interview, the TUI, ``jixiao
draft`` and ``jixiao suggest`` share. Under it, the search engine (lexical + semantic when
loaded) finds candidates; the gate keeps

- a precedent from a table of the same kind (reason 同类项目),
- a precedent of another kind only when it shares a content word with the project's facts
  and its search score reaches the calibrated threshold (reason 共有词),
- a common indicator (library entry, or a name with no content word at all) (reason 共性指标),

ranks them in that order, and otherwise says "没有相近的先例" and offers the kind's
templates filled with the user's own activity (reason 类别模板). Thresholds are calibrated on
a held-out split by ``bench/suggest_quality.py --calibrate`` and kept in corpus/gate.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant import config
from assistant.knowledge import templates as tpl
from assistant.knowledge.compose import (
    COMMON_NEXT,
    QUANTITY_FIRST,
    SAME_FIRST,
    W_SEARCH,
    W_WORDS,
    compose,
    popularity,
)
from assistant.knowledge.kinds import Kind, KindGuess, infer_kind, kind_by_code, kind_label
from assistant.knowledge.library import library_kinds
from assistant.knowledge.names import clean_name, suggestable, without_brackets
from assistant.knowledge.templates import pattern_of
from assistant.knowledge.words import pairs, shared_words
from assistant.model import FRAMEWORKS, Indicator, Provenance, normalize_levels
from assistant.search.engine import Hit, SearchEngine, typical_values

NO_PRECEDENT = "没有相近的先例"
CANDIDATES = 60
NA_TABLES = 2  # tables of a kind needed before its empty slot is hinted 不适用
NEAR_KIND = 1.0  # inferred kinds scoring this share of the best are accepted (bench: 1.0 best)


@dataclass(frozen=True)
class GateParams:
    """Thresholds on the engine's fused score (0–1), one set per search mode."""

    same_min: float = 0.0
    other_min: float = 0.35
    library_min: float = 0.15


def gate_file() -> Path:
    return config.shipped_corpus_dir() / "gate.yaml"


@lru_cache(maxsize=2)
def load_params(path: Path | None = None) -> dict[str, GateParams]:
    path = path or gate_file()
    if not path.exists():
        return {"fused": GateParams(), "lexical": GateParams(other_min=0.3)}
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {mode: GateParams(**doc["modes"][mode]) for mode in ("fused", "lexical")}


@dataclass(frozen=True)
class Facts:
    """What the user said about the project; ``kind`` when the user chose one."""

    name: str
    goal: str = ""
    activities: tuple[str, ...] = ()
    kind: str | None = None

    @classmethod
    def from_answers(cls, doc: dict) -> Facts:
        """Name, goal and activities from an interview answers file (see jixiao draft)."""
        acts = doc.get("activities") or []
        if isinstance(acts, str):
            acts = [acts]
        goal = str(doc.get("goal") or "")
        if goal.strip() in {"起草", "跳过", "默认"}:  # the interview drafts it from the rest
            goal = ""
        kind = doc.get("kind")
        return cls(
            name=str(doc.get("project_name") or doc.get("name") or ""),
            goal=goal,
            activities=tuple(str(a) for a in acts if a),
            kind=str(kind) if kind else None,
        )

    def text(self) -> str:
        return "。".join(p for p in (self.name, self.goal, *self.activities) if p.strip())

    def guess(self) -> KindGuess:
        if self.kind:
            return KindGuess(
                self.kind, kind_label(self.kind), 1.0, ("用户选择",), ((self.kind, 1.0),)
            )
        return infer_kind(self.name, self.goal, self.activities)

    def activity_list(self) -> list[tpl.Activity]:
        """The user's activities; when none was given, those the goal states with an amount."""
        return tpl.activities_of(self.activities) or tpl.activities_of(
            [self.goal], need_amount=True
        )

    def kind_set(self) -> set[str]:
        guess = self.guess()
        if guess.code is None:
            return set()
        if self.kind:
            return {self.kind}
        return {c for c, s in guess.ranked if s >= NEAR_KIND * guess.score}


@dataclass
class Suggestion:
    """One suggested row: the indicator (clean name, precedent value) and why it is offered."""

    indicator: Indicator
    score: float
    reasons: tuple[str, ...]
    origin: str  # "same_kind" | "shared_words" | "common" | "template"
    kind: str | None = None
    table_count: int = 1
    hit: Hit | None = field(default=None, repr=False)


@dataclass
class SlotAdvice:
    level1: str
    level2: str
    kind: str | None
    kind_label: str
    suggestions: list[Suggestion]
    silent: bool
    message: str | None
    templates: list[Suggestion]
    usually_not_applicable: bool
    typical_values: list[tuple[str, int]]


def _member_key(ind: Indicator) -> tuple[str, str]:
    p = ind.provenance
    return ((p.source if p else ""), (p.project if p else ""))


# a project that speaks of ecology is never told 生态效益 usually does not apply
_ECOLOGY = re.compile(r"生态|环境|环保|绿色|绿化|节能|减排|污染|海绵|低碳|节水|水土|碳")

COMMON_KINDS = 4  # a word used by tables of this many kinds says nothing about a project


@dataclass(frozen=True)
class CorpusProfile:
    """What the gate needs to know of the corpus: each table's kind, and the words so
    common across kinds that sharing them proves nothing (万元, 基础, 公里 …)."""

    table_kinds: dict[tuple[str, str], str | None]
    common_pairs: frozenset[str]
    library_kinds: dict[str, str] = field(default_factory=dict)  # entry name → its kind


def corpus_profile(tables: Iterable | None = None) -> CorpusProfile:
    """(source, project) → kind for every corpus table (an imported table without a kind
    gets the inferred one), and the cross-kind common words."""
    from collections import defaultdict

    from assistant.corpus import library_indicators, load_tables

    tables = [ct.table for ct in load_tables()] if tables is None else list(tables)
    kinds: dict[tuple[str, str], str | None] = {}
    used: dict[str, set[str]] = defaultdict(set)
    for t in tables:
        src = t.provenance.source if t.provenance else ""
        kind = t.kind or infer_kind(t.header.project_name, t.goal).code
        kinds[(src, t.header.project_name)] = kind
        for ind in t.indicators:  # rows may carry their own source (seed: file + line)
            if ind.provenance and ind.provenance.source:
                kinds[(ind.provenance.source, t.header.project_name)] = kind
            if kind:
                for pair in pairs(ind.name):
                    used[pair].add(kind)
    common = frozenset(p for p, ks in used.items() if len(ks) >= COMMON_KINDS)
    return CorpusProfile(kinds, common, library_kinds(library_indicators(), tables, kinds))


class Advisor:
    """Suggestions for a project's slots, gated for relevance; see the module docstring."""

    def __init__(
        self,
        engine: SearchEngine | None = None,
        *,
        profile: CorpusProfile | None = None,
        params: dict[str, GateParams] | None = None,
        kind_templates: dict | None = None,
    ):
        self.engine = engine if engine is not None else SearchEngine(semantic=False)
        self.profile = profile if profile is not None else corpus_profile()
        self.table_kinds = self.profile.table_kinds
        self.params = params or load_params()
        self.kind_templates = kind_templates if kind_templates is not None else tpl.load()
        self._by_kind: dict[tuple[str, str, str], dict[str, list[Indicator]]] | None = None

    def _kind_rows(self, kind: str, level1: str, level2: str) -> dict[str, list[Indicator]]:
        """Every precedent row of a kind in a slot, by clean name: the same-kind candidates
        a lexical search misses when they share no character with the project's words."""
        if self._by_kind is None:
            index: dict[tuple[str, str, str], dict[str, list[Indicator]]] = {}
            for ind in self.engine.precedents:
                k = self.table_kinds.get(_member_key(ind))
                name = clean_name(ind.name)
                l1, l2 = normalize_levels(ind.level1, ind.level2)
                if k and name and suggestable(name, l1):
                    index.setdefault((k, l1, l2), {}).setdefault(name, []).append(ind)
            self._by_kind = index
        return self._by_kind.get((kind, level1, level2), {})

    @property
    def mode(self) -> str:
        return "fused" if self.engine.semantic_ready else "lexical"

    def slots(self) -> list[tuple[str, str]]:
        return [(l1, l2) for l1, l2s in FRAMEWORKS["pre2021"].items() for l2 in l2s]

    def advise_all(
        self, facts: Facts, *, top: int = 5, level2: str | None = None
    ) -> list[SlotAdvice]:
        slots = [s for s in self.slots() if level2 is None or s[1] == level2]
        return [self.advise(facts, l1, l2, top=top) for l1, l2 in slots]

    def advise(
        self,
        facts: Facts,
        level1: str,
        level2: str,
        *,
        top: int = 5,
        exclude: Callable[[Indicator], bool] | None = None,
        qvec=None,
    ) -> SlotAdvice:
        """The ranked, gated suggestions for one slot (``exclude`` drops precedent rows,
        e.g. the held-out table in the benchmark)."""
        guess = facts.guess()
        kinds = facts.kind_set()
        fpairs = pairs(facts.text()) - self.profile.common_pairs
        p = self.params[self.mode]
        hits = self.engine.search(
            facts.text(), level1=level1, level2=level2, top=CANDIDATES, qvec=qvec
        )
        scores: dict[str, float] = {}
        shared: list[Suggestion] = []
        common: list[Suggestion] = []
        for hit in hits:
            members = [m for m in hit.group if not (exclude and exclude(m))]
            if not members:
                continue
            sug = self._judge(hit, members, kinds, fpairs, p)
            if sug is None:
                continue
            key = without_brackets(sug.indicator.name)
            scores[key] = max(scores.get(key, 0.0), hit.score)
            if sug.origin == "shared_words":
                shared.append(sug)
            elif sug.origin == "common":
                common.append(sug)
        same = self._same_kind(kinds, level1, level2, fpairs, scores, exclude)
        templates = self._templates(facts, guess.code, level1, level2)
        common += self._corpus_common(facts, level1, level2, guess.code)
        strong = [s for s in same if s.score > 1.0]  # used by 2+ tables, or shares words
        own_words = [t for t in templates if len(t.reasons) > 1]  # the user's amounts
        chosen = compose(
            [
                (own_words, QUANTITY_FIRST),
                (strong, SAME_FIRST),
                (common, COMMON_NEXT),
                (shared, None),
                (same, None),
                (templates, None),
                (common, None),
            ],
            top,
            lambda s: without_brackets(s.indicator.name),
        )
        precedent_found = any(s.origin in {"same_kind", "shared_words"} for s in chosen)
        kind_info = kind_by_code(guess.code)
        return SlotAdvice(
            level1=level1,
            level2=level2,
            kind=guess.code,
            kind_label=guess.label,
            suggestions=chosen,
            silent=not precedent_found,
            message=None if precedent_found else NO_PRECEDENT,
            templates=templates,
            usually_not_applicable=self._usually_not_applicable(kind_info, level2)
            and not (level2 == "生态效益" and _ECOLOGY.search(facts.text())),
            typical_values=typical_values([s.hit for s in chosen if s.hit is not None]),
        )

    def _same_kind(
        self,
        kinds: set[str],
        level1: str,
        level2: str,
        fpairs: set[str],
        scores: dict[str, float],
        exclude: Callable[[Indicator], bool] | None,
    ) -> list[Suggestion]:
        """Every row of the kinds in the slot, those whose pattern most of the kind's tables
        use first (then shared words, then search score)."""
        ranked: list[tuple[float, str, Suggestion]] = []
        for kind in sorted(kinds):
            rows = {
                name: [m for m in members if not (exclude and exclude(m))]
                for name, members in self._kind_rows(kind, level1, level2).items()
            }
            rows = {n: ms for n, ms in rows.items() if ms}
            pop = popularity({n: {_member_key(m) for m in ms} for n, ms in rows.items()})
            for name, members in rows.items():
                count = len({_member_key(m) for m in members})
                words = shared_words(name, fpairs)
                key = without_brackets(name)
                score = (
                    pop[pattern_of(name)] + W_WORDS * bool(words) + W_SEARCH * scores.get(key, 0.0)
                )
                why = [f"同类项目：{kind_label(kind)}（{count}张表）"]
                if words:
                    why.append("共有词：" + "、".join(words))
                hit = Hit(
                    indicator=members[0],
                    score=scores.get(key, 0.0),
                    lexical=0.0,
                    semantic=None,
                    group=members,
                )
                ind = members[0].model_copy(update={"name": name})
                sug = Suggestion(ind, score, tuple(why), "same_kind", kind, count, hit)
                ranked.append((-score, name, sug))
        ranked.sort(key=lambda t: (t[0], t[1]))
        return [s for _, _, s in ranked]

    def _corpus_common(
        self, facts: Facts, level1: str, level2: str, kind: str | None
    ) -> list[Suggestion]:
        """共性: names and patterns tables of two or more kinds use (learned, cited)."""
        out = []
        subject = self._subject(facts, kind)
        for t in tpl.for_slot(self.kind_templates, tpl.COMMON, level1, level2):
            literal = tpl.SLOT_HOLE not in t.pattern
            if not (suggestable(t.pattern, level1) if literal else tpl.fits(t, facts.text())):
                continue
            name = t.pattern if literal else tpl.fill(t, subject)
            label = "共性指标" if literal else "共性模板"
            where = f"{label}（{t.kinds}类项目共{t.tables}张表）"
            note = "按多类先例归纳，见于：" + "；".join(t.citations[:3])
            prov = Provenance(source=where, kind="library", note=note)
            value = tpl.portable_value(t.value)
            ind = Indicator(level1=level1, level2=level2, name=name, value=value, provenance=prov)
            reason = f"{label}：{t.pattern}（{t.kinds}类项目共{t.tables}张表）"
            origin = "common" if literal else "template"
            out.append(Suggestion(ind, 0.0, (reason,), origin, None, t.tables))
        return out

    def _subject(self, facts: Facts, kind: str | None) -> str:
        k = kind_by_code(kind)
        return tpl.subject_from(facts.name, facts.activities, k.subject if k else "项目")

    def _usually_not_applicable(self, kind: Kind | None, level2: str) -> bool:
        """Declared for the kind in corpus/kinds.yaml, and borne out by its precedents:
        at least NA_TABLES tables of the kind, and none of them fills the slot."""
        if kind is None or level2 not in kind.not_applicable:
            return False
        learned = self.kind_templates.get(kind.code)
        if not learned or learned["tables"] < NA_TABLES:
            return False
        return learned["filled"].get(level2, 0) == 0

    def _judge(
        self,
        hit: Hit,
        members: Sequence[Indicator],
        kinds: set[str],
        fpairs: set[str],
        p: GateParams,
    ) -> Suggestion | None:
        rep = members[0]
        name = clean_name(rep.name)
        if not name or not suggestable(name, rep.level1):
            return None
        library = all(m.provenance and m.provenance.kind == "library" for m in members)
        member_kinds = [self.table_kinds.get(_member_key(m)) for m in members]
        if library:  # an entry taken from one table is of that table's kind
            cited = {self.profile.library_kinds.get(m.name) for m in members}
            if None not in cited and not cited & kinds:
                library, member_kinds = False, [k for k in sorted(cited, key=str) if k]
        same = [k for k in member_kinds if k and k in kinds]
        words = shared_words(name, fpairs)
        # a name of common words only ("项目验收合格率"), and a measure: not "干部业务能力"
        generic = not (pairs(name) - self.profile.common_pairs) and tpl.measure_of(name) != ""
        ind = rep.model_copy(update={"name": name})
        count = len({_member_key(m) for m in members})
        if same and hit.score >= p.same_min:
            why = [f"同类项目：{kind_label(same[0])}（{len(same)}张表）"]
            if words:
                why.append("共有词：" + "、".join(words))
            return Suggestion(ind, hit.score, tuple(why), "same_kind", same[0], count, hit)
        if library or generic:
            if hit.score >= p.library_min and (generic or words):
                common = "共性指标" + ("（共性指标库）" if library else "（各类项目通用）")
                reasons: tuple[str, ...] = (
                    common,
                    *(["共有词：" + "、".join(words)] if words else []),
                )
                kind = None if library else next((k for k in member_kinds if k), None)
                if not library:  # another project's own amount ("受益人数 132") is not ours
                    ind.value = tpl.portable_value(ind.value)
                return Suggestion(ind, hit.score, reasons, "common", kind, count, hit)
            return None
        if words and hit.score >= p.other_min:
            other = next((k for k in member_kinds if k), None)
            reasons = ("共有词：" + "、".join(words), f"先例类别：{kind_label(other)}")
            return Suggestion(ind, hit.score, reasons, "shared_words", other, count, hit)
        return None

    def _templates(
        self, facts: Facts, kind: str | None, level1: str, level2: str
    ) -> list[Suggestion]:
        """The kind's templates (or the common ones) filled with each of the user's activities
        (up to three; else the project name's core); in 数量指标 first one row per activity
        that states an amount, named by its unit and valued with it ("培训人次 280人次")."""
        k = kind_by_code(kind)
        own = tpl.for_slot(self.kind_templates, kind, level1, level2) if k is not None else []
        common = [
            t
            for t in tpl.for_slot(self.kind_templates, tpl.COMMON, level1, level2)
            if tpl.SLOT_HOLE in t.pattern
        ]
        rows = [t for t in own or common if tpl.fits(t, facts.text())]
        acts = facts.activity_list()
        subjects = [a.name for a in acts[:3]] or [self._subject(facts, kind)]
        out = []
        if level2 == "数量指标":
            for act in (a for a in acts if a.amount):
                name = tpl.quantity_name(act)
                cited = next((t for t in rows if tpl.fill(t, act.name) == name), None)
                cited = cited or next((t for t in own + common if t.pattern.endswith("数量")), None)
                if cited is not None:
                    said = f"按您的活动：{act.name} {act.amount}{act.unit}"
                    out.append(self._template(cited, k if cited in own else None, name, said))
                    out[-1].indicator.value = f"{act.amount}{act.unit}"
        for t in rows:
            for subject in subjects:
                out.append(self._template(t, k if own else None, tpl.fill(t, subject)))
        return out

    @staticmethod
    def _template(t: tpl.Template, k: Kind | None, name: str, said: str = "") -> Suggestion:
        if k is not None:
            where = f"类别模板（{k.label}，{t.tables}张同类表）"
            note = "按同类先例归纳，见于："
            reason = f"类别模板：{t.pattern}（{t.tables}张{k.label}表）"
        else:
            where = f"共性模板（多类项目共{t.tables}张表）"
            note = "按多类先例归纳，见于："
            reason = f"共性模板：{t.pattern}（多类项目共{t.tables}张表）"
        prov = Provenance(source=where, kind="library", note=note + "；".join(t.citations[:3]))
        value = t.value if k is not None else tpl.portable_value(t.value)
        ind = Indicator(level1=t.level1, level2=t.level2, name=name, value=value, provenance=prov)
        reasons = (reason, said) if said else (reason,)
        return Suggestion(ind, 0.0, reasons, "template", k.code if k else None, t.tables)


def advise_answers(
    doc: dict, engine: SearchEngine | None = None, *, top: int = 5
) -> tuple[Facts, list[SlotAdvice]]:
    """Every slot's advice for an answers-file mapping: what `jixiao suggest --answers` prints."""
    facts = Facts.from_answers(doc)
    return facts, Advisor(engine).advise_all(facts, top=top)


def reasons_text(reasons: Iterable[str]) -> str:
    return "；".join(reasons)

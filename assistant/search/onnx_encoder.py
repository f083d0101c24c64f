"""The light query path: the model's encoder run by onnxruntime, without torch.

Importing sentence-transformers costs 4–6 s and loading the model through it ~900 MB; this
path loads in well under a second and a few hundred MB. What it reads from the model folder
(all written and checked by ``onnx_export`` at model build):

- ``onnx/encoder.onnx``: BERT from the embedding layer's input on (positions, layer norm, 12
  layers), then mean pooling and unit length: vectors as sentence-transformers gives them;
- the word-embedding table, memory-mapped straight out of ``model.safetensors``, so only the
  rows of the tokens actually seen are ever read into memory (the table is 384 MB);
- the tokenizer files for ``UnigramTokenizer``.
"""

from __future__ import annotations

import json
import os
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ONNX_DIR = "onnx"
ONNX_FILE = "encoder.onnx"
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
QUERY_CACHE_SIZE = 512  # remembered query vectors (1.5 KB each)
BATCH = 32


def word_embeddings(safetensors: Path, name: str = WORD_EMBEDDINGS) -> np.ndarray:
    """One float32 tensor of a safetensors file, memory-mapped read-only (no copy)."""
    with safetensors.open("rb") as fh:
        header_len = int.from_bytes(fh.read(8), "little")
        header = json.loads(fh.read(header_len))
    info = header[name]
    if info["dtype"] != "F32":
        raise ValueError(f"{name}: {info['dtype']} is not F32")
    start, end = info["data_offsets"]
    shape = tuple(int(x) for x in info["shape"])
    if end - start != 4 * int(np.prod(shape)):
        raise ValueError(f"{name}: size does not match its shape")
    return np.memmap(safetensors, dtype="<f4", mode="r", offset=8 + header_len + start, shape=shape)


def model_prompts(folder: Path) -> dict[str, str]:
    """The prompts sentence-transformers would prepend (e5: "query: " / "passage: ")."""
    try:
        doc = json.loads((folder / "config_sentence_transformers.json").read_text("utf-8"))
        prompts = doc.get("prompts") or {}
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in prompts.items()}


class QueryCache(ABC):
    """Remembered query vectors (the same question is often asked again); shared by both
    encoders. Subclasses provide ``_encode_batch(texts, prompt)``."""

    def __init__(self) -> None:
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @abstractmethod
    def _encode_batch(self, texts: list[str], prompt: str) -> np.ndarray:
        """The embeddings of ``texts`` (with the model's ``prompt``), one row each."""

    def _encode_one(self, text: str) -> np.ndarray:
        return self._encode_batch([text], "query")[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for queries; a single query is remembered."""
        if len(texts) != 1:
            return self._encode_batch(texts, "query")
        text = texts[0]
        with self._cache_lock:
            hit = self._query_cache.get(text)
            if hit is not None:
                self._query_cache.move_to_end(text)
                return hit[None, :].copy()
        vec = self._encode_one(text)
        with self._cache_lock:
            self._query_cache[text] = vec
            if len(self._query_cache) > QUERY_CACHE_SIZE:
                self._query_cache.popitem(last=False)
        return vec[None, :].copy()

    def clear_query_cache(self) -> None:
        """Forget remembered query vectors (benchmarks time real encodings this way)."""
        with self._cache_lock:
            self._query_cache.clear()


class OnnxEncoder(QueryCache):
    """Query and passage vectors from the exported encoder (see the module docstring)."""

    notice: str | None = None

    def __init__(self, folder: Path, fingerprint: str):
        import onnxruntime as ort

        from assistant.search.unigram import UnigramTokenizer

        super().__init__()
        onnx_dir = folder / ONNX_DIR
        self.folder = folder
        self.fingerprint = fingerprint
        self.prompts = model_prompts(folder)
        self.tokenizer = UnigramTokenizer(onnx_dir)
        self.words = word_embeddings(folder / "model.safetensors")
        self.dim = int(self.words.shape[1])
        self._onnx = str(onnx_dir / ONNX_FILE)
        self._ort = ort
        self.session = self._session(threads=1)  # one short query: one thread is steadiest
        self._lock = threading.Lock()

    def _session(self, threads: int) -> Any:
        opts = self._ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        # the file is already optimised at build (onnx_export.optimise)
        opts.graph_optimization_level = self._ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        return self._ort.InferenceSession(self._onnx, opts, providers=["CPUExecutionProvider"])

    def _ids(self, texts: list[str], prompt: str) -> list[list[int]]:
        prefix = self.prompts.get(prompt, "")
        return [self.tokenizer.encode(prefix + t) for t in texts]

    def _run(self, session: Any, ids: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in ids)
        tokens = np.full((len(ids), width), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        words = np.asarray(self.words[tokens.ravel()], dtype=np.float32)
        words = words.reshape(len(ids), width, self.dim)
        with self._lock:
            (vectors,) = session.run(None, {"words": words, "mask": mask})
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _encode_batch(
        self,
        texts: list[str],
        prompt: str,
        batch_size: int = BATCH,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self._ids(texts, prompt)
        if len(ids) <= 2:
            for i, seq in enumerate(ids):
                out[i] = self._run(self.session, [seq])[0]
            return out
        # a batch of passages: every core, similar lengths together (less padding)
        session = self._session(threads=max(1, min(os.cpu_count() or 1, 4)))
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._run(session, [ids[i] for i in rows])
            if progress is not None:
                progress(min(start + batch_size, len(order)), len(order))
        return out

    def encode_passages(
        self,
        texts: list[str],
        batch_size: int = BATCH,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        return self._encode_batch(texts, "document", batch_size, progress)

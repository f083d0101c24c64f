"""The machine-wide model cache, with a fast stand-in for the real build: built once under a
lock, never half-used, leftovers of a killed build removed, damaged files refused and
rebuilt with a Chinese notice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import config
from assistant.search import model_cache
from assistant.search.model_build import COMPLETE_MARKER, MODEL_NAME

CHECKOUT = Path(__file__).resolve().parents[1]

# a stand-in build: small files instead of 465 MB, optionally slow, counting its builds
FAKE_BUILD = r"""
import os, sys, time
from pathlib import Path
from assistant.search import model_cache, onnx_export

pause = float(os.environ.get("FAKE_PAUSE", "0"))

def write_folder(e5, dest):
    with open(os.environ["FAKE_LOG"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    (dest / "model.safetensors").write_bytes(bytes(range(256)) * 64)
    (dest / "tokenizer.json").write_text("{}")
    time.sleep(pause)

model_cache.read_e5s1 = lambda path: object()
model_cache.write_folder = write_folder
onnx_export.export_and_check = lambda folder: {"ok": False, "reason": "测试"}
"""


@pytest.fixture
def fake_build(tmp_path_factory, monkeypatch) -> Path:
    """Patch the build in this process; returns the log file naming each build."""
    log = tmp_path_factory.mktemp("log") / "builds.log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    exec(compile(FAKE_BUILD, "fake_build", "exec"), {})
    return log


@pytest.fixture(autouse=True)
def _restore_build(monkeypatch):
    """FAKE_BUILD assigns module attributes directly; put the real ones back afterwards."""
    from assistant.search import onnx_export

    for module, name in (
        (model_cache, "read_e5s1"),
        (model_cache, "write_folder"),
        (onnx_export, "export_and_check"),
    ):
        monkeypatch.setattr(module, name, getattr(module, name))


def builds(log: Path) -> int:
    return len(log.read_text().split()) if log.exists() else 0


def test_the_model_cache_is_per_machine_and_named_by_an_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_MODEL_CACHE", str(tmp_path / "models"))
    assert config.model_cache_dir() == tmp_path / "models"
    monkeypatch.delenv("JIXIAO_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # never the real user cache
    assert config.model_cache_dir() == tmp_path / "xdg" / "jixiao" / "models"


def test_built_once_then_reused_with_a_manifest_of_hashes(tmp_path, fake_build):
    said: list[str] = []
    folder, manifest, notice = model_cache.ensure_default_model(tmp_path, said.append)
    assert folder == tmp_path / MODEL_NAME and notice is None
    assert said[0].startswith("首次使用：正在生成语义模型") and "用时" in said[-1]
    assert set(manifest["files"]) == {"model.safetensors", "tokenizer.json"}
    assert manifest["onnx"] == {"ok": False, "reason": "测试"}
    assert (folder / COMPLETE_MARKER).is_file()
    again = model_cache.ensure_default_model(tmp_path, said.append)
    assert again == (folder, manifest, None) and builds(fake_build) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", MODEL_NAME]


def test_an_unchanged_file_is_not_hashed_again(tmp_path, fake_build, monkeypatch):
    model_cache.ensure_default_model(tmp_path)
    monkeypatch.setattr(model_cache, "_sha256", lambda path: pytest.fail("hashed again"))
    assert model_cache.ensure_default_model(tmp_path)[2] is None


def test_damaged_weights_are_refused_and_rebuilt_with_a_notice(tmp_path, fake_build):
    folder, manifest, _ = model_cache.ensure_default_model(tmp_path)
    weights = folder / "model.safetensors"
    good = weights.read_bytes()
    st = weights.stat()
    with weights.open("r+b") as fh:  # flip bytes mid-file, keep size and mtime
        fh.seek(len(good) // 2)
        fh.write(b"\xff\xff\xff\xff")
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns))
    said: list[str] = []
    again, _, notice = model_cache.ensure_default_model(tmp_path, said.append)
    assert notice == "模型文件已损坏（model.safetensors 与记录的校验值不符），已重新生成。"
    assert said[0] == notice and builds(fake_build) == 2
    assert again == folder and weights.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", MODEL_NAME]


def test_a_missing_file_or_an_old_layout_is_rebuilt(tmp_path, fake_build):
    folder, _, _ = model_cache.ensure_default_model(tmp_path)
    (folder / "tokenizer.json").unlink()
    assert "tokenizer.json" in model_cache.ensure_default_model(tmp_path)[2]
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["layout"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert model_cache.ensure_default_model(tmp_path)[2] is None  # silently, no damage
    assert builds(fake_build) == 3


def test_a_half_built_folder_is_never_used(tmp_path, fake_build):
    final = tmp_path / MODEL_NAME
    final.mkdir()
    (final / "config.json").write_text("{}")  # no completion marker, no manifest
    folder, manifest, _ = model_cache.ensure_default_model(tmp_path)
    assert not (folder / "config.json").exists() and "model.safetensors" in manifest["files"]


def _start(script: str, cache: Path, log: Path, pause: float) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(CHECKOUT), FAKE_LOG=str(log), FAKE_PAUSE=str(pause))
    code = FAKE_BUILD + script.format(cache=str(cache))
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True, cwd=CHECKOUT
    )


ENSURE = """
folder, manifest, notice = model_cache.ensure_default_model(Path({cache!r}))
print(folder, manifest["model_id"])
"""


def test_concurrent_first_builds_build_once_and_agree(tmp_path):
    log = tmp_path / "builds.log"
    procs = [_start(ENSURE, tmp_path / "cache", log, pause=1.0) for _ in range(3)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert builds(log) == 1 and len(set(outs)) == 1
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [".build.lock", MODEL_NAME]


def test_a_killed_build_leaves_no_temporary_folder_behind(tmp_path):
    log, cache = tmp_path / "builds.log", tmp_path / "cache"
    proc = _start(ENSURE, cache, log, pause=60.0)
    deadline = time.monotonic() + 60
    while builds(log) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)  # mid-build: the temporary folder is half written
    proc.wait(timeout=30)
    assert any(p.name.startswith(MODEL_NAME + ".tmp-") for p in cache.iterdir())
    done = _start(ENSURE, cache, log, pause=0.0)
    assert done.communicate(timeout=60)[0].strip() and done.returncode == 0
    assert sorted(p.name for p in cache.iterdir()) == [".build.lock", MODEL_NAME]


def test_leftovers_go_even_when_the_model_is_already_complete(tmp_path, fake_build):
    folder, _, _ = model_cache.ensure_default_model(tmp_path)
    stale = tmp_path / f"{MODEL_NAME}.tmp-killed"
    stale.mkdir()
    (stale / "model.safetensors").write_bytes(b"half")
    assert model_cache.ensure_default_model(tmp_path)[0] == folder
    assert not stale.exists() and builds(fake_build) == 1


def test_the_copy_an_older_version_built_in_a_home_is_removed(tmp_path, fake_build, monkeypatch):
    cache = tmp_path / "models"
    from assistant.search import semantic

    monkeypatch.setenv("JIXIAO_MODEL_CACHE", str(cache))
    old = config.home() / "cache" / "models" / MODEL_NAME
    old.mkdir(parents=True)
    (old / COMPLETE_MARKER).write_text("ok\n")
    folder = semantic.resolve_model_dir()
    assert folder == cache / MODEL_NAME and not old.exists()
    monkeypatch.setenv("JIXIAO_MODEL_CACHE", str(config.home() / "cache" / "models"))
    shared = semantic.resolve_model_dir()  # the shared cache placed where the old copy was
    assert shared.is_dir() and semantic.resolve_model_dir() == shared

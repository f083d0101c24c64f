"""Every test gets its own JIXIAO_HOME, so no test touches the user's store; the semantic
model cache is one temporary folder per test run (built at most once, never the user's)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """The machine-wide model cache of this test run."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def jixiao_home(tmp_path, monkeypatch, model_cache) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    monkeypatch.setenv("JIXIAO_MODEL_CACHE", str(model_cache))
    monkeypatch.delenv("JIXIAO_MODEL", raising=False)
    return home


OFFLINE = r"""
import json, socket, sys
attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args[1:] if args else kwargs))
    raise OSError("network access attempted during an offline test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
"""

OFFLINE_BUILD = (
    OFFLINE
    + r"""
from assistant.search.semantic import load_encoder
enc = load_encoder(progress=lambda m: print(m, file=sys.stderr))
print(json.dumps({"attempts": attempts, "folder": str(enc.folder), "notice": enc.notice,
                  "encoder": type(enc).__name__}))
"""
)


def run_offline(code: str, env: dict[str, str]) -> tuple[dict, str]:
    """Run ``code`` (after OFFLINE) in a fresh interpreter; (its last JSON line, stderr)."""
    import json
    import os
    import subprocess
    import sys

    checkout = Path(__file__).resolve().parents[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    clean.pop("JIXIAO_MODEL", None)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=checkout,
        env={**clean, "PYTHONPATH": str(checkout), **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


@pytest.fixture(scope="session")
def e5_build(model_cache, tmp_path_factory) -> dict:
    """The default model, built once per run in a fresh interpreter in which every network
    connect raises (test_offline checks what it recorded). Should some test have built it
    already, the offline build goes to a fresh cache of its own, so it is always a real one."""
    from assistant.search.model_build import MODEL_NAME
    from assistant.search.model_cache import read_manifest

    cache = model_cache
    if read_manifest(cache / MODEL_NAME) is not None:
        cache = tmp_path_factory.mktemp("offline-model-cache")
    result, stderr = run_offline(
        OFFLINE_BUILD,
        {
            "JIXIAO_HOME": str(tmp_path_factory.mktemp("build-home")),
            "JIXIAO_MODEL_CACHE": str(cache),
        },
    )
    return {**result, "stderr": stderr, "cache": str(cache)}


@pytest.fixture(scope="session")
def e5_folder(e5_build, model_cache) -> Path:
    """The folder of the run's default model (in the run's model cache)."""
    from assistant.search.model_cache import ensure_default_model

    folder, manifest, _ = ensure_default_model(model_cache)
    assert manifest["onnx"]["ok"], manifest["onnx"]
    return folder

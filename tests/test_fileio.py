"""Atomic writes: the old file survives a failed write, and no temp file is left behind."""

import pytest

from assistant.fileio import atomic_open, write_atomic


def test_write_atomic_replaces_text_and_bytes(tmp_path):
    path = tmp_path / "a.json"
    write_atomic(path, "第一版")
    write_atomic(path, [b"x", b"y"])
    assert path.read_bytes() == b"xy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    path = tmp_path / "a.json"
    write_atomic(path, "旧内容")
    with pytest.raises(RuntimeError), atomic_open(path, "w") as fh:
        fh.write("半截")
        raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "旧内容"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_reading_names_the_file_in_one_chinese_line(tmp_path):
    from assistant.errors import JixiaoError
    from assistant.fileio import reading

    cases = [
        (tmp_path / "nope.yaml", "答案文件不存在"),
        (tmp_path, "这是一个文件夹，不是答案文件"),
    ]
    for path, message in cases:
        with pytest.raises(JixiaoError) as err, reading(str(path), "答案文件"):
            path.read_bytes()
        assert message in str(err.value) and str(path) in str(err.value)
    with pytest.raises(JixiaoError) as err, reading("x.txt"):
        raise PermissionError(13, "Permission denied")
    assert "无法读取文件" in str(err.value) and "Permission" not in str(err.value)

"""The same table again — in another encoding, another layout, or a truncated copy — adds
nothing to the corpus; a different table with the same name does."""

from __future__ import annotations

import json

from assistant import config
from assistant.importers import import_paths

PAGE = (
    "项目支出绩效目标表\n(2024年度)\n"
    "项目名称 | 道路养护 |\n实施单位 | 县公路段 |\n项目总额 | 120 |\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    "产出指标 | 数量指标 | 1.养护里程 | ≥50公里 |\n"
    "| 质量指标 | 2.养护合格率 | ≥95% |\n"
    "满意度指标 | 服务对象满意度 | 3.群众满意度 | ≥90% |\n"
)
FLAT = (
    "项目名称,实施单位,年度,项目总额（万元）,一级指标,二级指标,三级指标,指标值\n"
    "道路养护,县公路段,2024,120.00,产出指标,数量指标,养护里程,≥50 公里\n"
    "道路养护,县公路段,2024,120.00,产出指标,质量指标,养护合格率,≥95％\n"
    "道路养护,县公路段,2024,120.00,满意度指标,满意度,群众满意度,≥90%\n"
)


def _corpus() -> list:
    return sorted(config.user_corpus_dir().glob("*.json"))


def test_same_table_in_another_encoding_layout_or_truncated_adds_nothing(tmp_path):
    first = tmp_path / "page.txt"
    first.write_text(PAGE, encoding="utf-8")
    assert len(import_paths([first]).added) == 1

    gbk = tmp_path / "page_gbk.txt"
    gbk.write_bytes(PAGE.encode("gbk"))
    flat = tmp_path / "flat.csv"
    flat.write_bytes(FLAT.encode("gb18030"))
    cut = tmp_path / "cut.txt"
    cut.write_text(PAGE.rsplit("满意度指标", 1)[0], encoding="utf-8")
    result = import_paths([gbk, flat, cut])
    assert result.added == []
    assert len(result.already_present) == 3
    assert len(_corpus()) == 1


def test_same_table_twice_in_one_import_is_added_once(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.csv"
    a.write_text(PAGE, encoding="utf-8")
    b.write_text(FLAT, encoding="utf-8")
    result = import_paths([a, b])
    assert (len(result.added), len(result.already_present)) == (1, 1)


def test_another_table_with_the_same_name_is_added(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(PAGE, encoding="utf-8")
    b.write_text(PAGE.replace("≥50公里", "≥80公里"), encoding="utf-8")
    import_paths([a])
    assert len(import_paths([b]).added) == 1
    c = tmp_path / "c.txt"
    c.write_text(PAGE.replace("(2024年度)", "(2025年度)"), encoding="utf-8")
    assert len(import_paths([c]).added) == 1
    assert len(_corpus()) == 3


def test_the_full_table_replaces_a_truncated_copy_imported_before(tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_text(PAGE.rsplit("满意度指标", 1)[0], encoding="utf-8")
    import_paths([cut])
    full = tmp_path / "full.txt"
    full.write_text(PAGE, encoding="utf-8")
    (table,) = import_paths([full]).added
    assert "替换了先例库中这张表不完整的副本（2 条指标）" in table.notes
    (only,) = _corpus()
    assert len(json.loads(only.read_text(encoding="utf-8"))["indicators"]) == 3

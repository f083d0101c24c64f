"""Where exports go (issue 12): the TUI offers $JIXIAO_HOME/exports, a folder that does not
exist is created (TUI and ``jixiao export -o newdir/``) and never becomes a file without an
extension; the Markdown header reads "854 万元" and the file passes ``validate``."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run_cli
from test_tui import HEADER_ANSWERS, SIZE, _draft, app_for, settle
from test_tui import lexical as lexical  # the module's shared lexical search fixture
from textual.widgets import Input

from assistant.export import default_filename, export_table
from assistant.export.files import default_export_dir, means_folder
from assistant.model import Amount, FundSources, Header, Indicator, TargetTable
from assistant.store import DraftStore
from assistant.tui.screens.dialogs import ExportDialog

TABLE = TargetTable(
    header=Header(
        project_name="2024年乡村道路硬化项目",
        year=2024,
        total=Amount(value=854, raw="854万元"),
        annual_total=Amount(value=854, raw="854万元"),
        funds=FundSources(fiscal=Amount(value=854, raw="财政拨款854万")),
    ),
    goal="2024年12月31日前完成村内道路硬化100公里，改善群众出行条件。",
    indicators=[
        Indicator(level1="产出指标", level2="数量指标", name="村内道路硬化", value="100公里"),
        Indicator(level1="产出指标", level2="质量指标", name="验收合格率", value="100%"),
        Indicator(level1="产出指标", level2="时效指标", name="完工时间", value="2024年12月31日前"),
        Indicator(level1="产出指标", level2="成本指标", name="村内道路硬化", value="8.54万元/公里"),
        Indicator(level1="效益指标", level2="社会效益", name="群众出行条件", value="有效改善"),
        Indicator(level1="满意度指标", level2="服务对象满意度", name="群众满意度", value="≥95%"),
    ],
)


def test_the_export_folder_is_jixiao_home_exports(jixiao_home):
    assert default_export_dir() == jixiao_home / "exports"


def test_the_export_folder_without_jixiao_home_is_in_documents(monkeypatch):
    monkeypatch.delenv("JIXIAO_HOME")
    from platformdirs import user_documents_dir

    assert default_export_dir() == Path(user_documents_dir()) / "jixiao导出"


@pytest.mark.parametrize(
    ("raw", "folder"),
    [("out/", True), ("out", True), ("out.xlsx", False), ("a/b.md", False)],
)
def test_a_path_without_extension_means_a_folder(tmp_path, raw, folder):
    assert means_folder(str(tmp_path / raw) + ("/" if raw.endswith("/") else "")) is folder


def test_markdown_amounts_read_once_in_wan_and_the_file_validates(tmp_path, capsys):
    path = export_table(TABLE, "md", tmp_path / "t.md")
    text = path.read_text(encoding="utf-8")
    assert "| 项目总额 | 854 万元 |" in text
    assert "万元 万元" not in text
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 0, out + err
    assert "错误 0" in out


@pytest.fixture
def draft_id() -> str:
    return DraftStore().create(TABLE).draft_id


@pytest.mark.parametrize("target", ["newdir/", "newdir", "deep/new/dir/"])
def test_cli_export_into_a_folder_that_does_not_exist_creates_it(
    capsys, tmp_path, draft_id, target
):
    code, out, err = run_cli(
        capsys,
        "export",
        draft_id,
        "-o",
        str(tmp_path / target) + ("/" if target.endswith("/") else ""),
    )
    assert code == 0, err
    folder = tmp_path / target.rstrip("/")
    written = folder / default_filename(TABLE, "xlsx")
    assert folder.is_dir() and written.is_file()
    assert str(written) in out


def test_cli_export_into_a_path_blocked_by_a_file_is_one_chinese_line(capsys, tmp_path, draft_id):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    code, out, err = run_cli(capsys, "export", draft_id, "-o", str(tmp_path / "taken" / "sub/"))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "无法创建文件夹" in err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "x"


async def test_tui_export_offers_the_export_folder_and_creates_a_new_one(
    lexical, jixiao_home, tmp_path
):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:3])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        path = app.screen.query_one("#export-path", Input)
        offered = Path(path.value)
        assert offered.parent == jixiao_home / "exports"
        assert offered.suffix == ".xlsx"
        path.value = str(tmp_path / "新文件夹")  # does not exist, no extension: a folder
        path.focus()
        await pilot.press("enter")
        await settle(pilot)
        written = tmp_path / "新文件夹" / offered.name
        assert written.is_file()
        assert any(str(written) in n.message for n in app._notifications)

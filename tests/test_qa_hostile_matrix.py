"""The hostile matrix (issue 14), CLI side: failing disks and locks, special and oversized
files, zip and YAML bombs, malformed workbooks, formula cells, names full of control
characters. Each case: one Chinese line, its exit code (2 input, 3 environment), and the
state after is the state before."""

from __future__ import annotations

import errno
import json
import os
import zipfile
from pathlib import Path

import pytest
from clirun import one_line, run_cli

from assistant import fileio
from assistant.export.official import regional_label
from assistant.flat_table import guard, unguard
from assistant.model import Amount, FundSources, Header, Indicator, Provenance, TargetTable
from assistant.store import DraftStore

ANSWERS = Path(__file__).parent / "data" / "answers" / "training.yaml"
FULL = OSError(errno.ENOSPC, "No space left on device")


def table(
    name: str = "2025年监测评估工作经费", *, department: str = "自治区乡村振兴局"
) -> TargetTable:
    return TargetTable(
        header=Header(
            project_name=name,
            department=department,
            year=2025,
            total=Amount.parse("10"),
            annual_total=Amount.parse("10"),
            funds=FundSources(transfer=Amount.parse("10"), regional=Amount.parse("10")),
        ),
        goal="完成监测评估。",
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="1.开展调研", value="5次"),
            Indicator(
                level1="满意度指标", level2="服务对象满意度", name="群众满意度", value="≥95%"
            ),
        ],
    )


def disk_full(*args, **kwargs):
    raise FULL


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- the environment fails: exit 3, nothing changed ---------------------------------------


def test_draft_on_a_full_disk_is_exit_3_and_saves_nothing(capsys, monkeypatch):
    import assistant.store.storage as storage

    with monkeypatch.context() as m:  # (monkeypatch.undo would also undo JIXIAO_HOME)
        m.setattr(storage, "write_atomic", disk_full)
        code, out, err = run_cli(capsys, "draft", "--answers", ANSWERS)
    assert code == 3 and "草稿已保存" not in out
    one_line(err, "保存草稿失败", "磁盘空间不足", "之前的内容没有改动")
    assert DraftStore().list() == []


def test_restore_and_delete_on_a_failing_disk_keep_the_draft_as_it_was(capsys, monkeypatch):
    import assistant.store.storage as storage

    store = DraftStore()
    rev = store.create(table())
    store.save(rev.draft_id, table("改过的名称"))
    before = snapshot(store.root)
    with monkeypatch.context() as m:
        m.setattr(storage, "write_atomic", disk_full)
        code, _, err = run_cli(capsys, "show", rev.draft_id, "--restore", "1")
    assert code == 3
    one_line(err, "磁盘空间不足")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(Path, "unlink", refuse)
        code, _, err = run_cli(capsys, "delete", rev.draft_id, "--yes")
    assert code == 3
    one_line(err, "删除草稿失败", "没有权限")
    assert snapshot(store.root) == before
    assert DraftStore().get(rev.draft_id).number == 2


def test_a_lock_held_by_another_process_is_exit_3(capsys, monkeypatch):
    from filelock import FileLock

    import assistant.store.storage as storage

    monkeypatch.setattr(storage, "LOCK_TIMEOUT_S", 0.1)
    rev = DraftStore().create(table())
    with FileLock(str(DraftStore().root / ".lock")):
        code, _, err = run_cli(capsys, "show", rev.draft_id, "--restore", "1")
    assert code == 3
    one_line(err, "另一个 jixiao 进程占用")
    assert DraftStore().get(rev.draft_id).number == 1


def test_an_unwritable_data_folder_is_exit_3(capsys, monkeypatch, jixiao_home):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, _, err = run_cli(capsys, "drafts")
    assert code == 3
    one_line(err, "无法使用数据文件夹", "没有权限")


def test_an_import_that_fills_the_disk_part_way_takes_back_what_it_wrote(
    capsys, monkeypatch, tmp_path
):
    import assistant.corpus as corpus

    rows = ["项目名称,一级指标,二级指标,三级指标,指标值"]
    rows += [f"项目{i},产出指标,数量指标,调研{i},{i}次" for i in range(6)]
    src = tmp_path / "six.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    real, calls = corpus.write_atomic, []

    def fills_up(path, data, **kw):
        calls.append(path)
        if len(calls) == 4:
            raise FULL
        real(path, data, **kw)

    with monkeypatch.context() as m:
        m.setattr(corpus, "write_atomic", fills_up)
        code, out, err = run_cli(capsys, "import", src)
    assert code == 3 and out == "" and len(calls) == 4
    one_line(err, "导入表格失败", "磁盘空间不足")
    assert list(corpus.config.user_corpus_dir().glob("*.json")) == []  # all or nothing
    code, out, _ = run_cli(capsys, "import", src)
    assert code == 0 and "共新增 6 张表" in out


# --- special, oversized and bomb files: exit 2, refused before any work -------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_a_device_is_refused_not_read(capsys, tmp_path):
    fifo = tmp_path / "tables.csv"
    os.mkfifo(fifo)
    for args in (("import", fifo), ("import", "/dev/zero"), ("draft", "--answers", fifo)):
        code, _, err = run_cli(capsys, *args)
        assert code == 2
        one_line(err, str(args[-1]), "不是普通文件")


def test_an_oversized_import_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(fileio, "MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text(
        "项目名称,一级指标,二级指标,三级指标,指标值\n" + "甲,产出指标,数量指标,调研,5次\n" * 100,
        "utf-8",
    )
    code, _, err = run_cli(capsys, "import", big)
    assert code == 2
    one_line(err, str(big), "文件过大", "上限")


def _workbook(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["项目甲", "产出指标", "数量指标", "调研", "5次"])
    path = tmp_path / "good.xlsx"
    wb.save(path)
    return path


def _rewrite(
    src: Path, dst: Path, part: str, change, extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def test_a_zip_bomb_xlsx_is_refused_by_its_ratio(capsys, tmp_path):
    bomb = _rewrite(
        _workbook(tmp_path),
        tmp_path / "bomb.xlsx",
        "",
        bytes,
        {"xl/media/x.bin": b"\0" * 5_000_000},
    )
    assert bomb.stat().st_size < 100_000
    code, _, err = run_cli(capsys, "import", bomb)
    assert code == 2
    one_line(err, "压缩比异常", "压缩炸弹")


def test_a_workbook_unpacking_past_the_limit_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(fileio, "MAX_XLSX_UNPACKED", 5_000)
    code, _, err = run_cli(capsys, "import", _workbook(tmp_path))
    assert code == 2
    one_line(err, "解压后", "超过上限")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda xml: xml[: len(xml) // 2], id="broken-xml"),
        pytest.param(
            lambda xml: xml.replace(b't="inlineStr"><is><t>', b't="s"><v>999</v><is><t>', 1),
            id="bad-shared-string-index",
        ),
    ],
)
def test_a_malformed_workbook_is_one_line_exit_2(capsys, tmp_path, change):
    bad = _rewrite(_workbook(tmp_path), tmp_path / "bad.xlsx", "xl/worksheets/sheet1.xml", change)
    code, _, err = run_cli(capsys, "import", bad)
    assert code == 2
    one_line(err, str(bad), "xlsx")
    assert "Error" not in err


def test_a_yaml_alias_bomb_in_an_answers_file_is_refused(capsys, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nproject_name: x\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "draft", "--answers", path)
    assert code == 2
    one_line(err, str(path), "别名", "上限")
    assert DraftStore().list() == []


# --- hostile cell text ------------------------------------------------------------------------


def test_csv_export_neutralises_formulas_and_our_import_takes_the_guard_off(capsys, tmp_path):
    assert guard("=1+1") == "'=1+1" and guard("@SUM(A1)") == "'@SUM(A1)"
    assert guard("-5") == "-5" and guard("+0.5%") == "+0.5%" and guard("1-2") == "1-2"
    assert unguard(guard("-cmd|' /C calc'!A0")) == "-cmd|' /C calc'!A0"
    t = table('=HYPERLINK("http://x","点我")')
    t.indicators[0].value = "+1次"
    draft_id = DraftStore().create(t).draft_id
    out = tmp_path / "t.csv"
    code, _, err = run_cli(capsys, "export", draft_id, "-f", "csv", "-o", out)
    assert code == 0, err
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=" not in text and "\n=" not in text
    code, _, err = run_cli(capsys, "import", out, "--json")
    assert code == 0, err
    (stored,) = [
        json.loads(p.read_text("utf-8"))
        for p in (Path(os.environ["JIXIAO_HOME"]) / "corpus").glob("*.json")
    ]
    assert stored["header"]["project_name"] == '=HYPERLINK("http://x","点我")'
    assert stored["indicators"][0]["value"] == "+1次"


def test_a_name_with_nul_and_escapes_is_cleaned_and_exports_to_xlsx(capsys, tmp_path):
    from openpyxl import load_workbook

    raw = table().model_dump(mode="json")
    raw["header"]["project_name"] = "项目\x00甲\x1b[2J\x1b]0;标题\x07"
    raw["indicators"][0]["name"] = "1.调研\x0b督导"
    t = TargetTable.model_validate(raw)
    assert t.header.project_name == "项目甲[2J]0;标题" and t.indicators[0].name == "1.调研督导"
    draft_id = DraftStore().create(t).draft_id
    for fmt in ("xlsx", "flat-xlsx"):
        out = tmp_path / f"t-{fmt}.xlsx"
        code, _, err = run_cli(capsys, "export", draft_id, "-f", fmt, "-o", out)
        assert code == 0, err
        cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
        assert any("项目甲" in str(v) for v in cells)


def test_the_official_header_names_the_provincial_fund_level_of_the_table():
    assert regional_label(table(department="自治区乡村振兴局")) == "自治区资金"
    assert regional_label(table(department="四川省财政厅")) == "省级资金"
    assert regional_label(table(department="重庆市教育委员会")) == "市级资金"
    t = table(department="某局")
    t.provenance = Provenance(source="https://www.nx.gov.cn/x.html", unit="宁夏回族自治区某中心")
    assert regional_label(t) == "自治区资金"

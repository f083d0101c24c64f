"""The files users have: .xls with merged cells, .docx, text-layer PDF, saved HTML pages —
each read into the same table; a scanned PDF refused in one Chinese line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from clirun import one_line, run_cli

from assistant.errors import JixiaoError
from assistant.importers import read_file

DATA = Path(__file__).resolve().parent / "data" / "import"

ROWS = [
    ("产出指标", "数量指标", "数字化档案", "≥10000卷"),
    ("产出指标", "质量指标", "数字化合格率", "≥98%"),
    ("满意度指标", "服务对象满意度指标", "查档群众满意度", "≥90%"),
]
WANT = [
    ("产出指标", "数量指标", "数字化档案", "≥10000卷"),
    ("产出指标", "质量指标", "数字化合格率", "≥98%"),
    ("满意度指标", "服务对象满意度", "查档群众满意度", "≥90%"),
]


def _got(path: Path) -> tuple[str, list[tuple]]:
    result = read_file(path)
    (table,) = result.tables
    return result.format, [(i.level1, i.level2, i.name, i.value) for i in table.indicators]


def test_xls_with_merged_cells():
    # made with xlwt: the title and the project name span columns, 产出指标 spans three rows
    result = read_file(DATA / "road_merged.xls")
    (table,) = result.tables
    assert result.format == "xls"
    h = table.header
    assert (h.project_name, h.department, h.unit) == (
        "乡村道路养护",
        "县交通运输局",
        "县公路养护中心",
    )
    assert (h.total.value, h.annual_total.value, h.year) == (Decimal("120.5"), Decimal("60"), 2024)
    assert [(i.level1, i.level2, i.name, i.value, i.weight) for i in table.indicators] == [
        ("产出指标", "数量指标", "养护里程", "≥50公里", "30"),
        ("产出指标", "质量指标", "养护合格率", "≥95%", "20"),
        ("产出指标", "时效指标", "完成时间", "2024年11月底前", "10"),
        ("效益指标", "社会效益", "群众出行条件", "明显改善", "20"),
        ("满意度指标", "服务对象满意度", "沿线群众满意度", "≥90%", "20"),
    ]
    assert table.indicators[0].provenance.line == 7  # the sheet's own row number


def test_docx_table_with_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("档案数字化项目支出绩效目标表（2024年度）")
    table = document.add_table(rows=3 + len(ROWS), cols=4)
    table.cell(0, 0).text = "项目名称"
    table.cell(0, 1).merge(table.cell(0, 3)).text = "档案数字化"
    table.cell(1, 0).text = "实施单位"
    table.cell(1, 1).merge(table.cell(1, 3)).text = "市档案馆"
    for c, title in enumerate(["一级指标", "二级指标", "三级指标", "指标值"]):
        table.cell(2, c).text = title
    for r, row in enumerate(ROWS, start=3):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(4, 0).text = ""
    table.cell(3, 0).merge(table.cell(4, 0))  # 产出指标 spans two rows
    path = tmp_path / "目标表.docx"
    document.save(path)
    assert _got(path) == ("docx", WANT)


def _pdf(lines: list[tuple[float, float, str]], rules: list[tuple[float, ...]]) -> bytes:
    """A one-page text-layer PDF: Chinese text in the standard STSong-Light font, and lines."""
    ops = [f"{x1} {y1} m {x2} {y2} l S" for x1, y1, x2, y2 in rules]
    ops += [f"BT /F1 9 Tf {x} {y} Td <{t.encode('utf-16-be').hex()}> Tj ET" for x, y, t in lines]
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_text_layer_pdf(tmp_path, ruled):
    grid = [
        ["项目名称", "档案数字化", "", ""],
        ["实施单位", "市档案馆", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        *[list(r) for r in ROWS],
    ]
    xs, top, height = [40, 140, 260, 420, 540], 800, 20
    lines = [(40, 820, "档案数字化项目绩效目标表（2024年度）")]
    lines += [
        (xs[c] + 3, top - (r + 1) * height + 6, text)
        for r, row in enumerate(grid)
        for c, text in enumerate(row)
        if text
    ]
    rules = [(40, top - r * height, 540, top - r * height) for r in range(len(grid) + 1)]
    rules += [(x, top, x, top - len(grid) * height) for x in xs]
    path = tmp_path / "目标表.pdf"
    path.write_bytes(_pdf(lines, rules if ruled else []))  # unruled: read as text lines
    result = read_file(path)
    (table,) = result.tables
    assert (result.format, table.header.unit, table.header.year) == ("pdf", "市档案馆", 2024)
    assert _got(path) == ("pdf", WANT)


def test_scanned_pdf_is_refused_in_one_chinese_line(tmp_path, capsys):
    from PIL import Image

    path = tmp_path / "扫描件.pdf"
    Image.new("RGB", (200, 100), "white").save(path)  # an image-only PDF, as a scanner makes
    with pytest.raises(JixiaoError, match="这是扫描版 PDF（只有图片，没有文字层），无法读取"):
        read_file(path)
    code, out, err = run_cli(capsys, "import", path)
    assert code == 2 and out == ""
    one_line(err, str(path), "扫描版 PDF")


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>公开</title>
<script>var x = "项目名称";</script></head><body>
<p>档案数字化项目绩效目标表</p><p>(2024年度)</p>
<table border="1">
<tr><td>项目名称</td><td colspan="3">档案数字化</td></tr>
<tr><td>主管部门</td><td>市委办公室</td><td>实施单位</td><td>市档案馆</td></tr>
<tr><td>项目总额</td><td colspan="3">35.6</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>数字化档案</td><td>≥10000卷</td></tr>
<tr><td>质量指标</td><td>数字化合格率</td><td>≥98%</td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>查档群众满意度</td><td>≥90%</td></tr>
</table></body></html>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_saved_html_page_with_rowspan_and_colspan(tmp_path, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(HTML.replace("utf-8", encoding).encode(encoding))
    result = read_file(path)
    (table,) = result.tables
    assert (table.header.department, table.header.unit) == ("市委办公室", "市档案馆")
    assert (table.header.total.value, table.header.year) == (Decimal("35.6"), 2024)
    assert _got(path) == ("html", WANT)


def test_import_reports_rows_taken_and_skipped_per_table(tmp_path, capsys):
    html = HTML.replace(
        "</table>",
        "<tr><td></td><td>时效指标</td><td>完成时间</td><td>计划标准</td></tr></table>",
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", path, "--json")
    assert code == 0
    (project,) = json.loads(out)["files"][0]["projects"]
    assert project["indicators"] == 3
    (skipped,) = project["skipped"]
    assert skipped["line"] == 10  # the page's tenth row: 2 lines of title, 8 table rows
    assert "“完成时间”跳过：指标值“计划标准”是指标值设定依据" in skipped["reason"]
    code, out, _ = run_cli(capsys, "import", path)
    assert "[已有] 档案数字化：取 3 条指标，跳过 1 行（见下方说明）" in out


def test_xlsx_in_the_published_layout_with_merged_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["项目支出绩效目标表（2024年度）"])
    ws.merge_cells("A1:D1")
    ws.append(["项目名称", "档案数字化"])
    ws.merge_cells("B2:D2")
    ws.append(["实施单位", "市档案馆"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    for row in ROWS:
        ws.append(list(row))
    ws["A6"] = None
    ws.merge_cells("A5:A6")  # 产出指标 spans two rows, as finance systems export it
    path = tmp_path / "目标表.xlsx"
    wb.save(path)
    assert _got(path) == ("xlsx", WANT)

"""Office documents and saved pages as rows of cells: .xls (xlrd), .docx (python-docx),
text-layer PDF (pdfplumber) and saved HTML (selectolax). Each becomes the same ``Row`` list
the text-layout parser reads, so every layout rule applies to every format.

Merged cells are kept once: a cell spanning columns or rows is given to its first row and
column only (the rest are left empty), as a published page prints it. Row numbers count the
document's rows (paragraphs and table rows in order; a sheet's own row numbers for .xls).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import JixiaoError
from assistant.importers.labels import Row

SCANNED_PDF = (
    "这是扫描版 PDF（只有图片，没有文字层），无法读取；请导入原始的 Excel/Word 文件，"
    "或把表格内容复制成文本后再导入"
)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


# --- .xls --------------------------------------------------------------------------


def xls_sheets(path: Path, shown: str) -> list[tuple[str, list[Row]]]:
    """Every sheet of an old-format workbook as rows (sheet row numbers, merged cells once)."""
    import xlrd
    from xlrd.compdoc import CompDocError

    try:
        book = xlrd.open_workbook(str(path), formatting_info=False, on_demand=True)
    except (
        xlrd.XLRDError,
        CompDocError,
        OSError,
        ValueError,
        AssertionError,
        IndexError,
        KeyError,
    ):
        raise JixiaoError("无法打开 .xls 文件，文件可能已损坏或不完整", path=shown) from None
    sheets = []
    try:
        for sheet in book.sheets():
            hidden = {
                (r, c)
                for r0, r1, c0, c1 in sheet.merged_cells
                for r in range(r0, r1)
                for c in range(c0, c1)
                if (r, c) != (r0, c0)
            }
            rows = []
            for r in range(sheet.nrows):
                cells = [
                    "" if (r, c) in hidden else _xls_text(sheet.cell(r, c), book.datemode)
                    for c in range(sheet.ncols)
                ]
                if any(cells):
                    rows.append(Row(r + 1, cells, ruled=True))
            sheets.append((sheet.name, rows))
    except (xlrd.XLRDError, ValueError, AssertionError, IndexError, KeyError):
        raise JixiaoError("读取 .xls 内容时出错，文件可能已损坏或不完整", path=shown) from None
    finally:
        book.release_resources()
    return sheets


def _xls_text(cell: Any, datemode: int) -> str:
    import xlrd

    from assistant.importers.xlsx import cell_text

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _clean(str(cell.value))


# --- .docx -------------------------------------------------------------------------


def docx_rows(path: Path, shown: str) -> list[Row]:
    """Paragraphs and table rows in document order; a merged cell appears once."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError):
        raise JixiaoError(
            "无法打开 .docx 文件，文件可能已损坏或不是 Word 文档", path=shown
        ) from None
    rows: list[Row] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for cells in _docx_table(block):
                rows.append(Row(len(rows) + 1, cells, ruled=True))
        elif text := _clean(block.text):
            rows.append(Row(len(rows) + 1, [text]))
    return rows


def _docx_table(table: Any) -> Iterator[list[str]]:
    seen: set[Any] = set()  # the cells' XML elements (kept alive, so identity is stable)
    for row in table.rows:
        cells = []
        for cell in row.cells:
            cells.append("" if cell._tc in seen else _clean(cell.text))
            seen.add(cell._tc)
        if any(cells):
            yield cells


# --- PDF ---------------------------------------------------------------------------


def pdf_rows(path: Path, shown: str) -> list[Row]:
    """A text-layer PDF page by page: its ruled tables row by row, other text line by line.
    A PDF without any text (a scan) is refused: there is no OCR here."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    rows: list[Row] = []
    any_text = False
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                any_text = any_text or bool(page.chars)
                for cells in _pdf_page(page):
                    rows.append(Row(len(rows) + 1, cells))
    except (PDFSyntaxError, ValueError, KeyError, TypeError, OSError):
        raise JixiaoError("无法打开 PDF 文件，文件可能已损坏或不完整", path=shown) from None
    except Exception as exc:  # pdfminer raises its own PSException family on damaged files
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise JixiaoError("无法读取 PDF 文件，文件可能已损坏或加密", path=shown) from None
        raise
    if not any_text:
        raise JixiaoError(SCANNED_PDF, path=shown)
    return rows


def _pdf_page(page: Any) -> Iterator[list[str]]:
    tables = page.find_tables()
    top = min((t.bbox[1] for t in tables), default=page.height)
    above = page.crop((0, 0, page.width, top)) if tables and top > 0 else page
    for line in (above.extract_text() or "").splitlines():
        if line.strip():
            yield line.split()
    for table in tables:
        for cells in table.extract():
            texts = [_clean(c) for c in cells]
            if any(texts):
                yield texts
    if tables:
        bottom = max(t.bbox[3] for t in tables)
        if bottom < page.height:
            for line in (
                page.crop((0, bottom, page.width, page.height)).extract_text() or ""
            ).splitlines():
                if line.strip():
                    yield line.split()


# --- HTML --------------------------------------------------------------------------

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "span", "td", "th"}


def html_rows(text: str) -> list[Row]:
    """A saved page: each table as a grid (rowspan/colspan expanded, the merged text kept in
    its first cell only); the text before each table as lines (the title, the year)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(text)
    for node in tree.css("script, style, noscript"):
        node.decompose()
    rows: list[Row] = []
    tables = [t for t in tree.css("table") if len(t.css("table")) == 1]  # innermost (self)
    if not tables:
        body = tree.body or tree.root
        for line in (body.text(separator="\n") if body else "").splitlines():
            if line.strip():
                rows.append(Row(len(rows) + 1, [_clean(line)]))
        return rows
    for table in tables:
        for line in _text_before(table):
            rows.append(Row(len(rows) + 1, [line]))
        for cells in _html_grid(table):
            rows.append(Row(len(rows) + 1, cells, ruled=True))
    return rows


def _text_before(table: Any) -> list[str]:
    """Short text lines just before a table (its title, year, unit line), up to six."""
    lines: list[str] = []
    node = table.prev
    while node is not None and len(lines) < 6:
        if node.tag == "table":
            break
        if node.tag not in ("-text", "script", "style"):
            text = node.text(separator="\n")
            lines = [_clean(t) for t in text.splitlines() if t.strip()] + lines
        elif node.tag == "-text" and node.text().strip():
            lines.insert(0, _clean(node.text()))
        node = node.prev
    return lines[-6:]


def _span(node: Any, name: str) -> int:
    try:
        return max(1, min(int(node.attributes.get(name) or 1), 200))
    except ValueError:
        return 1


def _html_grid(table: Any) -> list[list[str]]:
    grid: dict[tuple[int, int], str] = {}
    width = 0
    trs = [tr for tr in table.css("tr")]
    for r, tr in enumerate(trs):
        c = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            text = _clean(cell.text(separator=" "))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
            c += cs
            width = max(width, c)
    out = []
    for r in range(len(trs)):
        cells = [grid.get((r, c), "") for c in range(width)]
        if any(cells):
            out.append(cells)
    return out

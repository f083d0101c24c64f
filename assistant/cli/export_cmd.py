"""``jixiao export ID --format …``: write a draft (or a table file) as xlsx, CSV, Markdown, JSON."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.cli.common import echo_json, json_option
from assistant.errors import JixiaoError, os_reason

FORMAT_CHOICES = ("xlsx", "flat-xlsx", "csv", "md", "json")


def _tables(source: str, revision: int | None):
    """(tables, label): a table file when ``source`` names one, else a draft from the store."""
    path = Path(source).expanduser()
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except OSError as exc:  # a name too long for the file system
        raise JixiaoError(f"无法读取 {source[:60]}：{os_reason(exc)}") from None
    if is_file:
        if revision is not None:
            raise JixiaoError("--revision 只适用于草稿编号，不适用于文件。")
        from assistant.importers import load_file

        tables = load_file(path)
        if not tables:
            raise JixiaoError("文件中没有可导出的表", path=str(path))
        return tables, str(path)
    if is_dir:
        raise JixiaoError(f"{path} 是目录；请给出草稿编号或一个表格文件。")
    if path.suffix or "/" in source or "\\" in source:
        raise JixiaoError(f"文件不存在：{path}（也不是草稿编号）")
    from assistant.store import DraftStore

    store = DraftStore()
    rev = store.revision(source, revision) if revision is not None else store.get(source)
    return [rev.table], f"草稿 {rev.draft_id} 第 {rev.number} 版"


def _targets(tables, fmt: str, output: str | None) -> list[Path]:
    """One output path per table; several tables need a folder, each named after its project.
    A folder that does not exist yet (``-o 报表/``, or a name without extension) is created."""
    from assistant.export import default_filename, output_path
    from assistant.export.files import make_folder, means_folder, resolve_output

    if output is not None:
        output_path(tables[0], fmt, Path(output).expanduser())  # refuses over-long names
    if len(tables) == 1:
        if output is None:
            return [output_path(tables[0], fmt, None)]
        return [resolve_output(output, default_filename(tables[0], fmt))]
    if output is not None and not means_folder(output):
        raise JixiaoError(f"该文件含 {len(tables)} 张表，-o 需要指向一个目录：{output}")
    folder = make_folder(Path(output).expanduser()) if output is not None else Path.cwd()
    paths: list[Path] = []
    for table in tables:
        path = folder / default_filename(table, fmt)
        n = 1
        while path in paths:
            n += 1
            stem, dot, ext = default_filename(table, fmt).rpartition(".")
            path = folder / f"{stem}_{n}{dot}{ext}"
        paths.append(path)
    return paths


@click.command("export")
@click.argument("source", metavar="ID")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="xlsx",
    show_default=True,
    help="xlsx 正式表样；flat-xlsx/csv 平表（交换格式）；md 可粘贴进文档；json 模型格式",
)
@click.option(
    "-o",
    "--output",
    help="输出文件或目录（默认：当前目录，文件名取自项目名称）；不存在的目录会被创建",
)
@click.option("--force", is_flag=True, help="允许覆盖已存在的文件")
@click.option("--revision", type=int, metavar="N", help="导出草稿的第 N 版（默认最新版）")
@json_option
def command(
    source: str,
    fmt: str,
    output: str | None,
    force: bool,
    revision: int | None,
    as_json: bool,
) -> None:
    """导出草稿（编号）或表格文件（路径）。已存在的文件不会被覆盖，除非加 --force。"""
    from assistant.export import export_table
    from assistant.export.files import exists_error

    tables, label = _tables(source, revision)
    paths = _targets(tables, fmt, output)
    if not force:  # all or nothing: refuse before writing any file
        for path in paths:
            if path.exists():
                raise exists_error(path)
    written = [export_table(t, fmt, p, force=force) for t, p in zip(tables, paths, strict=True)]
    if as_json:
        echo_json({"source": label, "format": fmt, "files": [str(p) for p in written]})
        return
    for path in written:
        click.echo(f"已导出（{fmt}）：{path}")

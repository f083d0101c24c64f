"""``jixiao import PATH... [--json]``: add past tables to the user's precedent corpus.

Every file is read first; only if all of them can be read is anything written, so one bad
file (exit code 2, one Chinese line naming it) leaves the corpus as it was.
"""

from __future__ import annotations

import click

from assistant.cli.common import echo_json, json_option

FORMAT_ZH = {
    "text": "公开文本版式",
    "csv": "平表 CSV",
    "xlsx": "Excel 工作簿",
    "xls": "旧版 Excel 工作簿",
    "docx": "Word 文档",
    "pdf": "PDF",
    "html": "网页",
    "json": "JSON",
}


@click.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@json_option
def command(paths: tuple[str, ...], as_json: bool) -> None:
    """把以往的绩效目标表（文本、CSV、XLSX/XLS、DOCX、PDF、网页、JSON）导入本机先例库。

    同一张表重复导入不会重复添加。任何一个文件有误时，所有文件都不导入（退出码2）；
    磁盘已满等写入失败时也一张都不导入（退出码3）。
    """
    from assistant import config
    from assistant.corpus import all_or_nothing
    from assistant.importers import import_paths, skipped_rows

    with all_or_nothing():  # a failure part-way (a full disk) takes back what was written
        result = import_paths(paths)
    if as_json:
        echo_json(
            {
                "corpus": str(config.user_corpus_dir()),
                "files": [
                    {
                        "path": f.path,
                        "format": f.format,
                        "encoding": f.encoding,
                        "tables": len(f.tables),
                        "indicators": f.indicator_count,
                        "added": len(f.added),
                        "already_present": len(f.already_present),
                        "projects": [
                            {
                                "name": t.header.project_name,
                                "indicators": len(t.indicators),
                                "skipped": skipped_rows(t),
                                "status": "added" if t in f.added else "already_present",
                                "notes": t.notes,
                            }
                            for t in f.tables
                        ],
                        "warnings": f.warnings,
                    }
                    for f in result.files
                ],
                "added": len(result.added),
                "already_present": len(result.already_present),
            }
        )
        return
    for f in result.files:
        enc = f"，编码 {f.encoding}" if f.encoding else ""
        click.echo(
            f"{f.path}（{FORMAT_ZH.get(f.format, f.format)}{enc}）：读到 {len(f.tables)} 张表、"
            f"{f.indicator_count} 条指标；新增 {len(f.added)} 张，"
            f"已在先例库中 {len(f.already_present)} 张。"
        )
        for t in f.tables:
            mark = "新增" if t in f.added else "已有"
            skipped = len(skipped_rows(t))
            tail = f"，跳过 {skipped} 行（见下方说明）" if skipped else ""
            click.echo(f"  [{mark}] {t.header.project_name}：取 {len(t.indicators)} 条指标{tail}")
            for note in t.notes:
                click.echo(f"      说明：{note}")
        for w in f.warnings:
            click.echo(f"  提醒：{w}")
    click.echo(
        f"共新增 {len(result.added)} 张表，{len(result.already_present)} 张已存在未重复添加；"
        f"先例库位置：{config.user_corpus_dir()}"
    )

"""``jixiao drafts``, ``show ID``, ``delete ID`` and ``compact``: the local draft store.

Damage the store found and worked around (a revision that no longer loads, a catalogue
entry rebuilt) is said on stderr as ``提醒：…`` lines (see ``assistant.cli.main``); the
command still succeeds."""

from __future__ import annotations

from datetime import datetime

import click

from assistant.cli.common import echo_json, json_option
from assistant.errors import JixiaoError


def _local(ts: datetime) -> str:
    """A saved time in the user's local time zone, to the minute."""
    return ts.astimezone().strftime("%Y-%m-%d %H:%M")


def _store():
    from assistant.store import DraftStore

    return DraftStore()


@click.command("drafts")
@json_option
def drafts(as_json: bool) -> None:
    """列出本机保存的草稿（最近保存的在前）。"""
    summaries = _store().list()
    if as_json:
        echo_json({"drafts": [s.model_dump(mode="json") for s in summaries]})
        return
    if not summaries:
        click.echo("还没有草稿。运行 jixiao 开始填写，或用 jixiao draft --answers 文件 生成。")
        return
    click.echo("编号      修订数  更新时间          项目名称")
    for s in summaries:
        click.echo(f"{s.id}  {s.revisions:>6}  {_local(s.updated_at)}  {s.project_name}")
    click.echo(f"共 {len(summaries)} 份草稿。用 jixiao show 编号 查看。")


@click.command("show")
@click.argument("draft_id", metavar="ID")
@click.option("--history", is_flag=True, help="列出全部修订版本")
@click.option("--revision", "revision", type=int, metavar="N", help="显示第 N 版（默认最新版）")
@click.option("--restore", type=int, metavar="N", help="把第 N 版恢复为最新版（保留全部历史）")
@json_option
def show(
    draft_id: str, history: bool, revision: int | None, restore: int | None, as_json: bool
) -> None:
    """显示一份草稿（编号可只写前几位）；也可查看历史版本或恢复旧版本。"""
    chosen = [
        name
        for name, on in (
            ("--history", history),
            ("--revision", revision is not None),
            ("--restore", restore is not None),
        )
        if on
    ]
    if len(chosen) > 1:
        raise JixiaoError(f"{' 与 '.join(chosen)} 不能同时使用。")
    store = _store()
    if history:
        revisions = store.history(draft_id)
        if as_json:
            echo_json(
                {
                    "draft_id": revisions[-1].draft_id,
                    "revisions": [
                        {
                            "number": r.number,
                            "saved_at": r.saved_at.isoformat(),
                            "message": r.message,
                            "project_name": r.table.header.project_name,
                            "indicators": len(r.table.indicators),
                        }
                        for r in revisions
                    ],
                }
            )
            return
        click.echo(f"草稿 {revisions[-1].draft_id} 共 {len(revisions)} 版：")
        for r in revisions:
            click.echo(
                f"  第 {r.number} 版  {_local(r.saved_at)}  {len(r.table.indicators)} 项指标"
                f"  {r.message or '（无说明）'}"
            )
        return
    if restore is not None:
        rev = store.restore(draft_id, restore)
        if as_json:
            echo_json(rev.model_dump(mode="json"))
        else:
            click.echo(
                f"已将草稿 {rev.draft_id} 恢复到第 {restore} 版（保存为新的第 {rev.number} 版）。"
            )
        return
    rev = store.revision(draft_id, revision) if revision is not None else store.get(draft_id)
    if as_json:
        echo_json(rev.model_dump(mode="json"))
        return
    from assistant.export.markdown import to_text

    click.echo(
        f"草稿 {rev.draft_id} · 第 {rev.number} 版 · 保存于 {_local(rev.saved_at)}"
        + (f" · {rev.message}" if rev.message else "")
    )
    click.echo(to_text(rev.table))


@click.command("delete")
@click.argument("draft_id", metavar="ID")
@click.option("--yes", is_flag=True, help="确认删除（删除后无法恢复）")
@json_option
def delete(draft_id: str, yes: bool, as_json: bool) -> None:
    """删除一份草稿及其全部修订版本（需加 --yes 确认）。"""
    store = _store()
    rev = store.get(draft_id)  # resolves a prefix and fails clearly for an unknown id
    if not yes:
        raise JixiaoError(
            f"删除草稿 {rev.draft_id}（{rev.table.header.project_name}，共 {rev.number} 版）"
            "无法恢复；确认删除请加 --yes。"
        )
    store.delete(rev.draft_id)
    if as_json:
        echo_json({"deleted": rev.draft_id, "project_name": rev.table.header.project_name})
    else:
        click.echo(f"已删除草稿 {rev.draft_id}（{rev.table.header.project_name}）。")


@click.command("compact")
@click.option(
    "--keep",
    type=int,
    default=10,
    show_default=True,
    metavar="N",
    help="每份草稿保留最新的 N 个版本（至少 1）",
)
@click.option("--apply", is_flag=True, help="真正精简（不加则只列出将删除哪些版本）")
@json_option
def compact(keep: int, apply: bool, as_json: bool) -> None:
    """精简旧版本：每份草稿保留第 1 版、最新 N 版和更早每天的最后一版。默认只预览。"""
    if keep < 1:
        raise JixiaoError(f"--keep 至少为 1（收到 {keep}）。")
    thinned = _store().compact(keep=keep, apply=apply)
    removed = sum(len(t.removed) for t in thinned)
    if as_json:
        echo_json(
            {
                "applied": apply,
                "keep": keep,
                "removed": removed,
                "drafts": [
                    {
                        "id": t.draft_id,
                        "project_name": t.project_name,
                        "before": t.before,
                        "removed": t.removed,
                    }
                    for t in thinned
                ],
            }
        )
        return
    if not thinned:
        click.echo(f"没有需要精简的草稿（每份草稿的版本都不多于 {keep + 1} 个）。")
        return
    verb = "已精简" if apply else "可精简"
    for t in thinned:
        numbers = "、".join(str(n) for n in t.removed)
        click.echo(
            f"{t.draft_id}  {t.project_name}：{verb} {len(t.removed)} / {t.before} 个版本"
            f"（第 {numbers} 版）"
        )
    if apply:
        click.echo(f"共删除 {removed} 个旧版本。")
    else:
        click.echo(f"共 {removed} 个旧版本可删除；确认后加 --apply 执行（删除后无法恢复）。")

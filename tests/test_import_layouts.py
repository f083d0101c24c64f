"""The layouts real published pages use, one small page each: every row read right, or the
table refused with the line and what looked wrong — never imported wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.errors import JixiaoError
from assistant.importers import load_file

HEAD = (
    "项目支出绩效目标表\n(2024年度)\n"
    "项目名称 | 干部培训项目 |\n主管部门 | 某市委组织部 |\n实施单位 | 某市委党校 |\n"
)
TABS = HEAD.replace(" | ", "\t").replace(" |", "")


def _rows(path) -> list[tuple]:
    (table,) = load_file(path)
    return [(i.level1, i.level2, i.name, i.value) for i in table.indicators]


def _page(tmp_path, text: str, name: str = "page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_variants_notes_and_a_leading_row_label(tmp_path):
    page = _page(
        tmp_path,
        HEAD
        + "绩效指标 | 一级 | 二级 | 指标名称 | 指标值 |\n"
        + "| 产出指标 | 数量指标(必填) | 培训期数 | 2期 |\n"
        + "| | 质量指标（选填） | 结业率 | ≥95% |\n"
        + "| | 成本指标(必填硬性指标) | 人均培训成本 | ≤800元/人 |\n"
        + "| 满意度指标 | 服务对象满意度 | 学员满意度 | ≥90% |\n",
    )
    assert _rows(page) == [
        ("产出指标", "数量指标", "培训期数", "2期"),
        ("产出指标", "质量指标", "结业率", "≥95%"),
        ("产出指标", "成本指标", "人均培训成本", "≤800元/人"),
        ("满意度指标", "服务对象满意度", "学员满意度", "≥90%"),
    ]


def test_label_split_across_lines_in_a_one_cell_per_line_page(tmp_path):
    cells = [
        "项目名称", "高标准农田建设", "主管部门", "县农业农村局", "实施单位", "农田建设服务中心",
        "年度资金总额:", "854万", "绩效指标", "一级指标", "二级指标", "三级指标", "指标值",
        "产出指标", "数量指标", "道路硬化里程", "≥100公里",
        "效益指标", "经济效益", "", "指标", "年增粮食", "3500公斤",
        "社会效益", "指标", "受益人口数", "≥500人",
        "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%",
    ]  # fmt: skip
    page = _page(tmp_path, "\n".join(cells) + "\n")
    (table,) = load_file(page)
    assert [(i.level2, i.name, i.value) for i in table.indicators] == [
        ("数量指标", "道路硬化里程", "≥100公里"),
        ("经济效益", "年增粮食", "3500公斤"),
        ("社会效益", "受益人口数", "≥500人"),
        ("服务对象满意度", "受益群众满意度", "≥90%"),
    ]
    assert table.header.unit == "农田建设服务中心"
    assert table.header.department == "县农业农村局"
    assert table.header.total.value == Decimal("854")


def test_weight_basis_and_rule_columns_are_fields_never_values(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标值\t权重\t指标值设定依据\t评分标准\n"
        + "产出指标\t数量指标\t培训人次\t≥300人次\t20\t计划标准\t完成得满分\n"
        + "\t时效指标\t按期完成率\t100%\t10\t历史标准\t按比例扣分\n"
        + "满意度指标\t服务对象满意度\t学员满意度\t≥90%\t10\t行业标准\t低于90%不得分\n",
    )
    (table,) = load_file(page)
    first = table.indicators[0]
    assert (first.value, first.weight, first.basis) == ("≥300人次", "20", "计划标准")
    assert first.note == "评分标准：完成得满分"
    assert [i.value for i in table.indicators] == ["≥300人次", "100%", "≥90%"]


def test_side_by_side_period_and_annual_columns_take_the_annual(tmp_path):
    page = _page(
        tmp_path,
        HEAD
        + "实施周期绩效目标 | 年度绩效目标 |\n"
        + "一级指标 | 二级指标 | 三级指标 | 指标值 | 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        + "产出指标 | 数量指标 | 培训人次 | 3000人次 "
        + "| 产出指标 | 数量指标 | 培训人次 | 1000人次 |\n"
        + "| 质量指标 | 结业率 | ≥95% | | 质量指标 | 结业率 | ≥95% |\n",
    )
    (table,) = load_file(page)
    assert [(i.level2, i.name, i.value, i.note) for i in table.indicators] == [
        ("数量指标", "培训人次", "1000人次", "实施周期指标值：3000人次"),
        ("质量指标", "结业率", "≥95%", None),
    ]


def test_period_and_annual_value_columns_in_one_set(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t实施期指标值\t年度指标值\n"
        + "产出指标\t数量指标\t新建道路\t30公里\t10公里\n",
    )
    (table,) = load_file(page)
    (row,) = table.indicators
    assert (row.value, row.note) == ("10公里", "实施周期指标值：30公里")


def test_formal_columns_compose_the_value(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标性质\t指标方向\t目标值\t计量单位\t分值\n"
        + "产出指标\t质量指标\t政府采购率\t正向\t大于等于\t30\t%\t7.5\n"
        + "\t时效指标\t采购完成时间\t定性\t11月底之前\t5\n",
    )
    (table,) = load_file(page)
    assert [(i.value, i.weight) for i in table.indicators] == [
        ("正向 大于等于 30 %", "7.5"),
        ("定性 11月底之前", "5"),
    ]


def test_self_evaluation_takes_actual_and_reason(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t"
        + "偏差原因分析及改进措施\n"
        + "产出指标\t数量指标\t培训人次\t≥300人次\t280人次\t20\t18\t疫情影响\n",
    )
    (table,) = load_file(page)
    (row,) = table.indicators
    assert table.table_type == "self_evaluation"
    assert (row.value, row.actual, row.weight, row.note) == (
        "≥300人次", "280人次", "20", "偏差原因：疫情影响",
    )  # fmt: skip


def test_space_separated_rows(tmp_path):
    page = _page(
        tmp_path,
        "项目名称 道路养护\n实施单位 县公路段\n项目总额 120\n"
        "一级指标 二级指标 三级指标 指标值\n"
        "产出指标 数量指标 养护里程 ≥50公里\n"
        "效益指标 社会效益指标 通行条件 明显改善\n",
    )
    assert _rows(page) == [
        ("产出指标", "数量指标", "养护里程", "≥50公里"),
        ("效益指标", "社会效益", "通行条件", "明显改善"),
    ]


def test_several_projects_on_one_page(tmp_path):
    block = "项目名称 | {} |\n实施单位 | 某单位 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    page = _page(
        tmp_path,
        "绩效目标表\n(2023年)\n"
        + block.format("甲项目")
        + "产出指标 | 数量指标 | 维修面积 | ≥400平方米 |\n"
        + block.format("乙项目")
        + "产出指标 | 数量指标 | 参审案件数量 | ≥900件 |\n",
    )
    tables = load_file(page)
    assert [(t.header.project_name, t.header.year, len(t.indicators)) for t in tables] == [
        ("甲项目", 2023, 1),
        ("乙项目", 2023, 1),
    ]


def test_a_row_whose_value_is_a_standard_name_is_skipped_and_named(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标值\n"
        + "产出指标\t数量指标\t培训人次\t≥300人次\n"
        + "\t质量指标\t结业率\t≥95%\n"
        + "\t时效指标\t完成时间\t2024年底前\n"
        + "\t服务对象满意度\t学员满意度\t计划标准\n",
    )
    (table,) = load_file(page)
    assert [i.name for i in table.indicators] == ["培训人次", "结业率", "完成时间"]
    assert any(n.startswith("第10行“学员满意度”跳过：指标值“计划标准”") for n in table.notes)


def test_shifted_rows_are_refused_with_the_line(tmp_path):
    # every value moved one row up: names read as values and level names as values
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标值\n"
        + "产出指标\t数量指标\t培训人次\t结业率\n"
        + "\t质量指标\t≥300人次\t指标\n"
        + "\t时效指标\t≥95%\t质量指标\n",
    )
    with pytest.raises(JixiaoError, match=r"第8行：表格“干部培训项目”有 \d 行读不通.*整张表未导入"):
        load_file(page)


def test_swapped_name_and_value_columns_are_refused(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标值\n"
        + "产出指标\t数量指标\t300\t培训人次\n"
        + "\t质量指标\t95%\t结业率\n",
    )
    with pytest.raises(JixiaoError, match="名称和指标值可能错位"):
        load_file(page)


def test_one_cell_per_line_self_evaluation_with_broken_titles_and_empty_reasons(tmp_path):
    cells = [
        "项目名称", "暖通改造", "实施单位", "某学校",
        "一级指标", "二级指标", "三级指标", "年度", "指标值", "实际", "完成值", "分值", "得分",
        "偏差原因分析及改进措施",
        "产出指标", "数量指标", "工程资金金额", "43.2", "37.24", "10", "9", "尾款未付",
        "质量指标", "工程完工率", "100%", "100%", "10", "10",
        "工程验收合格率", "100%", "100%", "10", "10",
        "满意度指标", "服务对象满意度", "学生满意度", "≥90%", "95%", "10", "10",
    ]  # fmt: skip
    (table,) = load_file(_page(tmp_path, "\n".join(cells) + "\n"))
    assert [(i.level2, i.name, i.value, i.actual, i.weight) for i in table.indicators] == [
        ("数量指标", "工程资金金额", "43.2", "37.24", "10"),
        ("质量指标", "工程完工率", "100%", "100%", "10"),
        ("质量指标", "工程验收合格率", "100%", "100%", "10"),
        ("服务对象满意度", "学生满意度", "≥90%", "95%", "10"),
    ]
    assert table.indicators[0].note == "偏差原因：尾款未付"


def test_rows_wider_than_the_header_are_refused(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标值\t实际完成值\n"
        + "产出指标\t质量指标\t覆盖率\t享受补贴人数占比\t>=\t98\t%(百分比)\t100%\n"
        + "\t时效指标\t完成率\t按月审批的比例\t>=\t99\t%(百分比)\t100%\n",
    )
    with pytest.raises(JixiaoError, match="比表头的 3 列多，各列对不上"):
        load_file(page)


def test_long_term_and_annual_sets_with_the_long_term_cells_empty(tmp_path):
    cells = [
        "项目名称", "教育设施建设", "实施单位", "区教育局",
        "资金总额", "10000万元", "当年资金总额:", "3000万元",
        "一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)",
        "二级指标(年度)", "三级指标(年度)", "指标值(年度)",
        "产出指标", "数量指标", "数量指标", "重点工程数量", "2",
        "产出指标", "成本指标", "成本指标", "建设项目成本", "≤3000万元",
        "满意度指标", "服务对象满意度指标", "服务对象满意度指标", "家长满意度", "≥90%",
    ]  # fmt: skip
    (table,) = load_file(_page(tmp_path, "\n".join(cells) + "\n"))
    assert [(i.level1, i.level2, i.name, i.value) for i in table.indicators] == [
        ("产出指标", "数量指标", "重点工程数量", "2"),
        ("产出指标", "成本指标", "建设项目成本", "≤3000万元"),
        ("满意度指标", "服务对象满意度", "家长满意度", "≥90%"),
    ]
    assert (table.header.total.value, table.header.annual_total.value) == (
        Decimal("10000"),
        Decimal("3000"),
    )


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("项目总金额（万元）", "total"),
        ("年度资金总额(万元):", "annual_total"),
        ("其中：上年结转", "carryover"),
        ("主管部门及编码", "department"),
        ("项目执行单位", "unit"),
    ],
)
def test_header_label_spellings(tmp_path, label, field):
    page = _page(
        tmp_path,
        f"项目名称 | 甲项目 |\n{label} | 12.5 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 培训人次 | 100人次 |\n",
    )
    (table,) = load_file(page)
    h = table.header
    got = {
        "total": h.total.raw if h.total else None,
        "annual_total": h.annual_total.raw if h.annual_total else None,
        "carryover": h.funds.carryover.raw if h.funds.carryover else None,
        "department": h.department,
        "unit": h.unit,
    }
    assert got[field] == "12.5"


def test_goal_keeps_its_own_text_not_the_columns_beside_it(tmp_path):
    page = _page(
        tmp_path,
        "项目名称 | 冷库建设 |\n实施单位 | 某合作社 |\n"
        "年度总体目标 | 预期目标 | 实际完成情况 |\n"
        "| 建成冷库1290平方米 | 已建成冷库1290平方米 |\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 |\n"
        "产出指标 | 数量指标 | 冷库面积 | ≥1290平方米 | 1290平方米 |\n",
    )
    (table,) = load_file(page)
    assert table.goal == "建成冷库1290平方米"


def test_goal_and_its_actual_on_alternate_lines(tmp_path):
    cells = [
        "项目名称", "食品监管", "实施单位", "区市场监管局",
        "年度目标完成情况", "预期目标", "目标实际完成情况", "20",
        "目标1:排查隐患。", "目标1:已排查隐患。", "目标2:打击违法。", "目标2:已打击违法。",
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
        "产出指标", "数量指标", "检查次数", "≥10次", "12次",
    ]  # fmt: skip
    (table,) = load_file(_page(tmp_path, "\n".join(cells) + "\n"))
    assert table.goal == "目标1:排查隐患。目标2:打击违法。"
    assert [(i.name, i.value, i.actual) for i in table.indicators] == [
        ("检查次数", "≥10次", "12次")
    ]


def test_unit_column_joins_a_compared_value_and_weight_is_never_the_actual(tmp_path):
    page = _page(
        tmp_path,
        TABS
        + "一级指标\t二级指标\t三级指标\t指标值\t度量单位\t权重\t实际完成值\n"
        + "产出指标\t质量指标\t验收合格率\t=100\t%\t20\t100%\n",
    )
    (table,) = load_file(page)
    (row,) = table.indicators
    assert (row.value, row.weight, row.actual) == ("=100%", "20", "100%")


def test_one_row_per_project_with_the_unit_column_first(tmp_path):
    page = _page(
        tmp_path,
        "| 部门预算项目绩效目标申报表(2023年度) | |\n| 金额单位:元 | |\n"
        "| 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 "
        "| 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性 |\n"
        "| 820-某镇部门 | 8,827,620.53 | |\n"
        "| 820001-某镇人民政府 | 村组干部报酬 | 3,309,840.00 | 按时发放报酬 | 效益指标 "
        "| 社会效益指标 | 维护社会稳定 | ≥ | 95 | % | 10 | 正向指标 |\n"
        "| 产出指标 | 数量指标 | 村组干部人数 | ≥ | 230 | 人 | 10 | 正向指标 |\n",
    )
    (table,) = load_file(page)
    assert (table.header.unit, table.header.year, table.goal) == (
        "820001-某镇人民政府",
        2023,
        "按时发放报酬",
    )
    assert table.header.total.value == Decimal("330.984")
    assert [(i.level2, i.name, i.value, i.weight) for i in table.indicators] == [
        ("社会效益", "维护社会稳定", "≥95%", "10"),
        ("数量指标", "村组干部人数", "≥230人", "10"),
    ]


def test_header_cells_written_as_label_colon_value(tmp_path):
    page = _page(
        tmp_path,
        "项目名称：道路养护\n主管部门：县交通局  实施单位：县公路段\n"
        "年度资金总额：120.5  其中：财政拨款：120.5\n年度目标：完成养护50公里\n"
        "一级指标 二级指标 三级指标 指标值\n"
        "产出指标 数量指标 养护里程 ≥50公里\n",
    )
    (table,) = load_file(page)
    h = table.header
    assert (h.project_name, h.department, h.unit) == ("道路养护", "县交通局", "县公路段")
    assert (h.total.value, h.funds.fiscal.value) == (Decimal("120.5"), Decimal("120.5"))
    assert table.goal == "完成养护50公里"


def test_period_and_annual_goals_and_money_side_by_side_take_the_annual_goal(tmp_path):
    page = _page(
        tmp_path,
        "项目名称 | 质检体系建设 |\n实施单位 | 市农业农村局 |\n"
        "中期资金总额: | 68.50 | 年度资金总额: | 51.35 |\n"
        "总 体 目 标 |\n中期目标(2024年—2026年) | 年度目标 |\n"
        "三年检测批次达到2批次/千人 |\n本年检测批次达到0.7批次/千人 |\n"
        "绩 效 指 标 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 监督抽检批次 | ≥100组 |\n",
    )
    (table,) = load_file(page)
    assert table.goal == "本年检测批次达到0.7批次/千人"
    assert (table.header.total.value, table.header.annual_total.value) == (
        Decimal("68.50"),
        Decimal("51.35"),
    )


def test_a_lone_annual_label_on_its_own_line_labels_the_goal(tmp_path):
    # harvested page 005: the 年度目标 cell printed as "年度" alone, the goal on the next line
    page = _page(
        tmp_path,
        "项目名称 | 农村文化建设配套补助经费 |\n实施单位 | 某市文化旅游体育局 |\n"
        "项目资金 | 年度资金总额: | 5.00 |\n其中:财政拨款 | 5.00 |\n"
        "年度 |\n文化惠民工程,送戏进万村70个行政村,每村4400元。 |\n"
        "绩 | 一级 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 开展送戏进万村 | ≥70村 |\n",
    )
    (table,) = load_file(page)
    assert table.goal == "文化惠民工程,送戏进万村70个行政村,每村4400元。"
    assert [(i.name, i.value) for i in table.indicators] == [("开展送戏进万村", "≥70村")]


def test_a_lone_annual_column_title_among_money_cells_is_no_goal(tmp_path):
    page = _page(
        tmp_path,
        "项目名称 | 道路养护 |\n实施单位 | 县公路段 |\n"
        "资金情况 | 中期 | 年度 |\n年度资金总额: | 120 | 60 |\n"
        "年度目标 | 完成养护50公里 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 养护里程 | ≥50公里 |\n",
    )
    (table,) = load_file(page)
    assert table.goal == "完成养护50公里"


def test_hunan_2025_columns_value_type_target_unit_and_content(tmp_path):
    # 湖南 2025 项目支出绩效目标表: 指标值类型 | 目标值 | 度量单位 | 指标值内容 | 备注
    page = _page(
        tmp_path,
        "2025年项目支出绩效目标表 | |||||||\n"
        "填报单位(盖章):某县疾病预防控制中心 | 金额单位:万元 | ||||||\n"
        "项目支出名称 | 基本公共卫生服务专项 | 部门预算 | 70.00 | ||||\n"
        "年度本级预算金额 | 70.00 | 该项目支出上级资金 | |||||\n"
        "项目绩效目标 | 完成上级分配的各项工作任务。 | ||||||\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值类型 | 目标值 | 度量单位 | 指标值内容 | 备注 |\n"
        "成本指标 | 经济成本指标 | 中心经费 | ≤ | 70 | 万元 | 反映中心经费。 | 反映中心经费。 |\n"
        "社会成本指标 | 对社会产生的不利影响 | 定性 | 减少 | 反映不利影响。 | 反映不利影响。 | ||\n"
        "产出指标 | 数量指标 | 监督检查单位数 | ≥ | 120 | 家 | 反映监督检查单位数。 | |\n"
        "质量指标 | 传染病报告率 | = | 100 | % | 反映传染病报告率。 | |\n",
    )
    (table,) = load_file(page)
    assert table.header.project_name == "基本公共卫生服务专项"
    assert table.goal == "完成上级分配的各项工作任务。"
    assert [(i.level2, i.name, i.value) for i in table.indicators] == [
        ("经济成本指标", "中心经费", "≤70万元"),
        ("社会成本指标", "对社会产生的不利影响", "减少"),
        ("数量指标", "监督检查单位数", "≥120家"),
        ("质量指标", "传染病报告率", "=100%"),
    ]

"""Layouts and header spellings met on harvested real pages, one small page each in their
phrasing: read exactly, or refused (whole table, or one row) with the line and the reason —
a shifted variant of each must never come in as rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.errors import JixiaoError
from assistant.importers import load_file


def _page(tmp_path, text: str, name: str = "page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(table) -> list[tuple]:
    return [(i.level2, i.name, i.value, i.actual) for i in table.indicators]


SELF_EVAL = (
    "2022年度共享工程项目自评表\n"
    "项目名称 | 共享工程 | ||||||||\n"
    "主管部门 | 某市文化和旅游局 | 项目实施单位 | 某市图书馆 | ||||||\n"
    "预算执行情况(万元) (20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 | |||||\n"
    "年度财政资金总额 | 5 | 5 | 100% | 20 | |||||\n"
    "年度绩效目标1 (80分) | 一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) "
    "| 得分 | |||\n"
    "产出指标(40分) | 数量指标 | 一个存储备份器 | 25TB | 25TB | 10 | ||||\n"
    "WIFI布点全覆盖 | 100%覆盖 | 100%覆盖 | |||||||\n"
    "时效指标 | 可保证读者使用时长 | 全天候可用 | 全天候 | 10 | |||||\n"
    "2022年全年 | ≥360天 | ≥360天 | |||||||\n"
    "效益指标(30分) | 社会效益 | 使读者更方便快捷查找检阅 | 查询范围可扩展到省图 | 已扩展 "
    "| 10 | ||||\n"
    "促进文化经济发展,丰富市民文化活动 | |||||||||\n"
    "环境效益 | 数字图书馆环境优良无污染 | 良好 | 良好 | 10 | |||||\n"
    "满意度指标(10分) | 读者 | 在网络上设置读者满意度调查\n"
)


def test_self_evaluation_with_a_row_label_column_and_merged_score_cells(tmp_path):
    """The row label "年度绩效目标1 (80分)" before 一级指标 is no column; rows whose 一级,
    二级 and 得分 cells are merged still read name / target / actual in order."""
    (table,) = load_file(_page(tmp_path, SELF_EVAL))
    assert table.table_type == "self_evaluation"
    assert _rows(table) == [
        ("数量指标", "一个存储备份器", "25TB", "25TB"),
        ("数量指标", "WIFI布点全覆盖", "100%覆盖", "100%覆盖"),
        ("时效指标", "可保证读者使用时长", "全天候可用", "全天候"),
        ("时效指标", "2022年全年", "≥360天", "≥360天"),
        ("社会效益", "使读者更方便快捷查找检阅", "查询范围可扩展到省图", "已扩展"),
        ("生态效益", "数字图书馆环境优良无污染", "良好", "良好"),  # 环境效益: the older name
    ]
    notes = "\n".join(table.notes)
    # a lone cell in a drawn table is a row of its own, not the tail of the name above it
    assert "第12行“促进文化经济发展,丰富市民文化活动”只有指标名称" in notes
    # the scored 一级 cell opens its group: the next cell must be a 二级指标
    assert "第14行“读者”跳过" in notes and "应是二级指标" in notes


def test_self_evaluation_shifted_by_a_serial_column_is_refused(tmp_path):
    """The same rows with a 序号 cell the header does not have: every cell one column off."""
    lines = SELF_EVAL.splitlines()
    shifted = [
        f"{n} | {line}" if 7 <= k <= 10 else line
        for k, (n, line) in enumerate(zip(range(-6, 20), lines, strict=False))
    ]
    with pytest.raises(JixiaoError) as err:
        load_file(_page(tmp_path, "\n".join(shifted) + "\n"))
    assert "整张表未导入" in str(err.value) and "第" in str(err.value)


UNLABELLED = (
    "绩效目标申报表 | ||||||||\n(2021年度) | ||||||||\n"
    "项目名称 | 聚居村养殖场基础设施建设项目 | |||||\n"
    "主管部门 | 某县民族事务委员会 | 实施单位 | 某县民族事务委员会 | |||||\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 | ||||\n"
    "{first}"
    "时效指标 | 开工时限 | 2021年7月 | ||||||\n"
    "竣工时限 | 2021年9月 | |||||||\n"
    "成本指标 | 打井、配电 | 50000元 | ||||||\n"
    "围墙300米 | 300元/米 | |||||||\n"
)


def test_rows_printed_before_any_level_label_refuse_the_table(tmp_path):
    """Rows whose 二级指标 the page never prints cannot be placed: rather than drop them
    and import the rest as if complete, the table is refused at their first line."""
    rows = (
        "贫困地区新增特色产业数量 | ≥1个 | |||||||\n"
        "养殖动物成活率(目标) | ≥95% | |||||||\n"
        "项目(工程)验收合格率 | 100% | |||||||\n"
    )
    with pytest.raises(JixiaoError) as err:
        load_file(_page(tmp_path, UNLABELLED.format(first=rows)))
    assert err.value.line == 6
    assert "没有标出它的二级指标" in str(err.value)

    labelled = "产出指标 | 数量指标 | 贫困地区新增特色产业数量 | ≥1个 | ||||||\n"
    (table,) = load_file(_page(tmp_path, UNLABELLED.format(first=labelled), "ok.txt"))
    assert [(i.level2, i.name) for i in table.indicators][:2] == [
        ("数量指标", "贫困地区新增特色产业数量"),
        ("时效指标", "开工时限"),
    ]


DIRECTION = (
    "再生资源回收市场管理经费项目绩效目标表\n(2021年)\n"
    "项目名称 再生资源回收市场管理经费\n"
    "实施单位 乌海市供销合作社联合社\n"
    "资金总额 3\n"
    "绩效指标(权重分值90分,其中产出指标权重分值50分) 一级指标 二级指标 三级指标 "
    "指标性质 指标方向 目标值 计量单位 分值 备注\n"
    "产出指标 数量指标 出差人次 正向 = 24 人/次 4\n"
    "产出指标 质量指标 工作任务完成率 正向 = 100 % 4\n"
    "产出指标 成本指标 出差总成本 {sign} = 1 万元 4\n"
    "产出指标 成本指标 劳务人员总成本 {sign} = 2 万元 4\n"
)


def test_a_reverse_direction_with_an_equals_sign_is_refused_not_read_as_a_value(tmp_path):
    with pytest.raises(JixiaoError) as err:
        load_file(_page(tmp_path, DIRECTION.format(sign="反向")))
    assert err.value.line == 9
    assert "反向" in str(err.value) and "上限还是定值不明" in str(err.value)

    (table,) = load_file(_page(tmp_path, DIRECTION.format(sign="正向"), "ok.txt"))
    assert [(i.name, i.value, i.weight) for i in table.indicators] == [
        ("出差人次", "正向 = 24 人/次", "4"),
        ("工作任务完成率", "正向 = 100 %", "4"),
        ("出差总成本", "正向 = 1 万元", "4"),
        ("劳务人员总成本", "正向 = 2 万元", "4"),
    ]
    assert table.header.total is not None and table.header.total.value == Decimal("3")


def test_a_date_exported_as_a_spreadsheet_serial_is_skipped(tmp_path):
    page = (
        "项目名称 | 市场管理经费 |\n实施单位 | 某供销社 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 出差人次 | =24人次 |\n"
        "| 质量指标 | 工作任务完成率 | =100% |\n"
        "| 时效指标 | 工作计划按时完成时间 | 44,561 |\n"
        "| | 财政资金到位及时支付率 | =100% |\n"
        "| 成本指标 | 年度预算总成本 | ≤3万元 |\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert [i.name for i in table.indicators] == [
        "出差人次",
        "工作任务完成率",
        "财政资金到位及时支付率",
        "年度预算总成本",
    ]
    assert any("第6行" in n and "日期序号" in n for n in table.notes)


# --- header money and year ------------------------------------------------------------


def test_an_annual_total_with_its_breakdown_in_brackets(tmp_path):
    cells = [
        "绩效目标申报表(基础设施建设类)", "(2022年度)", "项目名称", "某县2022年高标准农田建设项目",
        "主管部门", "某县农业农村局", "实施单位", "农田建设服务中心", "资金情况 (万元)",
        "年度资金总额:", "854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)",
        "其他资金", "总体目标", "年度目标", "完成项目主体工程70%", "绩效指标",
        "一级指标", "二级指标", "三级指标", "指标值",
        "产出指标", "数量指标", "新建高标准农田", "≥1.2万亩",
    ]  # fmt: skip
    (table,) = load_file(_page(tmp_path, "\n".join(cells) + "\n"))
    total = table.header.annual_total
    assert total is not None and total.value == Decimal("854")
    assert total.raw.startswith("854万(高标准农田建设400万元")


def test_side_by_side_period_and_annual_money_columns(tmp_path):
    """ "中期资金总额 | 68.50 | 年度资金总额 | 51.35": each 财政拨款 line below carries both
    sets; the annual one is the second."""
    page = (
        "项目名称 | 农产品质检体系建设项目 | ||||\n"
        "主管部门 | 某市农业农村局 | 实施单位 | 某市农业农村局 | ||\n"
        "项目资金 (万元) |\n"
        "中期资金总额: | 68.50 | 年度资金总额: | 51.35 | |||||\n"
        "其中:财政拨款 | 68.50 | 其中:财政拨款 | 51.35 | ||||||\n"
        "其他资金 | 0.00 | 其他资金 | 0.00 | ||||||\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 抽检样品数量 | ≥3000批次 |\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    head = table.header
    assert head.total is not None and head.total.value == Decimal("68.50")
    assert head.annual_total is not None and head.annual_total.value == Decimal("51.35")
    assert head.funds.fiscal is not None and head.funds.fiscal.value == Decimal("51.35")
    assert head.funds.other is not None and head.funds.other.value == Decimal("0.00")


def test_a_total_line_without_its_amount_is_the_sum_of_the_sources(tmp_path):
    page = (
        "项目支出绩效目标申报表\n(2021年度)\n"
        "项目名称 特困家庭再扶助\n预算单位 区卫生健康局\n"
        "项目资金(万元) 年度资金总额 金额(万元)\n"
        "   (一)财政拨款小计 6.30\n       1、一般公共预算 6.30\n"
        "   (二)自有资金小计 0.00\n"
        "一级指标 二级指标 三级指标 指标值\n"
        "产出指标 数量指标 扶助人数 12人\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert table.header.total is not None and table.header.total.value == Decimal("6.30")
    assert any("按资金来源合计6.30万元" in n for n in table.notes)


def test_no_total_is_made_up_when_no_total_line_is_printed(tmp_path):
    page = (
        "项目名称 特困家庭再扶助\n预算单位 区卫生健康局\n"
        "其中：财政拨款 6.30\n"
        "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 扶助人数 12人\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert table.header.total is None


def test_a_page_without_a_year_takes_the_year_of_its_deadlines(tmp_path):
    page = (
        "食品监管补助资金区域绩效目标自评表\n发布时间:2022-08-15\n"
        "专项名称 | 食品监管补助资金 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 抽检批次 | 120批次 |\n"
        "| 时效指标 | 指标1:监督抽检完成时间 | 2021年12月31日 |\n"
        "| | 指标2:培训完成时间 | 2021年11月30日前 |\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert table.header.year == 2021
    assert any("按时效指标的完成时间定为2021年" in n for n in table.notes)

    two_years = page.replace("2021年11月30日前", "2022年3月31日前")
    (table,) = load_file(_page(tmp_path, two_years, "two.txt"))
    assert table.header.year is None


# --- rows broken over lines, and pages that are no table ---------------------------------

BROKEN = (
    "某市财政项目支出绩效目标批复表 | |||||||||\n"
    "( 2019 年度) | |||||||||\n"
    "项目 名称 |\n"
    "镇际联网路升级改造工程一期 | 中期预算(万元) | 284500.00 | 本年度申请(万元) | 919.00 "
    "| ||||\n"
    "绩效指标 | 一级 指标 |\n二级 指标 |\n三级 指标 |\n指标值(或计划水平) | 二级 指标 |\n"
    "三级 指标 |\n计划指标值(或计划水平) | ||\n"
    "预期产出指标 | 数量指标(或建筑规模指标) | 补助款完成结算项目数 | 3 | 数量指标(或建筑规模指标) "
    "| 补助款完成结算项目数 | 3 | |||\n"
    "质量指标 | 补助款结算误差率 | ±3%以内 | 质量指标 | 补助款结算误差率 | ±3%以内 | ||||\n"
    "效果指标 | 社会、经济、生态效益 指标 | 补助款结算争议率 | 0% | 社会、经济、生态效益 指标 "
    "| 补助款结算争议率 | 0% | |||\n"
)


def test_a_padded_pipe_table_with_rows_broken_over_lines(tmp_path):
    """Every row of the page has ten pipes (empty cells pad it): the header broken over six
    lines is one row again, "项目 名称" finds its value, 预期产出指标 is 产出指标."""
    (table,) = load_file(_page(tmp_path, BROKEN))
    assert table.header.project_name == "镇际联网路升级改造工程一期"
    assert [(i.level1, i.level2, i.name, i.value) for i in table.indicators] == [
        ("产出指标", "数量指标", "补助款完成结算项目数", "3"),
        ("产出指标", "质量指标", "补助款结算误差率", "±3%以内"),
        ("效益指标", "社会效益", "补助款结算争议率", "0%"),
    ]


def test_broken_rows_are_not_joined_when_the_page_does_not_pad_its_rows(tmp_path):
    """Without the padding the pipe counts say nothing: short lines stay rows of their own,
    so the header broken over lines is not found and the page is refused."""
    unpadded = "\n".join(ln.rstrip(" |") + " |" for ln in BROKEN.splitlines()) + "\n"
    with pytest.raises(JixiaoError):
        load_file(_page(tmp_path, unpadded))


def test_a_notice_listing_its_indicators_in_prose_is_refused_with_the_reason(tmp_path):
    page = (
        "标 题: | 某县2025年设施农业技术培训项目绩效目标设定 |\n"
        "发布机构 | 某县农业农村局 |\n公开方式 | 主动公开 |\n"
        "安排资金30万元。现将具体绩效目标设定如下:\n"
        "一、产出指标\n(一)数量指标\n设施温棚种植人员(县内培训)≧300人;\n"
        "(二)质量指标\n参训人员结业率≥100%;\n三、满意度指标\n参训学员满意度≥95%。\n"
    )
    with pytest.raises(JixiaoError) as err:
        load_file(_page(tmp_path, page))
    assert "第5行起是公文正文逐条写出的指标" in str(err.value)


def test_column_titles_run_together_are_refused_with_the_line(tmp_path):
    page = (
        "2019年度某县高中助学金项目绩效评价指标表\n"
        "评价指标评价内容指标名称指标说明目标值分值备注\n"
        "项目年度绩效目标(定量指标)制度指标规章制度建立与否20\n"
        "产出数量指标享受资助人数达到预计值210010\n"
    )
    with pytest.raises(JixiaoError) as err:
        load_file(_page(tmp_path, page))
    assert "第2行有“评价指标评价内容…”，但单元格之间没有分隔符" in str(err.value)


def test_a_row_missing_its_name_cell_is_not_glued_to_the_next_name(tmp_path):
    """In a web table each line is a row: a row that lost its 三级指标 cell leaves its value
    alone, which is neither the first half of the next name nor a name of its own."""
    page = (
        "项目名称 | 造林项目 | |||\n实施单位 | 某县林业和草原局 | |||\n"
        "绩 效 指 标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | ||\n"
        "产出指标 | 数量指标 (必填硬性指标) | 实施营造林总面积(亩) | 80000 | |||\n"
        "30000 | |||||\n"
        "实施未成林抚育提升及退化林改造总面积(亩) | 50000 | |||||\n"
        "修建作业道长度(公里) | 30 | |||||\n"
        "质量指标 | 苗木成活率 | ≥85% | ||||\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert [(i.name, i.value) for i in table.indicators] == [
        ("实施营造林总面积(亩)", "80000"),
        ("实施未成林抚育提升及退化林改造总面积(亩)", "50000"),
        ("修建作业道长度(公里)", "30"),
        ("苗木成活率", "≥85%"),
    ]
    assert any("第5行“30000”" in n for n in table.notes)


def test_a_value_in_the_name_column_is_skipped(tmp_path):
    page = (
        "项目名称 | 校园维修改造 |\n实施单位 | 某市第三中学 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 完成校园维修改造项目 | 800万元 |\n"
        "| 质量指标 | 800万元 | 800万元 |\n"
        "| 时效指标 | 项目完工时间 | 2023年12月前 |\n"
        "效益指标 | 社会效益 | 良好 | 良好 |\n"
        "| 可持续影响 | 保障教学工作正常运转 | 长期 |\n"
        "| 经济效益 | 减少后期维修支出 | 有效减少 |\n"
        "| 生态效益 | 校园绿化覆盖率 | ≥35% |\n"
        "满意度指标 | 服务对象满意度 | 教师满意度 | ≥95% |\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert [i.name for i in table.indicators] == [
        "完成校园维修改造项目",
        "项目完工时间",
        "保障教学工作正常运转",
        "减少后期维修支出",
        "校园绿化覆盖率",
        "教师满意度",
    ]
    assert any("第5行“800万元”跳过" in n for n in table.notes)
    assert any("第7行“良好”跳过" in n for n in table.notes)


def test_a_header_label_broken_over_two_lines_and_an_empty_unit_cell(tmp_path):
    """ "主管部门" / "及编码" is one label; a 实施单位 left empty does not take the section
    title that follows it ("项目资金 (万元)") as its value."""
    cells = [
        "项目支出绩效自评表", "( 2021 年度)", "项目名称", "市民中心运行维护费",
        "主管部门", "及编码", "[015001]某区行政审批局", "实施单位", "", "项目资金 (万元)",
        "年初预算数", "全年预算数", "年度资金总额", "150万", "150万",
        "绩效指标", "一级指标", "二级指标", "三级指标", "指标值",
        "产出指标", "数量指标", "政务服务事项办结数", "≥5000件",
    ]  # fmt: skip
    (table,) = load_file(_page(tmp_path, "\n".join(cells) + "\n"))
    assert table.header.department == "[015001]某区行政审批局"
    assert table.header.unit is None
    assert table.header.annual_total is not None
    assert table.header.annual_total.value == Decimal("150")


def test_in_a_saved_html_table_a_lone_cell_is_a_row_not_a_name_tail(tmp_path):
    html = (
        '<html><head><meta charset="utf-8"></head><body><p>共享工程项目自评表</p>'
        '<table border="1">'
        '<tr><td>项目名称</td><td colspan="4">共享工程</td></tr>'
        "<tr><td>主管部门</td><td>某市文化和旅游局</td><td>实施单位</td><td>某市图书馆</td></tr>"
        "<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>年初目标值</th>"
        "<th>实际完成值</th></tr>"
        '<tr><td rowspan="3">效益指标</td><td rowspan="2">社会效益</td>'
        "<td>使读者更方便快捷查找检阅</td><td>可查询省图资源</td><td>已实现</td></tr>"
        "<tr><td>促进文化经济发展,丰富市民文化活动</td><td></td><td></td></tr>"
        "<tr><td>生态效益</td><td>数字图书馆环境优良无污染</td><td>良好</td><td>良好</td></tr>"
        "</table></body></html>"
    )
    (table,) = load_file(_page(tmp_path, html, "page.html"))
    assert _rows(table) == [
        ("社会效益", "使读者更方便快捷查找检阅", "可查询省图资源", "已实现"),
        ("生态效益", "数字图书馆环境优良无污染", "良好", "良好"),
    ]
    assert any("促进文化经济发展,丰富市民文化活动”只有指标名称" in n for n in table.notes)


def test_a_second_header_line_of_column_titles_is_no_indicator_row(tmp_path):
    page = (
        "项目名称 | 百岁老人高龄津贴 |\n实施单位 | 某县民政局 |\n"
        "一级指标 | 二级指标 | 三级指标 | 预期指标值 | 指标分值 |\n"
        "| | 符号 | 单位(文字描述) | 单项指标得分 | 权重占比(%) | 单项指标折算得分 |\n"
        "产出指标 | 质量指标 | 符合条件申报对象覆盖率 | ≥98% | 25 |\n"
        "| 时效指标 | 审批完成率 | ≥99% | 25 |\n"
        "满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥95% | 10 |\n"
    )
    (table,) = load_file(_page(tmp_path, page))
    assert [(i.name, i.value, i.weight) for i in table.indicators] == [
        ("符合条件申报对象覆盖率", "≥98%", "25"),
        ("审批完成率", "≥99%", "25"),
        ("服务对象满意度", "≥95%", "10"),
    ]
    assert table.notes == []

"""Content words shared between a project's facts and a precedent row: the "共有词" reason.

Words are Chinese character pairs (bigrams) from runs of Han characters, minus pairs that
every table says (合格率, 满意度, 项目, 完成 …), so that "验收合格率" alone never makes a
building repair look like a training class.
"""

from __future__ import annotations

import re

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")

STOP_PAIRS = frozenset(
    """项目 指标 资金 完成 成率 合格 格率 及时 时率 满意 意度 数量 质量 效益 社会 经济 生态
    持续 影响 服务 对象 年度 预算 执行 行率 工作 开展 提高 提升 保障 有效 群众 受益 益人
    人数 按期 情况 程度 建设 实施 计划 标准 成本 控制 制率 使用 用率 覆盖 盖率 达标 标率
    发放 放率 准确 确率 到位 位率 验收 收合 时间 时限 全年 当年 年底 底前 月底 规定 相关
    单位 部门 本级 财政 支出 经费 费用 金额 总额 投入 总成 本级 人民 政府 全部 全面 达到
    进一 一步 促进 推进 推动 加强 改善 增加 减少 明显 显著 良好 基本 长期 稳定 正常 运行
    县级 市级 区级 省级 全县 全市 全区 乡镇 村级 万元 公里 平方 方米 人次 每栋 每个 每人""".split()
)


def pairs(text: str) -> set[str]:
    """The content bigrams of a text."""
    out: set[str] = set()
    for run in _HAN_RUN.findall(text or ""):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out - STOP_PAIRS


def shared_words(name: str, facts_pairs: set[str]) -> list[str]:
    """The content bigrams of ``name`` the facts also contain, merged into words in order."""
    shared = pairs(name) & facts_pairs
    if not shared:
        return []
    words: list[str] = []
    for run in _HAN_RUN.findall(name):
        current = ""
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair in shared:
                if current and current[-1] == pair[0]:
                    current += pair[1]
                else:
                    if current:
                        words.append(current)
                    current = pair
            else:
                if current:
                    words.append(current)
                current = ""
        if current:
            words.append(current)
    return list(dict.fromkeys(words))

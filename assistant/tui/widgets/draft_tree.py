"""The live table panel: the draft as a tree (一级 → 二级 → 三级：指标值) with review marks.

Marks come from the reviewer's findings, matched to rows by location:
✗ an error, ⚠ a warning, ✓ nothing to say. The highlighted node's findings show below.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, Tree

from assistant.model import FRAMEWORKS, FUND_LABELS, TargetTable, normalize_levels
from assistant.tui.widgets.chat import display_text
from assistant.tui.widgets.provenance import short_source

ERROR_MARK, WARN_MARK, OK_MARK = "✗", "⚠", "✓"
_RANK = {"error": 2, "warning": 1}


@dataclass
class Marks:
    """Findings grouped by what they point at."""

    rows: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    level2: dict[tuple[str, str], list[Any]] = field(default_factory=lambda: defaultdict(list))
    level1: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    header: list[Any] = field(default_factory=list)
    general: list[Any] = field(default_factory=list)

    @classmethod
    def from_findings(cls, table: TargetTable, findings: list[Any]) -> Marks:
        marks = cls()
        index_by_name = {
            (ind.level1, ind.level2, ind.name): i for i, ind in enumerate(table.indicators)
        }
        parent_of = {ind.level2: ind.level1 for ind in table.indicators}
        for f in findings:
            loc = getattr(f, "location", None)
            row = getattr(loc, "row", None) if loc else None
            l1 = getattr(loc, "level1", None) if loc else None
            l2 = getattr(loc, "level2", None) if loc else None
            name = getattr(loc, "name", None) if loc else None
            fld = getattr(loc, "field", None) if loc else None
            if l2 and not l1:  # e.g. the cost total points at 成本指标 only
                l1 = parent_of.get(l2) or normalize_levels(None, l2)[0]
            if row is None and name and (l1, l2, name) in index_by_name:
                row = index_by_name[(l1, l2, name)]
            if row is not None and 0 <= row < len(table.indicators):
                marks.rows[row].append(f)
            elif l2:
                marks.level2[(l1 or "", l2)].append(f)
            elif l1:
                marks.level1[l1].append(f)
            elif fld:
                marks.header.append(f)
            else:
                marks.general.append(f)
        return marks


def worst(findings: list[Any]) -> str | None:
    """'error', 'warning' or None for a list of findings (info does not mark)."""
    best = max((_RANK.get(f.severity, 0) for f in findings), default=0)
    return {2: "error", 1: "warning"}.get(best)


def mark_text(findings: list[Any], ok: bool = True) -> Text:
    level = worst(findings)
    if level == "error":
        return Text(ERROR_MARK + " ", style="bold red")
    if level == "warning":
        return Text(WARN_MARK + " ", style="bold yellow")
    return Text(OK_MARK + " ", style="green") if ok else Text("")


def _money(amount: Any) -> str:
    return f"{amount.raw}" if amount is not None else "（未填）"


class DraftTree(Vertical):
    """The tree plus a one-paragraph explanation of the highlighted node."""

    DEFAULT_CSS = """
    DraftTree { height: 1fr; }
    DraftTree > Tree { height: 1fr; }
    DraftTree > #tree-detail {
        height: auto; max-height: 8; padding: 0 1; color: $text-muted;
        border-top: solid $panel-lighten-2;
    }
    """

    BINDINGS = [Binding("delete", "remove_row", "删除此行")]

    class RemoveRow(Message):
        """The user asked to remove indicator row ``index`` (after confirming)."""

        def __init__(self, index: int, label: str) -> None:
            super().__init__()
            self.index = index
            self.label = label

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table: TargetTable | None = None
        self.findings: list[Any] = []
        self.reviewed = False

    def compose(self) -> ComposeResult:
        tree: Tree[Any] = Tree("目标表", id="draft-tree")
        tree.show_root = True
        tree.guide_depth = 2
        yield tree
        yield Static("", id="tree-detail", markup=False)

    @property
    def tree(self) -> Tree[Any]:
        return self.query_one(Tree)

    def show(
        self,
        table: TargetTable | None,
        findings: list[Any] | None = None,
        reviewed: bool = False,
        partial: bool = False,
    ) -> None:
        """Rebuild the tree from ``table``. ``findings`` are the reviewer's; ``partial`` means
        only row checks are shown yet (whole-table checks wait for the end or ctrl+r)."""
        self.table = table
        self.findings = list(findings or [])
        self.reviewed = reviewed
        tree = self.tree
        cursor = tree.cursor_line
        tree.clear()
        if table is None:
            tree.root.set_label("目标表（尚未开始）")
            return
        marks = Marks.from_findings(table, self.findings)
        name = table.header.project_name or "（未命名项目）"
        tree.root.set_label(Text(f"目标表：{name}", "bold"))
        tree.root.data = ("general", marks.general)
        self._header(tree, table, marks)
        by_l1 = table.tree()
        skeleton = FRAMEWORKS[table.framework]
        for l1 in list(skeleton) + [k for k in by_l1 if k not in skeleton]:
            known = skeleton.get(l1, ())
            l2s = list(known) + [k for k in by_l1.get(l1, {}) if k not in known]
            l1_findings = marks.level1.get(l1, [])
            label = mark_text(l1_findings, ok=False) + Text(l1, "bold")
            node = tree.root.add(label, ("level1", l1_findings), expand=True)
            for l2 in l2s:
                rows = by_l1.get(l1, {}).get(l2, [])
                l2_findings = marks.level2.get((l1, l2), [])
                label = mark_text(l2_findings, ok=False) + Text(l2)
                if not rows:
                    label += Text("（待填）", "dim")
                l2_node = node.add(
                    label, ("level2", l2_findings), expand=True, allow_expand=bool(rows)
                )
                for ind in rows:
                    index = table.indicators.index(ind)
                    row_findings = marks.rows.get(index, [])
                    text = mark_text(row_findings, ok=self.reviewed)
                    if ind.name.strip() == "0" and ind.value.strip() == "0":
                        text += Text("不适用（0 / 0）", "dim")
                    else:
                        text += Text(ind.name) + Text("：", "dim") + Text(ind.value, "cyan")
                    l2_node.add_leaf(text, ("row", index, row_findings))
        errors = sum(1 for f in self.findings if f.severity == "error")
        warnings = sum(1 for f in self.findings if f.severity == "warning")
        if self.reviewed:
            summary = Text("逐行检查：" if partial else "校验：", "bold")
            if errors or warnings:
                summary += Text(f"{ERROR_MARK} {errors} 个错误　", "red" if errors else "dim")
                summary += Text(f"{WARN_MARK} {warnings} 个提醒", "yellow" if warnings else "dim")
            else:
                summary += Text(f"{OK_MARK} 未发现问题", "green")
            if partial:
                summary += Text("（答完后整表校验）", "dim")
            tree.root.add_leaf(summary, ("general", self.findings))
        tree.root.expand()
        if cursor:
            tree.cursor_line = min(cursor, max(tree.last_line, 0))

    def _header(self, tree: Tree[Any], table: TargetTable, marks: Marks) -> None:
        h = table.header
        node = tree.root.add(
            mark_text(marks.header, ok=False) + Text("表头", "bold"),
            ("header", marks.header),
            expand=False,
        )
        node.add_leaf(f"项目名称：{h.project_name or '（未填）'}", ("header", marks.header))
        node.add_leaf(f"主管部门：{h.department or '（未填）'}", ("header", marks.header))
        node.add_leaf(f"实施单位：{h.unit or '（未填）'}", ("header", marks.header))
        if h.year:
            node.add_leaf(f"年度：{h.year}", ("header", marks.header))
        node.add_leaf(f"项目总额（万元）：{_money(h.total)}", ("header", marks.header))
        funds = [
            f"{FUND_LABELS[k]} {getattr(h.funds, k).raw}"
            for k in FUND_LABELS
            if getattr(h.funds, k) is not None
        ]
        if funds:
            node.add_leaf("资金来源：" + "，".join(funds), ("header", marks.header))
        if table.goal:
            goal = table.goal if len(table.goal) <= 40 else table.goal[:39] + "…"
            node.add_leaf(f"总体目标：{goal}", ("header", marks.header))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        data = event.node.data
        detail = self.query_one("#tree-detail", Static)
        findings = data[-1] if data else []
        if data and data[0] == "row" and self.table is not None:
            ind = self.table.indicators[data[1]]
            head = f"{ind.level2}·{ind.name}：{ind.value}"
            p = ind.provenance
            if p is not None and p.kind != "user" and (p.project or p.kind == "library"):
                where = short_source(p) + (f"；{p.note}" if "已修改" in (p.note or "") else "")
                head += f"（参考：{where}）"
            lines = [head]
        else:
            lines = []
        lines += [f"{mark_text([f]).plain}{f.message}" for f in findings]
        detail.update(display_text("\n".join(lines)))

    def action_remove_row(self) -> None:
        node = self.tree.cursor_node
        if node is None or not node.data or node.data[0] != "row" or self.table is None:
            self.app.notify("请先在目标表中选中一行指标。", severity="warning")
            return
        ind = self.table.indicators[node.data[1]]
        self.post_message(self.RemoveRow(node.data[1], f"{ind.name}：{ind.value}"))

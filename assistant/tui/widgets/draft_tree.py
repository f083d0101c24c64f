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
from textual.widgets.tree import TreeNode

from assistant.model import FRAMEWORKS, FUND_LABELS, Indicator, TargetTable, normalize_levels
from assistant.provenance_text import short_source
from assistant.tui.safe import clean, plain
from assistant.tui.widgets.chat import display_text

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
            key = (l1 or "", l2 or "", name or "")
            if row is None and name and key in index_by_name:
                row = index_by_name[key]
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

    BINDINGS = [
        Binding("e", "edit_row", "修改"),
        Binding("delete", "remove_row", "删除"),
    ]

    class RemoveRow(Message):
        """The user asked to remove indicator row ``index`` (after confirming)."""

        def __init__(self, index: int, label: str) -> None:
            super().__init__()
            self.index = index
            self.label = label

    class EditRow(Message):
        """The user asked to edit indicator row ``index`` (name and value)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table: TargetTable | None = None
        self.findings: list[Any] = []
        self.reviewed = False
        self.partial = False
        self._width = 0

    def compose(self) -> ComposeResult:
        tree: Tree[Any] = Tree("目标表", id="draft-tree")
        tree.show_root = True
        tree.guide_depth = 2
        yield tree
        yield Static("", id="tree-detail", markup=False)

    @property
    def tree(self) -> Tree[Any]:  # type: ignore[override]  # DOMNode.tree is a debug view
        """The Tree widget itself."""
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
        self.partial = partial
        tree = self.tree
        # What a row may take: the tree's width less its guides (2 columns a level, rows at
        # level 3) and a margin; a longer name is shortened with "…", its value kept whole.
        room = tree.scrollable_content_region.width - 2 * 4 - 1
        cursor = tree.cursor_line
        tree.clear()
        if table is None:
            tree.root.set_label("目标表（尚未开始）")
            return
        marks = Marks.from_findings(table, self.findings)
        name = table.header.project_name or "（未命名项目）"
        tree.root.set_label(plain(f"目标表：{name}", "bold"))
        tree.root.data = ("general", marks.general)
        self._header(tree, table, marks)
        by_l1 = table.tree()
        skeleton = FRAMEWORKS[table.framework]
        for l1 in list(skeleton) + [k for k in by_l1 if k not in skeleton]:
            known: tuple[str, ...] = skeleton.get(l1, ())
            in_l1: dict[str, list[Indicator]] = by_l1.get(l1) or {}
            l2s = list(known) + [k for k in in_l1 if k not in known]
            l1_findings = marks.level1.get(l1, [])
            label = mark_text(l1_findings, ok=False) + plain(l1, "bold")
            node = tree.root.add(label, ("level1", l1_findings), expand=True)
            for l2 in l2s:
                rows = in_l1.get(l2) or []
                l2_findings = marks.level2.get((l1, l2), [])
                label = mark_text(l2_findings, ok=False) + plain(l2)
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
                        shown_value = plain(" ".join(ind.value.split()), "cyan")
                        shown_name = plain(" ".join(ind.name.split()))
                        space = room - text.cell_len - 1 - shown_value.cell_len
                        if room > 0 and shown_name.cell_len > space:
                            shown_name.truncate(max(space, 4), overflow="ellipsis")
                        text += shown_name + Text("：", "dim") + shown_value
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
            tree.root.add_leaf(summary, ("general", self.findings))
        tree.root.expand()
        if cursor:
            tree.cursor_line = min(cursor, max(tree.last_line, 0))
        # the same line highlighted again sends no event: say what the node holds now
        self.call_after_refresh(self._show_detail)

    def on_resize(self) -> None:
        """Rows are fitted to the width: fit them again."""
        width = self.tree.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self.show(self.table, self.findings, self.reviewed, self.partial)

    def _header(self, tree: Tree[Any], table: TargetTable, marks: Marks) -> None:
        h = table.header
        node = tree.root.add(
            mark_text(marks.header, ok=False) + Text("表头", "bold"),
            ("header", marks.header),
            expand=False,
        )
        lines = [
            f"项目名称：{h.project_name or '（未填）'}",
            f"主管部门：{h.department or '（未填）'}",
            f"实施单位：{h.unit or '（未填）'}",
        ]
        if h.year:
            lines.append(f"年度：{h.year}")
        lines.append(f"项目总额（万元）：{_money(h.total)}")
        funds = [
            f"{FUND_LABELS[k]} {getattr(h.funds, k).raw}"
            for k in FUND_LABELS
            if getattr(h.funds, k) is not None
        ]
        if funds:
            lines.append("资金来源：" + "，".join(funds))
        if table.goal:
            goal = table.goal if len(table.goal) <= 40 else table.goal[:39] + "…"
            lines.append(f"总体目标：{goal}")
        room = tree.scrollable_content_region.width - 2 * 3 - 1  # header lines: level 2
        for line in lines:  # one line each: a newline in a name would hide the rest
            label = plain(" ".join(line.split()))
            if room > 0 and label.cell_len > room:
                label.truncate(room, overflow="ellipsis")  # the whole text is in the detail
            node.add_leaf(label, ("header", line, marks.header))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        self._show_detail(event.node)

    def _show_detail(self, node: TreeNode[Any] | None = None) -> None:
        """The highlighted node (``node``, else the cursor's) in full, with its findings."""
        node = node if node is not None else self.tree.cursor_node
        data = node.data if node is not None else None
        detail = self.query_one("#tree-detail", Static)
        findings = data[-1] if data else []
        if data and data[0] == "row" and self.table is not None:
            if data[1] >= len(self.table.indicators):
                return  # a stale node: the tree is being rebuilt
            ind = self.table.indicators[data[1]]
            head = f"{ind.level2}·{ind.name}：{ind.value}"
            p = ind.provenance
            if p is not None and p.kind != "user" and (p.project or p.kind == "library"):
                where = short_source(p) + (f"；{p.note}" if "已修改" in (p.note or "") else "")
                head += f"（参考：{where}）"
            lines = [head]
        elif data and data[0] == "header" and len(data) == 3:
            lines = [data[1]]  # the header line in full (the tree may have shortened it)
        else:
            lines = []
        lines += [f"{mark_text([f]).plain}{f.message}" for f in findings]
        detail.update(clean(display_text("\n".join(lines))))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        """Enter on an indicator row edits it (on a heading it folds, as usual)."""
        data = event.node.data
        if data and data[0] == "row":
            event.stop()
            self.post_message(self.EditRow(data[1]))

    def _cursor_row(self) -> int | None:
        node = self.tree.cursor_node
        if node is None or not node.data or node.data[0] != "row" or self.table is None:
            self.app.notify("请先在目标表中选中一行指标。", severity="warning")
            return None
        index: int = node.data[1]
        return index

    def action_edit_row(self) -> None:
        index = self._cursor_row()
        if index is not None:
            self.post_message(self.EditRow(index))

    def action_remove_row(self) -> None:
        index = self._cursor_row()
        if index is not None and self.table is not None:
            ind = self.table.indicators[index]
            self.post_message(self.RemoveRow(index, f"{ind.name}：{ind.value}"))

"""Command palette (ctrl+p) entries, in Chinese, in place of Textual's English system commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from assistant.tui.app import JixiaoApp


class JixiaoCommands(Provider):
    """检索先例 / 校验草稿 / 导出草稿 / 打开草稿 and a few more."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("JixiaoApp", self.app)
        return [
            ("检索先例", "在过去的公开表格里查找指标写法及来源", app.action_search),
            ("校验草稿", "按审核要求检查当前草稿，并在对话中说明问题", app.action_review),
            ("导出草稿", "导出为 Excel / CSV / Markdown / JSON", app.action_export),
            ("打开草稿", "查看已保存的草稿：继续填写、删除、导出", app.action_drafts),
            ("新建草稿", "从头开始填写一张新的目标表", app.action_new_draft),
            ("复制草稿", "把当前草稿以 Markdown 复制到剪贴板", app.action_copy),
            ("复制对话", "把整段对话复制到剪贴板", app.action_copy_chat),
            ("退出", "退出程序（草稿已自动保存）", app.action_quit),
        ]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)

"""Chinese for click's own words (usage, help headings, usage errors).

click marks every message with gettext (``_``/``ngettext``) so applications can translate
them; jixiao's users read Chinese, and no .mo catalogue ships with click, so we hand click a
small catalogue of the messages a user can meet. Unknown messages pass through unchanged.
"""

from __future__ import annotations

import click

_CATALOGUE = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Aborted!": "已取消。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少子命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "您是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是想用其中之一：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一：{choices}。",
    "{value!r} is not {choice}.": "{value!r} 只能是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的是/否值。可用：{states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "(dynamic)": "（运行时决定）",
    "env var: {var}": "环境变量：{var}",
    "Value must be an iterable.": "值必须是一组数据。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
}


def _gettext(message: str) -> str:
    return _CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


# click's parameter-type names: shown in "'x' is not a valid integer." and as metavars in help
_TYPE_NAMES = {
    click.types.StringParamType: "文字",
    click.types.IntParamType: "整数",
    click.types.IntRange: "整数",
    click.types.FloatParamType: "数字",
    click.types.FloatRange: "数字",
    click.types.BoolParamType: "是/否",
}
_USAGE_PIECES = {"[OPTIONS]": "[选项]"}
_collect_usage_pieces = click.Command.collect_usage_pieces


def _usage_pieces(self: click.Command, ctx: click.Context) -> list[str]:
    """``[OPTIONS]`` in usage lines in Chinese (a group appends its own subcommand metavar,
    which ``jixiao``'s group sets in Chinese)."""
    return [_USAGE_PIECES.get(p, p) for p in _collect_usage_pieces(self, ctx)]


def _patch(owner: object, attr: str, replacement: object) -> None:
    """Replace ``owner.attr`` in place: click has no hook for its message lookups, so
    patching is the point here (and mypy rightly refuses a plain method assignment)."""
    if getattr(owner, attr) is not replacement:
        setattr(owner, attr, replacement)


def install() -> None:
    """Point click's message lookups at the Chinese catalogue (idempotent)."""
    for cls, name in _TYPE_NAMES.items():
        cls.name = name
    _patch(click.Command, "collect_usage_pieces", _usage_pieces)
    for module in (
        click.core,
        click.exceptions,
        click.types,
        click.formatting,
        click.decorators,
        click.parser,
        click.termui,
        click.utils,
    ):
        for attr, replacement in (("_", _gettext), ("ngettext", _ngettext)):
            if hasattr(module, attr):
                _patch(module, attr, replacement)

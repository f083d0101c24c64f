"""The command line. Thin: each command lives in its own module and is imported only when
run, so ``jixiao --help`` and the TUI start without loading torch or openpyxl."""

from __future__ import annotations

import importlib
import signal
import sys

import click

from assistant.cli import zh
from assistant.errors import JixiaoError, env_error, is_environment

zh.install()

# command name → "module:attribute" of a click.Command
COMMANDS = {
    "import": "assistant.cli.import_cmd:command",
    "corpus": "assistant.cli.corpus_cmd:command",
    "parse-value": "assistant.cli.parse_value_cmd:command",
    "search": "assistant.cli.search_cmd:search",
    "suggest": "assistant.cli.search_cmd:suggest",
    "validate": "assistant.cli.validate_cmd:command",
    "draft": "assistant.cli.draft_cmd:command",
    "drafts": "assistant.cli.store_cmd:drafts",
    "show": "assistant.cli.store_cmd:show",
    "delete": "assistant.cli.store_cmd:delete",
    "compact": "assistant.cli.store_cmd:compact",
    "export": "assistant.cli.export_cmd:command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._load(name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # command not built yet
                return None
            raise
        return getattr(module, attr)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    subcommand_metavar="[命令] [参数]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """jixiao（绩效）：项目支出绩效目标表填报助手。不带子命令时打开对话界面。"""
    if ctx.invoked_subcommand is None:
        from assistant.tui.app import run_app

        run_app()
        return
    from assistant.cli.common import protect_terminal

    protect_terminal()
    _report_store_notices()


def _report_store_notices() -> None:
    """Every command that opens the draft store says on stderr what damage it found and
    worked around (``提醒：…``), without each command asking."""
    import assistant.errors as errors

    errors.NOTICE_SINK = lambda line: click.echo(f"提醒：{line}", err=True)


def _usage_message(err: click.UsageError) -> str:
    if isinstance(err, click.MissingParameter) and err.param is not None:
        kind = "选项" if err.param.param_type_name == "option" else "参数"
        hint = err.param_hint or (err.param.get_error_hint(err.ctx) if err.ctx else err.param.name)
        return f"缺少必需的{kind} {hint}"
    return err.format_message()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one Chinese line on stderr and exit code 2."""
    if hasattr(signal, "SIGPIPE"):
        # Output cut short by a closed pipe (`jixiao validate --rules | head`) ends the process
        # quietly as for any Unix tool, not with click's exit code 1 ("the table has errors").
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        # Without standalone mode click returns ctx.exit()'s code instead of exiting.
        code = cli.main(args=argv, prog_name="jixiao", standalone_mode=False)
        if isinstance(code, int) and not isinstance(code, bool) and code:
            sys.exit(code)
    except JixiaoError as err:
        click.echo(f"错误：{err}", err=True)
        # An OS failure worded by a lower layer as plain JixiaoError is still exit code 3.
        cause = err.__cause__ or err.__context__
        env = isinstance(cause, OSError) and is_environment(cause)
        sys.exit(3 if env and err.exit_code == 2 else err.exit_code)
    except OSError as exc:  # any file operation nobody worded: one line, never a traceback
        click.echo(f"错误：{env_error(exc, '读写文件')}", err=True)
        sys.exit(3 if is_environment(exc) else 2)
    except MemoryError:
        click.echo("错误：内存不足，操作未完成；之前的内容没有改动。", err=True)
        sys.exit(3)
    except click.exceptions.Abort:  # Ctrl+C or Ctrl+D at a prompt: as an interrupt, never 1
        click.echo("已取消。", err=True)
        sys.exit(130)
    except click.UsageError as err:
        click.echo(f"用法错误：{_usage_message(err)}（运行 jixiao --help 查看用法）", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as err:
        click.echo(f"错误：{err.format_message()}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)

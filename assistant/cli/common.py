"""Helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def echo_json(doc: Any) -> None:
    """One JSON document, UTF-8, not escaped (the CLI contract)."""
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def echo_jsonl(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")

"""The precedent corpus: shipped tables (corpus/) plus what the user imported (JIXIAO_HOME/corpus).

Files:
- ``corpus/*.json`` (shipped): ``{"title": ..., "source": ..., "tables": [TargetTable, ...]}``
- ``corpus/library/*.json`` (shipped): ``{"title": ..., "indicators": [Indicator, ...]}``,
  common indicators (共性指标) whose provenance kind is ``library``.
- ``$JIXIAO_HOME/corpus/<content_key>.json``: one imported TargetTable each; the file name is
  the table's content key, so importing the same table twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from assistant import config
from assistant.errors import JixiaoError, env_error, os_reason
from assistant.fileio import write_atomic
from assistant.model import Indicator, Provenance, TargetTable
from assistant.pydantic_zh import describe


@dataclass(frozen=True)
class CorpusTable:
    table: TargetTable
    origin: str  # "shipped" or "imported"
    file: Path


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def shipped_tables() -> list[CorpusTable]:
    out: list[CorpusTable] = []
    for path in sorted(config.shipped_corpus_dir().glob("*.json")):
        for raw in _read_json(path).get("tables", []):
            out.append(CorpusTable(TargetTable.model_validate(raw), "shipped", path))
    return out


def _imported(path: Path) -> TargetTable:
    """One imported table file; a damaged one is a JixiaoError naming it (and what to do)."""
    try:
        return TargetTable.model_validate(_read_json(path))
    except OSError as exc:
        why = os_reason(exc)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        why = "不是有效的 JSON"
    except ValidationError as exc:
        why = describe(exc)
    raise JixiaoError(
        f"先例库中的这个文件已损坏（{why}）；请删除或移走它，再用 jixiao import 重新导入原表",
        path=str(path),
    )


def imported_tables() -> list[CorpusTable]:
    return [
        CorpusTable(_imported(p), "imported", p)
        for p in sorted(config.user_corpus_dir().glob("*.json"))
    ]


def load_tables() -> list[CorpusTable]:
    """Every table: shipped first, then imported (a table present in both counts once)."""
    seen: set[str] = set()
    out: list[CorpusTable] = []
    for ct in shipped_tables() + imported_tables():
        key = ct.table.content_key()
        if key not in seen:
            seen.add(key)
            out.append(ct)
    return out


def library_indicators() -> list[Indicator]:
    out: list[Indicator] = []
    for path in sorted((config.shipped_corpus_dir() / "library").glob("*.json")):
        out.extend(Indicator.model_validate(raw) for raw in _read_json(path).get("indicators", []))
    return out


def with_table_provenance(ind: Indicator, table: TargetTable) -> Indicator:
    """Fill an indicator's provenance from its table where the row itself lacks it."""
    tp = table.provenance or Provenance(source="")
    h = table.header
    prov = ind.provenance or Provenance(source=tp.source)
    prov = prov.model_copy(
        update={
            "source": prov.source or tp.source,
            "project": prov.project or h.project_name,
            "unit": prov.unit or h.unit,
            "department": prov.department or h.department,
            "year": prov.year or h.year,
        }
    )
    return ind.model_copy(update={"provenance": prov})


def precedents() -> list[Indicator]:
    """Every indicator row usable as a precedent, each with full provenance."""
    rows = [
        with_table_provenance(ind, ct.table) for ct in load_tables() for ind in ct.table.indicators
    ]
    return rows + library_indicators()


_batch: list[Path] | None = None  # files written inside the current all_or_nothing()


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """Every table file :func:`add_tables` writes inside is removed again if anything fails
    before the end (a full disk at table 128 of 2,000), so the corpus is as it was; an OS
    failure becomes one Chinese line (exit 3)."""
    global _batch
    outer, _batch = _batch, []
    try:
        yield
    except BaseException as exc:
        for path in reversed(_batch):
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise env_error(exc, "导入表格") from None
        raise
    finally:
        _batch = outer


def add_tables(tables: list[TargetTable]) -> tuple[list[TargetTable], list[TargetTable]]:
    """Write tables into the user corpus; returns (added, already_present). Atomic per file;
    inside :func:`all_or_nothing`, atomic for the whole import."""
    present = {ct.table.content_key() for ct in load_tables()}
    added, unchanged = [], []
    folder = config.user_corpus_dir()
    for table in tables:
        key = table.content_key()
        if key in present:
            unchanged.append(table)
            continue
        write_atomic(folder / f"{key}.json", table.model_dump_json(indent=1))
        if _batch is not None:
            _batch.append(folder / f"{key}.json")
        present.add(key)
        added.append(table)
    return added, unchanged

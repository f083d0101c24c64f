"""A small precedent table for the knowledge tests (test_knowledge, test_knowledge_compose)."""

from __future__ import annotations

from assistant.model import Header, Indicator, Provenance, TargetTable

OUT, BEN, SAT = "产出指标", "效益指标", "满意度指标"


def table(name: str, kind: str, rows: list[tuple[str, str, str, str]], src: str) -> TargetTable:
    """A 2023 table of ``kind`` from ``src`` with (level1, level2, name, value) rows."""
    prov = Provenance(source=src, project=name, year=2023)
    return TargetTable(
        header=Header(project_name=name, year=2023),
        kind=kind,
        provenance=prov,
        indicators=[
            Indicator(level1=l1, level2=l2, name=n, value=v, provenance=prov)
            for l1, l2, n, v in rows
        ],
    )

"""Side-by-side statistics of two inputs of the same kind, with ratios B/A."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.errors import UsageError
from advisor.ingest.kinds import KINDS
from advisor.stats.aggregate import KeyStats, KindTable

#: Columns a comparison shows unless --fields says otherwise.
DEFAULT_FIELDS = ["count", "p99", "p95", "median", "fail"]

#: Statistics compared as a ratio B/A: name -> attribute of KeyStats.
RATIOS = {
    "count": "count",
    "p99": "p99",
    "p95": "p95",
    "median": "median",
    "score": "score",
}


def ratio(a: float | None, b: float | None) -> float | None:
    """B/A, or None when either side is missing or A is zero."""
    if a is None or b is None or a == 0:
        return None
    return b / a


@dataclass
class Comparison:
    """The same kind's statistics from input A and input B."""

    kind: str
    name_a: str
    name_b: str
    a: KindTable
    b: KindTable
    order: list[str] = field(default_factory=list)
    """Keys in the order to show them (e.g. by --sort-by); others follow by score."""

    def keys(self) -> list[str]:
        """Keys of both sides: ``order`` first, then by B's score then A's."""
        rows_a = {row.key: row for row in self.a.rows}
        rows_b = {row.key: row for row in self.b.rows}
        present = set(rows_a) | set(rows_b)
        if self.order:
            ordered = list(dict.fromkeys(k for k in self.order if k in present))
            return ordered + sorted(present - set(ordered))

        def order(key: str) -> tuple[float, float, str]:
            score_b = rows_b[key].score if key in rows_b else -1.0
            score_a = rows_a[key].score if key in rows_a else -1.0
            return (-score_b, -score_a, key)

        return sorted(set(rows_a) | set(rows_b), key=order)

    def pairs(self) -> list[tuple[str, KeyStats | None, KeyStats | None]]:
        """(key, row in A, row in B) for every key of either side."""
        rows_a = {row.key: row for row in self.a.rows}
        rows_b = {row.key: row for row in self.b.rows}
        return [(key, rows_a.get(key), rows_b.get(key)) for key in self.keys()]

    def title(self) -> str:
        """Heading naming the kind and both inputs."""
        return f"{KINDS[self.kind].title}: A = {self.name_a}, B = {self.name_b} (ratios B/A)"

    def table_rows(
        self, fields: list[str] | None = None
    ) -> tuple[list[str], list[list[object]]]:
        """Header and formatted rows: each field for A, B and the ratio B/A."""
        from advisor.stats import columns

        chosen = [columns.ALL[name] for name in fields or DEFAULT_FIELDS]
        headers = [self.a.key_label]
        for column in chosen:
            headers += [
                f"{column.header}_A",
                f"{column.header}_B",
                f"{column.name.upper()}_x",
            ]
        rows: list[list[object]] = []
        for key, a, b in self.pairs():
            row: list[object] = [key]
            for column in chosen:
                va = column.get(a) if a else None
                vb = column.get(b) if b else None
                row += [_fmt(va, column.digits), _fmt(vb, column.digits)]
                row.append(_fmt_ratio(ratio(va, vb)))
            rows.append(row)
        return headers, rows

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready comparison."""
        from advisor.render.stats import row_dict, stamp

        return {
            "kind": self.kind,
            "a": {
                "name": self.name_a,
                "first_event": stamp(self.a.first),
                "last_event": stamp(self.a.last),
            },
            "b": {
                "name": self.name_b,
                "first_event": stamp(self.b.first),
                "last_event": stamp(self.b.last),
            },
            "rows": [
                {
                    "key": key,
                    "a": row_dict(a) if a else None,
                    "b": row_dict(b) if b else None,
                    "ratios": {
                        name: ratio(
                            getattr(a, attr) if a else None,
                            getattr(b, attr) if b else None,
                        )
                        for name, attr in RATIOS.items()
                    },
                }
                for key, a, b in self.pairs()
            ],
        }


def _fmt(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def common_kinds(
    kinds_a: list[str], kinds_b: list[str], name_a: str, name_b: str, wanted: str | None
) -> list[str]:
    """Kinds both inputs hold; refuses to compare logs of different kinds."""
    if wanted:
        for kinds, name in ((kinds_a, name_a), (kinds_b, name_b)):
            if wanted not in kinds:
                raise UsageError(
                    f"--compare: {name} has no {wanted} log (it has {', '.join(kinds)}).",
                    fix="Compare inputs that hold the same kind of log.",
                )
        return [wanted]
    shared = [kind for kind in kinds_a if kind in kinds_b and KINDS[kind].has_stats]
    if not shared:
        raise UsageError(
            f"--compare: {name_a} holds {', '.join(kinds_a)} logs but {name_b} holds "
            f"{', '.join(kinds_b)}; logs of different kinds cannot be compared.",
            fix="Compare two logs of the same kind, e.g. two gitaly/current files.",
        )
    return shared

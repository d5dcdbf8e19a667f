"""JSON exports: one array of customer objects, one per line, written batch by batch.

Values keep their types: numbers are numbers, lists are arrays, dates and times ISO 8601,
missing values ``null``; money is a string (``"150000.00"``), as everywhere in the API,
so no consumer reads it through a binary float.

Every object has the same keys in the same order, so each value is encoded on its own
(strings by the json module's C escaper, a column at a time) and each object is one
``%`` of a template: about half the work of building a dict per customer and encoding it.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from resolvers.customer_columns import CustomerColumn
from resolvers.export_columns import JSON_KEYS, KINDS, CellKind
from resolvers.export_rows import ExportBatch

_string = json.encoder.encode_basestring  # '"…"', escaped as json.dumps(ensure_ascii=False)


def _texts(values: Sequence[Any]) -> list[str]:
    return ["null" if v is None else _string(v) for v in values]


def _lists(values: Sequence[Any]) -> list[str]:
    return ["[" + ",".join(map(_string, v)) + "]" for v in values]


def _money(values: Sequence[Any]) -> list[str]:
    return ["null" if v is None else f'"{v:f}"' for v in values]


def _iso(values: Sequence[Any]) -> list[str]:
    return ["null" if v is None else f'"{v.isoformat()}"' for v in values]


def _numbers(values: Sequence[Any]) -> list[str]:
    return ["null" if v is None else str(v) for v in values]


_ENCODERS: dict[CellKind, Callable[[Sequence[Any]], list[str]]] = {
    CellKind.TEXT: _texts,
    CellKind.LIST: _lists,
    CellKind.MONEY: _money,
    CellKind.DATE: _iso,
    CellKind.DATETIME: _iso,
    CellKind.INTEGER: _numbers,
}


class JsonExport:
    def __init__(self, out: BinaryIO, columns: tuple[CustomerColumn, ...]) -> None:
        self._out = out
        self._columns = columns
        self._encoders = [_ENCODERS[KINDS[c]] for c in columns]
        members = ",".join(f"{_string(JSON_KEYS[c])}:%s" for c in columns)
        self._template = "{" + members + "}"
        self._first = True
        out.write(b"[")

    def write(self, batch: ExportBatch) -> None:
        if not batch.size:
            return
        encoded = [
            encode(batch.values[c]) for c, encode in zip(self._columns, self._encoders, strict=True)
        ]
        template = self._template
        text = ",\n".join(template % row for row in zip(*encoded, strict=True))
        self._out.write(("\n" if self._first else ",\n").encode() + text.encode("utf-8"))
        self._first = False

    def close(self) -> None:
        self._out.write(b"]\n" if self._first else b"\n]\n")
        self._out.flush()

    def discard(self) -> None:
        """Nothing to clean up: the storage drops the unfinished file."""

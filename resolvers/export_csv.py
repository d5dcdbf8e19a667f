"""CSV exports: UTF-8 (a BOM on request, for Excel), RFC 4180 quoting and CRLF line ends.

CSV has no cell types, so a text cell a spreadsheet would execute (``=…``, ``+…``,
``-…``, ``@…``) is neutralised unless the caller turns that off for a machine consumer;
numbers, money and dates are never touched, so ``-12.50`` stays a number. Lists are
joined with ``"; "`` and money is a plain number (``150000.00``), as the importer reads
them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, BinaryIO

from resolvers.customer_columns import HEADERS, CustomerColumn
from resolvers.export_columns import KINDS, LIST_SEPARATOR, CellKind
from resolvers.export_rows import ExportBatch
from resolvers.spreadsheet_safety import DANGEROUS_LEADS, QUOTE, neutralise

UTF8_BOM = b"\xef\xbb\xbf"
_RISKY = DANGEROUS_LEADS | {QUOTE}


def _text(values: list[Any]) -> list[str]:
    return [v or "" for v in values]


def _safe_text(values: list[Any]) -> list[str]:
    # Only a cell with a risky first character goes through neutralise(); most have none.
    return [neutralise(v) if v and v[0] in _RISKY else (v or "") for v in values]


def _joined(values: list[Any]) -> list[str]:
    return [LIST_SEPARATOR.join(v) for v in values]


def _money(values: list[Any]) -> list[str]:
    return ["" if v is None else format(v, "f") for v in values]


def _iso(values: list[Any]) -> list[str]:
    return ["" if v is None else v.isoformat() for v in values]


def _number(values: list[Any]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _cells(kind: CellKind, safe: bool) -> Callable[[list[Any]], list[str]]:
    """How a whole column of typed values becomes CSV text."""
    if kind is CellKind.TEXT:
        return _safe_text if safe else _text
    if kind is CellKind.LIST:
        return (lambda vs: _safe_text(_joined(vs))) if safe else _joined
    if kind is CellKind.MONEY:
        return _money
    if kind in (CellKind.DATE, CellKind.DATETIME):
        return _iso
    return _number


class CsvExport:
    """Writes batches as they come; holds one batch's text at a time."""

    def __init__(
        self,
        out: BinaryIO,
        columns: tuple[CustomerColumn, ...],
        *,
        neutralise_formulas: bool = True,
        excel_bom: bool = False,
    ) -> None:
        self._out = out
        self._columns = columns
        self._cells = [_cells(KINDS[c], neutralise_formulas) for c in columns]
        if excel_bom:
            out.write(UTF8_BOM)
        headers = [HEADERS[c] for c in columns]
        # Excel takes a file starting with "ID" for a SYLK file and refuses it; quoted, the
        # same header reads as text everywhere.
        sylk_like = not excel_bom and headers[0].startswith("ID")
        self._write_rows([headers], quoting=csv.QUOTE_ALL if sylk_like else csv.QUOTE_MINIMAL)

    def _write_rows(self, rows: Any, *, quoting: int = csv.QUOTE_MINIMAL) -> None:
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n", quoting=quoting).writerows(rows)
        self._out.write(text.getvalue().encode("utf-8"))

    def write(self, batch: ExportBatch) -> None:
        cells = [
            to_text(batch.values[c]) for c, to_text in zip(self._columns, self._cells, strict=True)
        ]
        self._write_rows(zip(*cells, strict=True))

    def close(self) -> None:
        self._out.flush()

    def discard(self) -> None:
        """Nothing to clean up: the storage drops the unfinished file."""

"""XLSX exports, written by xlsxwriter in constant-memory mode (rows flushed as written).

Text is always written as text (``write_string``, and the workbook refuses to turn
strings into formulas, links or numbers), so no cell ever executes. Money, numbers and
dates are real typed cells with number formats. The header row is styled, frozen and
filterable; column widths follow the content, tracked here because ``autofit()`` needs
the cells constant-memory mode has already flushed. A second sheet summarises the export
(see ``export_summary``) with a chart.

The workbook is built in a private temporary directory and then copied into the
destination stream: ZIP needs a seekable file, the destination need not be one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

from resolvers.customer_columns import HEADERS, CustomerColumn
from resolvers.export_columns import KINDS, LIST_SEPARATOR, CellKind
from resolvers.export_rows import ExportBatch
from resolvers.export_summary import ExportSummary
from resolvers.export_summary_sheet import write_summary_sheet

MONEY_FORMAT = '"₹"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = 'yyyy-mm-dd hh:mm "UTC"'
MAX_WIDTH = 60
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
_FIXED_WIDTHS = {CellKind.DATE: 10, CellKind.DATETIME: 20}
# Dates are written as the serial numbers Excel stores, with a date format: the same
# cells write_datetime makes, converted a column at a time rather than a cell at a time.
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def _prepared(kind: CellKind) -> Callable[[list[Any]], list[Any]]:
    """A column as the cells to write: None where nothing is written."""
    if kind is CellKind.TEXT:
        return lambda vs: [v or None for v in vs]
    if kind is CellKind.LIST:
        return lambda vs: [LIST_SEPARATOR.join(v) or None for v in vs]
    if kind is CellKind.MONEY:
        return lambda vs: [None if v is None else float(v) for v in vs]
    if kind is CellKind.DATE:
        return lambda vs: [None if v is None else v.toordinal() - _EXCEL_EPOCH for v in vs]
    if kind is CellKind.DATETIME:
        return lambda vs: [None if v is None else _excel_moment(v) for v in vs]
    return lambda vs: vs


def _excel_moment(moment: dt.datetime) -> float:
    """An aware datetime as an Excel serial number in UTC (days since 1899-12-30)."""
    utc = moment.astimezone(dt.UTC)
    seconds = utc.hour * 3600 + utc.minute * 60 + utc.second + utc.microsecond / 1e6
    return utc.toordinal() - _EXCEL_EPOCH + seconds / 86400


def _width(kind: CellKind, cells: list[Any]) -> int:
    present = [c for c in cells if c is not None]
    if not present:
        return 0
    if kind in _FIXED_WIDTHS:
        return _FIXED_WIDTHS[kind]
    if kind is CellKind.MONEY:
        return max(len(f"{c:,.2f}") for c in (max(present), min(present))) + 2
    if kind is CellKind.INTEGER:
        return max(len(str(max(present))), len(str(min(present))))
    return max(map(len, present))


class XlsxExport:
    def __init__(
        self, out: BinaryIO, columns: tuple[CustomerColumn, ...], *, generated_at: dt.datetime
    ) -> None:
        self._out = out
        self._columns = columns
        self._kinds = [KINDS[c] for c in columns]
        self._prepare = [_prepared(k) for k in self._kinds]
        self._generated_at = generated_at
        self._summary = ExportSummary()
        self._temporary = tempfile.TemporaryDirectory(prefix="crm-export-")
        self._path = Path(self._temporary.name) / "export.xlsx"
        self._book = xlsxwriter.Workbook(
            str(self._path),
            {
                "constant_memory": True,
                "tmpdir": self._temporary.name,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._sheet = self._book.add_worksheet("Customers")
        self._summary_sheet = self._book.add_worksheet("Summary")
        self._cell_writers, self._formats = self._cell_writers_and_formats()
        header = self._book.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "border": 1}
        )
        header.set_align("vcenter")
        self._sheet.set_row(0, 20)
        for j, column in enumerate(columns):
            self._sheet.write_string(0, j, HEADERS[column], header)
        # The filter's drop-down arrow sits on the header: room for it.
        self._widths = [len(HEADERS[c]) + 4 for c in columns]
        self._rows = 0

    def _cell_writers_and_formats(self) -> tuple[list[Callable[..., Any]], list[Any]]:
        sheet, book = self._sheet, self._book
        money = book.add_format({"num_format": MONEY_FORMAT})
        date = book.add_format({"num_format": DATE_FORMAT})
        moment = book.add_format({"num_format": DATETIME_FORMAT})
        integer = book.add_format({"num_format": "0"})
        by_kind: dict[CellKind, tuple[Callable[..., Any], Any]] = {
            CellKind.TEXT: (sheet.write_string, None),
            CellKind.LIST: (sheet.write_string, None),
            CellKind.MONEY: (sheet.write_number, money),
            CellKind.INTEGER: (sheet.write_number, integer),
            CellKind.DATE: (sheet.write_number, date),
            CellKind.DATETIME: (sheet.write_number, moment),
        }
        pairs = [by_kind[k] for k in self._kinds]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def write(self, batch: ExportBatch) -> None:
        if self._rows + batch.size > MAX_ROWS:
            raise ValueError(
                f"An XLSX sheet holds at most {MAX_ROWS:,} customers: narrow the filter, "
                "or export CSV or JSON"
            )
        self._summary.add(batch)
        cells = [
            prepare(batch.values[c])
            for c, prepare in zip(self._columns, self._prepare, strict=True)
        ]
        for j, (kind, column) in enumerate(zip(self._kinds, cells, strict=True)):
            self._widths[j] = max(self._widths[j], _width(kind, column))
        writers, formats = self._cell_writers, self._formats
        indexed = list(enumerate(zip(writers, formats, strict=True)))
        row = self._rows + 1
        for values in zip(*cells, strict=True):
            for (j, (write, fmt)), value in zip(indexed, values, strict=True):
                if value is not None:
                    write(row, j, value, fmt)
            row += 1
        self._rows = row - 1

    def close(self) -> None:
        try:
            sheet = self._sheet
            for j, width in enumerate(self._widths):
                sheet.set_column(j, j, min(width, MAX_WIDTH) + 1)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(self._rows, 1), len(self._columns) - 1)
            write_summary_sheet(
                self._book, self._summary_sheet, self._summary, generated_at=self._generated_at
            )
            self._book.close()
            with open(self._path, "rb") as workbook:
                shutil.copyfileobj(workbook, self._out, 1 << 20)
            self._out.flush()
        finally:
            self._temporary.cleanup()

    def discard(self) -> None:
        """After a failure: close the workbook (its temporary files with it), keep nothing."""
        try:
            with contextlib.suppress(Exception):
                self._book.close()
        finally:
            self._temporary.cleanup()

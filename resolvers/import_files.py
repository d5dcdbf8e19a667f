"""Reading an uploaded spreadsheet as numbered rows of text cells: CSV or XLSX, streamed.

Everything here is synchronous and meant for a worker thread. Rows are numbered as the
user's spreadsheet numbers them: the header is row 1 and each record is one row, even
when a quoted field spans several lines; a blank line is a row too (a spreadsheet shows
it as an empty one), so it keeps the numbering but is otherwise ignored.

CSV is read with the ``csv`` module rather than pandas: it streams record by record with
exact record numbers, and a ragged record becomes that row's error instead of a parser
exception that loses the numbering.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import enum
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import charset_normalizer
import openpyxl

from resolvers.errors import ValidationFailed

SAMPLE_BYTES = 256 * 1024
# The single-byte encodings spreadsheets here are saved in: Windows' Western code page and
# its ISO cousins. Letting the detector consider every code page makes it pick exotic
# ones (cp775 for "ü", cp1250 for "Å") on short files; others can be named in options.
LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
MAX_FIELD_CHARS = 100_000
DELIMITERS = (",", ";", "\t", "|")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97–2003


class FileFormat(enum.StrEnum):
    CSV = "CSV"
    XLSX = "XLSX"


@dataclass(frozen=True)
class ReadOptions:
    format: FileFormat | None = None
    encoding: str | None = None
    delimiter: str | None = None
    quote_char: str = '"'
    sheet: str | None = None


@dataclass(frozen=True)
class TableShape:
    """What the reader decided about a file, reported back on the job."""

    format: FileFormat
    encoding: str | None
    delimiter: str | None
    header: list[str]
    data_rows: int


class UnreadableFile(ValidationFailed):
    """The file as a whole cannot be read: the job fails before any row is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="UNREADABLE_FILE")


def detect_format(head: bytes, options: ReadOptions) -> FileFormat:
    if options.format is not None:
        return options.format
    if head.startswith(_ZIP):
        return FileFormat.XLSX
    if head.startswith(_OLE):
        raise UnreadableFile(
            "This is an old binary Excel file (.xls); save it as .xlsx or CSV and upload again"
        )
    return FileFormat.CSV


def detect_encoding(sample: bytes) -> str:
    """BOMs first, then strict UTF-8, then charset-normalizer for legacy encodings."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not sample:
        return "utf-8"
    try:
        # A sample may end inside a multi-byte character: ignore up to 3 trailing bytes.
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in sample:
        best = charset_normalizer.from_bytes(sample).best()
        if best is None or not best.encoding.startswith("utf_16"):
            raise UnreadableFile("This is not a text (CSV) file, nor an XLSX workbook")
        return best.encoding
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise UnreadableFile(
            "The file's text encoding cannot be recognised; save it as UTF-8 or set "
            "options.encoding"
        )
    return best.encoding


def _records(text: str, delimiter: str, quote_char: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote_char)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append(record)
            if len(rows) >= 50:
                break
    except csv.Error:
        pass
    return rows


def sniff_delimiter(sample_text: str, quote_char: str) -> str:
    """The candidate that splits the header into most columns and the first records
    consistently; a single-column file is read with commas."""
    lines = sample_text.split("\n")
    if len(lines) > 1:
        sample_text = "\n".join(lines[:-1])  # the last line may be cut short
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        records = [r for r in _records(sample_text, delimiter, quote_char) if r]
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        consistent = sum(1 for r in records[1:] if len(r) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class CsvTable:
    def __init__(self, path: Path, options: ReadOptions) -> None:
        with open(path, "rb") as raw:
            sample = raw.read(SAMPLE_BYTES)
        self.encoding = options.encoding or detect_encoding(sample)
        try:
            codecs.lookup(self.encoding)
        except LookupError as exc:
            raise UnreadableFile(f"Unknown text encoding {self.encoding!r}") from exc
        decoder = codecs.getincrementaldecoder(self.encoding)("replace")
        sample_text = decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
        self.delimiter = options.delimiter or sniff_delimiter(sample_text, options.quote_char)
        if len(self.delimiter) != 1:
            raise UnreadableFile("A delimiter is a single character")
        self.quote_char = options.quote_char
        self.path = path

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) for every record, header included (row 1)."""
        csv.field_size_limit(MAX_FIELD_CHARS)
        with open(self.path, encoding=self.encoding, errors="strict", newline="") as text:
            # strict: an unterminated quote fails the file instead of silently swallowing
            # every row after it into one field.
            reader = csv.reader(
                text, delimiter=self.delimiter, quotechar=self.quote_char, strict=True
            )
            number = 0
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise UnreadableFile(
                        f"Row {number + 1} is not valid {self.encoding} text; save the file "
                        "as UTF-8 or set options.encoding"
                    ) from exc
                except csv.Error as exc:
                    raise UnreadableFile(f"Row {number + 1} cannot be read: {exc}") from exc
                number += 1
                yield number, record


def xlsx_cell_text(value: Any) -> str:
    """A workbook cell as the text a user typed: whole numbers without ".0", dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class XlsxTable:
    encoding = None
    delimiter = None

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path = path
        self.sheet = options.sheet
        with self._open():
            pass  # fail now, before the job counts rows, if the workbook cannot be opened

    @contextlib.contextmanager
    def _open(self) -> Iterator[Any]:
        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnreadableFile(f"This is not a readable XLSX workbook ({exc})") from exc
        try:
            if self.sheet is None:
                yield book.worksheets[0]
            elif self.sheet in book.sheetnames:
                yield book[self.sheet]
            else:
                raise UnreadableFile(
                    f"The workbook has no sheet {self.sheet!r}; it has "
                    + ", ".join(repr(n) for n in book.sheetnames)
                )
        finally:
            book.close()

    def declared_rows(self) -> int | None:
        """The sheet's row count as its dimension records it (header included), if it
        does: workbooks are not read twice just to count."""
        with self._open() as sheet:
            return sheet.max_row if isinstance(sheet.max_row, int) else None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        with self._open() as sheet:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [xlsx_cell_text(v) for v in values]
                while cells and cells[-1] == "":
                    cells.pop()
                yield number, cells


def open_table(path: Path, options: ReadOptions) -> CsvTable | XlsxTable:
    with open(path, "rb") as raw:
        head = raw.read(8)
    if not head:
        raise UnreadableFile("The file is empty")
    if detect_format(head, options) is FileFormat.XLSX:
        return XlsxTable(path, options)
    return CsvTable(path, options)


def is_blank(cells: list[str]) -> bool:
    return all(not c.strip() for c in cells)

"""The options of a customer import, validated once when the import is requested and kept
on the job as JSON, so whichever process runs the job reads exactly what was asked."""

from __future__ import annotations

import codecs
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.enums import BusinessType
from resolvers.customer_columns import IMPORTABLE, CustomerColumn
from resolvers.errors import DomainError, DomainErrors, ValidationFailed
from resolvers.import_files import DELIMITERS, FileFormat, ReadOptions
from resolvers.import_values import DEFAULT_DATE_FORMATS, check_date_format


class MatchKey(enum.StrEnum):
    """A value that identifies an existing customer."""

    CODE = "CODE"
    TAX_ID = "TAX_ID"
    EMAIL = "EMAIL"


MATCH_COLUMNS = {MatchKey.CODE: "code", MatchKey.TAX_ID: "tax_id", MatchKey.EMAIL: "email"}


class DuplicatePolicy(enum.StrEnum):
    SKIP = "SKIP"
    UPDATE = "UPDATE"
    FAIL = "FAIL"


class ErrorPolicy(enum.StrEnum):
    REJECT_FAILED_ROWS = "REJECT_FAILED_ROWS"
    REJECT_EVERYTHING = "REJECT_EVERYTHING"


@dataclass(frozen=True)
class ImportOptions:
    file_key: str
    filename: str = "customers.csv"
    format: FileFormat | None = None
    encoding: str | None = None
    delimiter: str | None = None
    quote_char: str = '"'
    sheet: str | None = None
    mapping: Sequence[tuple[str, CustomerColumn]] = ()
    match_on: Sequence[MatchKey] = (MatchKey.CODE, MatchKey.TAX_ID, MatchKey.EMAIL)
    on_duplicate: DuplicatePolicy = DuplicatePolicy.SKIP
    error_policy: ErrorPolicy = ErrorPolicy.REJECT_FAILED_ROWS
    dry_run: bool = False
    date_formats: Sequence[str] = DEFAULT_DATE_FORMATS
    default_business_type: BusinessType | None = None
    reverse_neutralisation: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def read(self) -> ReadOptions:
        return ReadOptions(
            format=self.format,
            encoding=self.encoding,
            delimiter=self.delimiter,
            quote_char=self.quote_char,
            sheet=self.sheet,
        )

    def validate(self) -> ImportOptions:
        """Every problem with the options at once, named by option."""
        errors: list[DomainError] = []

        def check(ok: bool, message: str, name: str) -> None:
            if not ok:
                errors.append(ValidationFailed(message, field=f"options.{name}"))

        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                check(False, f"Unknown text encoding {self.encoding!r}", "encoding")
        if self.delimiter is not None:
            check(
                self.delimiter in DELIMITERS
                or (len(self.delimiter) == 1 and self.delimiter.isprintable()),
                "A delimiter is one printable character such as , ; | or a tab",
                "delimiter",
            )
        check(
            len(self.quote_char) == 1 and self.quote_char != self.delimiter,
            "A quote character is one character, not the delimiter",
            "quoteChar",
        )
        check(bool(self.match_on), "Match on at least one of CODE, TAX_ID, EMAIL", "matchOn")
        check(len(set(self.match_on)) == len(self.match_on), "matchOn repeats a key", "matchOn")
        check(bool(self.date_formats), "Allow at least one date format", "dateFormats")
        for date_format in self.date_formats:
            try:
                check_date_format(date_format)
            except DomainError as exc:
                errors.append(exc)
        mapped = [column for _, column in self.mapping]
        check(
            all(column in IMPORTABLE for column in mapped),
            "Only importable fields can be mapped (not computed ones such as SEGMENTS)",
            "mapping",
        )
        headers = [header.strip().casefold() for header, _ in self.mapping]
        check(len(set(headers)) == len(headers), "The mapping names a column twice", "mapping")
        check(len(set(mapped)) == len(mapped), "The mapping gives a field two columns", "mapping")
        if errors:
            raise DomainErrors(errors) if len(errors) > 1 else errors[0]
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "fileKey": self.file_key,
            "filename": self.filename,
            "format": self.format.value if self.format else None,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "quoteChar": self.quote_char,
            "sheet": self.sheet,
            "mapping": [[header, column.value] for header, column in self.mapping],
            "matchOn": [key.value for key in self.match_on],
            "onDuplicate": self.on_duplicate.value,
            "errorPolicy": self.error_policy.value,
            "dryRun": self.dry_run,
            "dateFormats": list(self.date_formats),
            "defaultBusinessType": (
                self.default_business_type.value if self.default_business_type else None
            ),
            "reverseNeutralisation": self.reverse_neutralisation,
            **self.extra,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportOptions:
        return cls(
            file_key=data["fileKey"],
            filename=data.get("filename") or "customers.csv",
            format=FileFormat(data["format"]) if data.get("format") else None,
            encoding=data.get("encoding"),
            delimiter=data.get("delimiter"),
            quote_char=data.get("quoteChar") or '"',
            sheet=data.get("sheet"),
            mapping=[(h, CustomerColumn(c)) for h, c in data.get("mapping") or []],
            match_on=[MatchKey(k) for k in data.get("matchOn") or []],
            on_duplicate=DuplicatePolicy(data.get("onDuplicate") or "SKIP"),
            error_policy=ErrorPolicy(data.get("errorPolicy") or "REJECT_FAILED_ROWS"),
            dry_run=bool(data.get("dryRun")),
            date_formats=list(data.get("dateFormats") or DEFAULT_DATE_FORMATS),
            default_business_type=(
                BusinessType(data["defaultBusinessType"])
                if data.get("defaultBusinessType")
                else None
            ),
            reverse_neutralisation=data.get("reverseNeutralisation", True),
            extra={k: data[k] for k in ("batchRows", "fileTtlSeconds") if data.get(k)},
        )

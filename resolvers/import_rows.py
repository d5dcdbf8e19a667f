"""From a header and rows of text cells to validated customer values, row by row.

The rules are ``createCustomer``'s (resolvers/customers.normalise_customer_fields), so a
value the API accepts the importer accepts, spelled the same way. A blank cell means "no
value": a new customer gets none, an updated customer keeps the one it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from models.enums import BusinessType
from resolvers import import_values as values
from resolvers.credit_limits import validate_limit
from resolvers.customer_columns import HEADERS, IMPORTABLE, CustomerColumn, field_for_header
from resolvers.customers import normalise_customer_fields
from resolvers.errors import DomainError, DomainErrors, ValidationFailed
from resolvers.import_files import UnreadableFile, is_blank
from resolvers.spreadsheet_safety import unneutralise

C = CustomerColumn

# Column → key of normalise_customer_fields (and of the customers table).
MODEL_KEYS: dict[CustomerColumn, str] = {
    C.CODE: "code",
    C.NAME: "name",
    C.BUSINESS_TYPE: "business_type",
    C.STATUS: "status",
    C.EMAIL: "email",
    C.PHONE: "phone",
    C.TAX_ID: "tax_id",
    C.ADDRESS_LINE1: "address_line1",
    C.ADDRESS_LINE2: "address_line2",
    C.CITY: "city",
    C.STATE: "state",
    C.POSTAL_CODE: "postal_code",
    C.COUNTRY: "country",
    C.TAGS: "tags",
    C.OWNER_EMAIL: "owner_id",
    C.CREDIT_LIMIT: "credit_limit",
    C.CUSTOMER_SINCE: "created_at",
}
# API field names, as errors name them (the same names createCustomer's errors use).
API_FIELDS: dict[CustomerColumn, str] = {
    C.CODE: "code",
    C.NAME: "name",
    C.BUSINESS_TYPE: "businessType",
    C.STATUS: "status",
    C.EMAIL: "email",
    C.PHONE: "phone",
    C.TAX_ID: "taxId",
    C.ADDRESS_LINE1: "address.line1",
    C.ADDRESS_LINE2: "address.line2",
    C.CITY: "address.city",
    C.STATE: "address.state",
    C.POSTAL_CODE: "address.postalCode",
    C.COUNTRY: "address.country",
    C.TAGS: "tags",
    C.OWNER_EMAIL: "ownerEmail",
    C.CREDIT_LIMIT: "creditLimit",
    C.CUSTOMER_SINCE: "customerSince",
}
_ERROR_FIELDS: dict[str, CustomerColumn] = {
    **{name: column for column, name in API_FIELDS.items()},
    "address.address_line1": C.ADDRESS_LINE1,
    "address.address_line2": C.ADDRESS_LINE2,
    "address.city": C.CITY,
    "address.postal_code": C.POSTAL_CODE,
}
REQUIRED: tuple[CustomerColumn, ...] = (C.NAME,)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    field: str | None
    message: str
    code: str


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds which field; columns nobody maps are reported, not fatal."""

    columns: dict[CustomerColumn, int]
    headers: list[str]
    unknown: list[str]

    def header_of(self, column: CustomerColumn) -> str:
        index = self.columns.get(column)
        return self.headers[index] if index is not None else HEADERS[column]


def _column_label(headers: Sequence[str], index: int) -> str:
    header = headers[index].strip() if index < len(headers) else ""
    return header or f"(column {index + 1})"


def map_columns(
    headers: Sequence[str],
    *,
    explicit: Sequence[tuple[str, CustomerColumn]] = (),
    business_type_required: bool = True,
) -> ColumnMapping:
    """An explicit mapping names headers; otherwise headers are recognised by name. A
    business type column is required unless new customers get a default one, or the
    import updates existing customers (where a row only changes what it holds)."""
    labels = [_column_label(headers, i) for i in range(len(headers))]
    columns: dict[CustomerColumn, int] = {}
    if explicit:
        by_header = {h.strip().casefold(): i for i, h in reversed(list(enumerate(headers)))}
        for header, column in explicit:
            index = by_header.get(header.strip().casefold())
            if index is None:
                raise UnreadableFile(f"The mapping names a column the file lacks: {header!r}")
            if column in columns and columns[column] != index:
                raise UnreadableFile(f"The mapping gives {column.value} two columns")
            columns[column] = index
    else:
        for index, header in enumerate(headers):
            column = field_for_header(header)
            if column is None:
                continue
            if column in columns:
                raise UnreadableFile(
                    f"Columns {labels[columns[column]]!r} and {labels[index]!r} both hold "
                    f"{HEADERS[column]}; rename one or give options.mapping"
                )
            columns[column] = index
    mapped = set(columns.values())
    unknown = [labels[i] for i in range(len(headers)) if i not in mapped and headers[i].strip()]
    required = [*REQUIRED]
    if business_type_required:
        required.append(C.BUSINESS_TYPE)
    missing = [HEADERS[c] for c in required if c not in columns]
    if missing:
        raise UnreadableFile(
            "The file has no column for: "
            + ", ".join(missing)
            + (
                "; name the columns in the header row or give options.mapping"
                if len(headers) > 1
                else "; is the delimiter right?"
            )
        )
    return ColumnMapping(columns=columns, headers=labels, unknown=unknown)


@dataclass
class ParsedRow:
    row: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RowRules:
    mapping: ColumnMapping
    date_formats: Sequence[str]
    timezone: ZoneInfo
    owners: Mapping[str, int]
    default_business_type: BusinessType | None
    reverse_neutralisation: bool
    today: dt.date


class RowParser:
    def __init__(self, rules: RowRules) -> None:
        self.rules = rules
        self._width = len(rules.mapping.headers)
        # Only the mapped columns, in the order of IMPORTABLE, looked at row after row.
        self._mapped = [
            (column, rules.mapping.columns[column])
            for column in IMPORTABLE
            if column in rules.mapping.columns
        ]

    def _error(self, parsed: ParsedRow, column: CustomerColumn | None, exc: DomainError) -> None:
        if column is None and exc.field:
            column = _ERROR_FIELDS.get(exc.field)
        parsed.errors.append(
            RowError(
                row=parsed.row,
                column=self.rules.mapping.header_of(column) if column else None,
                field=API_FIELDS[column] if column else exc.field,
                message=exc.message,
                code=exc.code,
            )
        )

    def _text(self, cells: list[str], index: int) -> str | None:
        if index >= len(cells):
            return None
        text = cells[index]
        if self.rules.reverse_neutralisation:
            text = unneutralise(text)
        text = text.strip()
        return text or None

    def parse(self, row: int, cells: list[str]) -> ParsedRow:
        parsed = ParsedRow(row=row, cells=cells)
        if len(cells) > self._width and not is_blank(cells[self._width :]):
            parsed.errors.append(
                RowError(
                    row=row,
                    column=None,
                    field=None,
                    message=f"This row has {len(cells)} cells but the header has "
                    f"{self._width} columns (a stray delimiter or quote?)",
                    code="RAGGED_ROW",
                )
            )
            return parsed
        raw: dict[str, Any] = {}
        for column, index in self._mapped:
            text = self._text(cells, index)
            if text is None:
                if column in REQUIRED:
                    self._error(
                        parsed,
                        column,
                        ValidationFailed(f"{HEADERS[column]} is required", code="REQUIRED"),
                    )
                continue
            try:
                self._convert(column, text, raw, parsed)
            except DomainError as exc:
                self._error(parsed, column, exc)
        try:
            parsed.values.update(normalise_customer_fields(raw))
        except DomainErrors as many:
            for exc in many.errors:
                self._error(parsed, None, exc)
        except DomainError as exc:
            self._error(parsed, None, exc)
        return parsed

    def _convert(
        self, column: CustomerColumn, text: str, raw: dict[str, Any], parsed: ParsedRow
    ) -> None:
        key = MODEL_KEYS[column]
        if column is C.BUSINESS_TYPE:
            raw[key] = values.parse_business_type(text)
        elif column is C.STATUS:
            raw[key] = values.parse_status(text)
        elif column is C.TAGS:
            raw[key] = values.parse_list(text)
        elif column is C.COUNTRY:
            raw[key] = values.parse_country(text)
        elif column is C.CREDIT_LIMIT:
            amount = values.parse_amount(text, field="creditLimit")
            parsed.values[key] = validate_limit(amount, field="creditLimit")
        elif column is C.OWNER_EMAIL:
            owner = self.rules.owners.get(text.casefold())
            if owner is None:
                raise ValidationFailed(
                    f"No active user has the email {text!r}", field="ownerEmail", code="NOT_FOUND"
                )
            parsed.values[key] = owner
        elif column is C.CUSTOMER_SINCE:
            day = values.parse_date(text, formats=self.rules.date_formats, field="customerSince")
            if day > self.rules.today:
                raise ValidationFailed("Customer Since is in the future", field="customerSince")
            parsed.values[key] = dt.datetime.combine(
                day, dt.time(), self.rules.timezone
            ).astimezone(dt.UTC)
        else:
            raw[key] = text

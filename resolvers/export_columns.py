"""What an export knows about each customer column: its cell type, its JSON key, and the
columns shown when the caller picks none.

Headers come from ``customer_columns.HEADERS`` (the importer's canonical headers), so a
file exported here re-imports as it is: the importer reads the importable columns and
reports the computed ones as columns it does not read (tests/api/test_export_reimport.py).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from resolvers.customer_columns import IMPORTABLE, CustomerColumn
from resolvers.errors import ValidationFailed

C = CustomerColumn


class CellKind(enum.Enum):
    """How a value is written: CSV has only text, XLSX and JSON keep the type."""

    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    LIST = "list"


_NON_TEXT: dict[CustomerColumn, CellKind] = {
    C.ID: CellKind.INTEGER,
    C.TAGS: CellKind.LIST,
    C.CREDIT_LIMIT: CellKind.MONEY,
    C.CUSTOMER_SINCE: CellKind.DATE,
    C.CREDIT_OUTSTANDING: CellKind.MONEY,
    C.SEGMENTS: CellKind.LIST,
    C.RELATIONSHIP_SCORE: CellKind.INTEGER,
    C.LIFETIME_VALUE: CellKind.MONEY,
    C.CREATED_AT: CellKind.DATETIME,
    C.UPDATED_AT: CellKind.DATETIME,
}
KINDS: dict[CustomerColumn, CellKind] = {c: _NON_TEXT.get(c, CellKind.TEXT) for c in C}


def _camel(name: str) -> str:
    first, *rest = name.lower().split("_")
    return first + "".join(part.title() for part in rest)


JSON_KEYS: dict[CustomerColumn, str] = {c: _camel(c.value) for c in C}
JSON_KEYS[C.ADDRESS_LINE1] = "addressLine1"
JSON_KEYS[C.ADDRESS_LINE2] = "addressLine2"
JSON_KEYS[C.LIFETIME_VALUE] = "predictedLifetimeValue"

# Everything the importer reads back, plus the credit position and segments a meeting
# asks about first. Scores and predictions are opt-in: not every customer has them.
DEFAULT_COLUMNS: tuple[CustomerColumn, ...] = (
    *IMPORTABLE,
    C.CREDIT_OUTSTANDING,
    C.CREDIT_LEVEL,
    C.SEGMENTS,
)

LIST_SEPARATOR = "; "
"""How a list (tags, segments) is joined in a CSV or XLSX cell: the importer splits on it."""


def chosen_columns(fields: Sequence[str] | None) -> tuple[CustomerColumn, ...]:
    """The columns in the order asked for, each once; the default set when none are given."""
    if fields is None:
        return DEFAULT_COLUMNS
    columns = tuple(dict.fromkeys(CustomerColumn(f) for f in fields))
    if not columns:
        raise ValidationFailed("Choose at least one field, or leave fields out", field="fields")
    return columns

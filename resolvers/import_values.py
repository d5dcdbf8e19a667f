"""Cell values as people type them in spreadsheets: amounts, dates, types and lists.

Each parser accepts the forms that are unambiguous and refuses the rest with a message
the user can act on; nothing is guessed. An ambiguous date (one that reads as two
different days under the allowed formats) is an error, and so is a two-digit year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from models.enums import BusinessType, CustomerStatus
from resolvers.errors import ValidationFailed

DEFAULT_DATE_FORMATS = ("YYYY-MM-DD", "DD/MM/YYYY", "DD-MM-YYYY", "DD.MM.YYYY", "D MMM YYYY")

_CURRENCY = re.compile(r"^(?:₹|rs\.?|inr)\s*|\s*(?:₹|rs\.?|inr|/-)$", re.IGNORECASE)
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_WESTERN = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_INDIAN = re.compile(r"^\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?$")
_TWO_DIGIT_YEAR = re.compile(
    r"^\d{1,2}[/.\-\s]\d{1,2}[/.\-\s]\d{2}$|^\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}$"
)
_TOKEN = re.compile(r"YYYY|MMMM|MMM|MM|M|DD|D")
_MONTHS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    "sept": 9,
}


def parse_amount(text: str, *, field: str) -> Decimal:
    """An amount with ',' thousands separators (Western "100,000" or Indian "1,00,000"),
    an optional currency sign, and at most two decimals."""
    cleaned = _CURRENCY.sub("", text.strip()).replace(" ", "")
    if not (_PLAIN.match(cleaned) or _WESTERN.match(cleaned) or _INDIAN.match(cleaned)):
        raise ValidationFailed(
            f"Not an amount: {text!r} (use digits, optional ',' grouping and '.' decimals)",
            field=field,
            code="INVALID_NUMBER",
        )
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the patterns admit only digits
        raise ValidationFailed(f"Not an amount: {text!r}", field=field) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(
            "An amount has at most two decimals", field=field, code="INVALID_NUMBER"
        )
    return amount


@lru_cache(maxsize=64)
def _date_pattern(date_format: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for match in _TOKEN.finditer(date_format):
        parts.append(re.escape(date_format[position : match.start()]).replace(r"\ ", r"\s+"))
        token = match.group()
        parts.append(
            {
                "YYYY": r"(?P<year>\d{4})",
                "MMMM": r"(?P<month_name>[A-Za-z]{3,9})",
                "MMM": r"(?P<month_name>[A-Za-z]{3,9})",
                "MM": r"(?P<month>\d{2})",
                "M": r"(?P<month>\d{1,2})",
                "DD": r"(?P<day>\d{2})",
                "D": r"(?P<day>\d{1,2})",
            }[token]
        )
        position = match.end()
    parts.append(re.escape(date_format[position:]))
    return re.compile("^" + "".join(parts) + "$")


def check_date_format(date_format: str) -> str:
    """A date format of tokens YYYY, MM/M, MMM/MMMM, DD/D and separators, each once."""
    tokens = _TOKEN.findall(date_format)
    kinds = sorted("Y" if t == "YYYY" else ("M" if t.startswith("M") else "D") for t in tokens)
    leftover = _TOKEN.sub("", date_format)
    if kinds != ["D", "M", "Y"] or re.search(r"[A-Za-z0-9]", leftover):
        raise ValidationFailed(
            f"Not a date format: {date_format!r} (use YYYY, MM or M, MMM, DD or D and "
            "separators, e.g. DD/MM/YYYY)",
            field="options.dateFormats",
        )
    return date_format


def _read(date_format: str, text: str) -> dt.date | None:
    match = _date_pattern(date_format).match(text)
    if match is None:
        return None
    groups = match.groupdict()
    if groups.get("month_name"):
        month = _MONTHS.get(groups["month_name"].lower())
        if month is None:
            return None
    else:
        month = int(groups["month"])
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


def parse_date(text: str, *, formats: Sequence[str], field: str) -> dt.date:
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]*)?", value):
        # ISO 8601, as workbooks' date cells arrive: never ambiguous.
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    readings = {d for d in (_read(f, value) for f in formats) if d is not None}
    if len(readings) == 1:
        return readings.pop()
    if len(readings) > 1:
        options = " or ".join(sorted(d.isoformat() for d in readings))
        raise ValidationFailed(
            f"Ambiguous date {value!r}: it could be {options}; write it as YYYY-MM-DD",
            field=field,
            code="AMBIGUOUS_DATE",
        )
    if _TWO_DIGIT_YEAR.match(value):
        raise ValidationFailed(
            f"Two-digit years are not accepted: {value!r}; write the year in full",
            field=field,
            code="INVALID_DATE",
        )
    raise ValidationFailed(
        f"Not a date in an accepted format ({', '.join(formats)}): {value!r}",
        field=field,
        code="INVALID_DATE",
    )


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


_BUSINESS_TYPES: dict[str, BusinessType] = {
    _key(word): kind
    for kind, words in {
        BusinessType.INDIVIDUAL: (
            "individual", "person", "private", "sole proprietor", "proprietor",
            "proprietorship", "consumer", "retail customer", "b2c",
        ),
        BusinessType.SMALL_BUSINESS: (
            "small business", "small", "sme", "msme", "smb", "small and medium",
            "small & medium enterprise", "startup", "partnership", "llp", "workshop",
        ),
        BusinessType.ENTERPRISE: (
            "enterprise", "large", "large enterprise", "corporate", "corporation",
            "company", "pvt ltd", "private limited", "public limited", "ltd", "mnc", "b2b",
        ),
        BusinessType.GOVERNMENT: (
            "government", "govt", "gov", "public sector", "psu", "ministry", "municipal",
            "government department", "public",
        ),
    }.items()
    for word in (*words, kind.value)
}  # fmt: skip

_STATUSES: dict[str, CustomerStatus] = {
    _key(word): status
    for status, words in {
        CustomerStatus.PROSPECT: ("prospect", "lead", "potential", "new lead"),
        CustomerStatus.ACTIVE: ("active", "customer", "current", "live"),
        CustomerStatus.INACTIVE: ("inactive", "dormant", "closed", "lost", "churned"),
    }.items()
    for word in (*words, status.value)
}


def parse_business_type(text: str, *, field: str = "businessType") -> BusinessType:
    kind = _BUSINESS_TYPES.get(_key(text))
    if kind is None:
        raise ValidationFailed(
            f"Not a business type: {text!r} (use Individual, Small Business, Enterprise or "
            "Government)",
            field=field,
        )
    return kind


def parse_status(text: str, *, field: str = "status") -> CustomerStatus:
    status = _STATUSES.get(_key(text))
    if status is None:
        raise ValidationFailed(
            f"Not a customer status: {text!r} (use Prospect, Active or Inactive)", field=field
        )
    return status


def parse_list(text: str) -> list[str]:
    """Tags separated by ';', ',' or '|'."""
    return [part.strip() for part in re.split(r"[;,|]", text) if part.strip()]


_COUNTRY_NAMES = {"india": "IN", "bharat": "IN", "ind": "IN"}


def parse_country(text: str) -> str:
    return _COUNTRY_NAMES.get(_key(text), text)

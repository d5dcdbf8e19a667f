"""Normalisation and validation of customer contact data: plain functions, no database.

The same rules serve the API and the spreadsheet importer, so a value accepted by one
is accepted by the other, spelled the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from resolvers.errors import ValidationFailed
from resolvers.india import canonical_state

DEFAULT_PHONE_REGION = "IN"
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
_TAX_ID = re.compile(r"^[A-Z0-9]{5,32}$")
_TAG = re.compile(r"[^a-z0-9]+")
# RFC 5322 dot-atom: what email-validator accepts unquoted and returns unchanged.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_MAX_LOCAL = 64
# An Indian number with "+91" or no prefix at all, digits in groups: parsed by hand.
_PLAIN_INDIAN = re.compile(r"(?:\+91[ -]?)?([6-9][0-9](?:[ -]?[0-9]){8})")
_SEPARATORS = str.maketrans("", "", " -")
_MAX_ADDRESS = 254


@lru_cache(maxsize=8192)
def _checked_domain(domain: str) -> str:
    """A domain as email-validator normalises it; raises as it would. Domains repeat a lot
    in a customer list, and checking one is most of the cost of checking an address."""
    return validate_email(f"a@{domain}", check_deliverability=False).domain


def normalise_email(value: str | None, *, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        local, at, domain = text.rpartition("@")
        if at and len(local) <= _MAX_LOCAL and _PLAIN_LOCAL.fullmatch(local) and domain.isascii():
            # A plain ASCII local part is taken as it is by email-validator too, so only
            # the domain needs its checks (cached); anything else takes the full path.
            address = f"{local}@{_checked_domain(domain)}"
            if len(address) <= _MAX_ADDRESS:
                return address.lower()
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed(f"Not a valid email address: {exc}", field=field) from exc
    return result.normalized.lower()


def normalise_phone(value: str | None, *, field: str = "phone") -> str | None:
    """E.164, reading numbers without a country code as Indian."""
    if value is None or not value.strip():
        return None
    plain = _PLAIN_INDIAN.fullmatch(value.strip())
    if plain is not None:
        # "+91 98200 12345" or "9820012345": what parse() would make of it, without the
        # parsing (half the cost of validating an imported row); validity is still
        # decided by the library's own metadata.
        national = plain.group(1).translate(_SEPARATORS)
        if len(national) == 10:
            number = phonenumbers.PhoneNumber(country_code=91, national_number=int(national))
            if not phonenumbers.is_valid_number(number):
                raise ValidationFailed(f"Not a valid phone number: {value!r}", field=field)
            return f"+91{national}"
    try:
        number = phonenumbers.parse(value, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed(f"Not a phone number: {value!r}", field=field) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed(f"Not a valid phone number: {value!r}", field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_tax_id(value: str | None, *, field: str = "taxId") -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = re.sub(r"[\s\-./]", "", value).upper()
    if not _TAX_ID.match(cleaned):
        raise ValidationFailed(
            "A tax id has 5 to 32 letters and digits (GSTIN, PAN, …)", field=field
        )
    return cleaned


def normalise_name(value: str | None, *, field: str = "name", max_length: int = 200) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise ValidationFailed("A name is required", field=field, code="REQUIRED")
    if len(cleaned) > max_length:
        raise ValidationFailed(f"At most {max_length} characters", field=field)
    return cleaned


def normalise_optional_text(value: str | None, *, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    if len(cleaned) > max_length:
        raise ValidationFailed(f"At most {max_length} characters", field=field)
    return cleaned or None


def normalise_state(value: str | None, *, country: str, field: str = "address.state") -> str | None:
    """Indian states are spelled one way; other countries' regions are kept as written."""
    if value is None or not value.strip():
        return None
    if country == "IN":
        state = canonical_state(value)
        if state is None:
            raise ValidationFailed(f"Not an Indian state or territory: {value!r}", field=field)
        return state
    return " ".join(value.split())


def normalise_country(value: str | None, *, field: str = "address.country") -> str:
    if value is None or not value.strip():
        return "IN"
    cleaned = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", cleaned):
        raise ValidationFailed("A country is a two-letter ISO code such as IN", field=field)
    return cleaned


def normalise_tag(raw: str) -> str:
    """One tag as stored (lower-case, hyphenated); empty if nothing is left of it."""
    return _TAG.sub("-", raw.lower()).strip("-")


def normalise_tags(values: list[str] | None, *, field: str = "tags") -> list[str]:
    """Lower-case, hyphenated, deduplicated, in first-seen order."""
    tags: list[str] = []
    for raw in values or []:
        tag = normalise_tag(raw)
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationFailed(f"A tag has at most {MAX_TAG_LENGTH} characters", field=field)
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(f"At most {MAX_TAGS} tags", field=field)
    return tags

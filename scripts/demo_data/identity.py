"""Identifiers that have to look real and fit the schema: GSTINs, e-mail addresses.

``customers.tax_id`` and ``customers.email`` are unique columns and the API keeps e-mail in
lower case, so both are built from the customer's number; a GSTIN also carries a valid
check character, so it survives anyone who checks it.
"""

from __future__ import annotations

from scripts.demo_data.vocabulary import BUSINESS_MAILBOXES, BUSINESS_TLDS

PAN_SPACE = 26**3 * 10_000  # three letters and four digits of a PAN
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin(state_code: str, core: int, entity: str, name: str, pick: int) -> str:
    """A GSTIN with a valid check character, unique per ``core``.

    Layout: state code, PAN (three letters, holder type, initial, four digits, letter),
    entity number, 'Z', check character.
    """
    letters, digits = divmod(core, 10_000)
    a, rest = divmod(letters, 676)
    b, c = divmod(rest, 26)
    initial = next((ch for ch in name.upper() if ch in _LETTERS), "X")
    pan = (
        f"{_LETTERS[a]}{_LETTERS[b]}{_LETTERS[c]}{entity}{initial}{digits:04d}{_LETTERS[pick % 26]}"
    )
    body = f"{state_code}{pan}{1 + pick % 3}Z"
    total = 0
    for position, ch in enumerate(body):
        product = _ALNUM.index(ch) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return body + _ALNUM[(36 - total % 36) % 36]


def slug(value: str, keep: str = "") -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum() or ch in keep)


def business_email(name: str, number: int, picks: list[int]) -> str:
    words = [slug(w) for w in name.split()]
    domain = "".join(w for w in words[:2] if w) or "company"
    mailbox = BUSINESS_MAILBOXES[picks[5] % len(BUSINESS_MAILBOXES)]
    return f"{mailbox}.{number}@{domain}.{BUSINESS_TLDS[picks[4] % 3]}"

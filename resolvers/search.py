"""What customer text search matches against: one lower-cased, normalised string."""

from __future__ import annotations


def customer_search_text(
    *,
    name: str,
    code: str,
    email: str | None,
    phone: str | None,
    tax_id: str | None,
) -> str:
    parts = [name, code, email, phone, tax_id]
    # The phone is also indexed without its "+" and country code spacing, so "98200" finds it.
    if phone:
        parts.append(phone.lstrip("+"))
    # (Lower-cased once, joined: an import computes 100,000 of these in a batch loop.)
    return " ".join([p.strip() for p in parts if p]).lower()[:700]


def normalise_query(query: str) -> str:
    return " ".join(query.lower().split())


LIKE_ESCAPE = "\\"


def contains_pattern(word: str) -> str:
    """A LIKE pattern matching ``word`` anywhere, its ``%`` and ``_`` taken literally
    (use with ``escape=LIKE_ESCAPE``)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

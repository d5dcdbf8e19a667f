"""Formula neutralisation for CSV text cells, and its exact inverse for the importer.

A spreadsheet executes a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some read
a leading tab, carriage return or line feed the same way). CSV has no cell types, so an
exported text cell that starts with one of them is prefixed with an apostrophe, which
spreadsheets show as text. To make the mapping reversible, a cell that already starts
with apostrophes followed by such a character gets one more apostrophe; the importer
removes exactly one, so ``export → import`` gives back the original text, always.
"""

from __future__ import annotations

DANGEROUS_LEADS = frozenset("=+-@\t\r\n")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    rest = text.lstrip(QUOTE)
    return bool(rest) and rest[0] in DANGEROUS_LEADS


def neutralise(text: str) -> str:
    """The text as a CSV cell no spreadsheet executes."""
    return QUOTE + text if _needs_quote(text) else text


def unneutralise(text: str) -> str:
    """The inverse of :func:`neutralise`: the text before it was neutralised."""
    if text.startswith(QUOTE) and _needs_quote(text):
        return text[1:]
    return text

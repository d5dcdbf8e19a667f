"""Text no database should see: NUL characters.

PostgreSQL refuses NUL in text outright, so a NUL that reached a query would surface as an
unexpected error. We refuse it at the door instead: in JSON request bodies and variables
(``has_nul``, used by the HTTP view) and in string literals of the document (a validation
rule).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule

NUL_MESSAGE = "Text may not contain NUL characters (\\u0000)"


def has_nul(value: Any, depth: int = 0) -> bool:
    if depth > 64:
        return False
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k, depth + 1) or has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v, depth + 1) for v in value)
    return False


class NoNulInStrings(ValidationRule):
    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_MESSAGE, node))

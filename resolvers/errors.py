"""Expected failures of the domain, turned into payload ``errors`` by the API layer.

DomainError            a rule of the domain refused the request (field, message, code)
├── ValidationFailed   the input is malformed (code VALIDATION_ERROR unless given)
├── NotFound           a referenced record does not exist (code NOT_FOUND)
├── Conflict           a unique value is taken or a version is stale
└── NotAllowed         the acting user may not do this to this record (FORBIDDEN)
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request."""

    code = "INVALID"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class ValidationFailed(DomainError):
    """The input is malformed."""

    code = "VALIDATION_ERROR"


class NotFound(DomainError):
    """A referenced record does not exist (or is not visible to the caller)."""

    code = "NOT_FOUND"


class Conflict(DomainError):
    """A unique value is already taken, or the record changed since it was read."""

    code = "CONFLICT"


class NotAllowed(DomainError):
    """The acting user is not allowed to do this to this particular record."""

    code = "FORBIDDEN"


class DomainErrors(DomainError):
    """Several independent input problems reported together."""

    def __init__(self, errors: list[DomainError]):
        super().__init__("; ".join(e.message for e in errors), code=errors[0].code)
        self.errors = errors

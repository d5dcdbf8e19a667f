"""How failures reach the client.

* expected failures of a mutation → payload ``errors [{field message code}]``;
* not signed in / not allowed → top-level errors with ``extensions.code``
  ``UNAUTHENTICATED`` / ``FORBIDDEN``; bad query arguments → ``BAD_USER_INPUT``;
* anything unexpected → masked as ``INTERNAL_SERVER_ERROR`` with the request id, and
  logged in full with that id.
"""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import DomainError, DomainErrors

logger = logging.getLogger("crm.errors")


@strawberry.type(description="A validation or business-rule failure of a mutation.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, dotted.")
    message: str = strawberry.field(description="What is wrong, for a person to read.")
    code: str = strawberry.field(description="A stable machine-readable code.")


def user_errors(exc: DomainError) -> list[UserError]:
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [UserError(field=e.field, message=e.message, code=e.code) for e in errors]


class Unauthenticated(GraphQLError):
    def __init__(self) -> None:
        super().__init__("Sign in first", extensions={"code": "UNAUTHENTICATED"})


class Forbidden(GraphQLError):
    def __init__(self, message: str = "You are not allowed to do this") -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN"})


class BadUserInput(GraphQLError):
    def __init__(self, exc: DomainError) -> None:
        super().__init__(
            exc.message,
            extensions={"code": "BAD_USER_INPUT", "field": exc.field, "reason": exc.code},
        )


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised while resolving that are not one of ours: bugs, outages."""
    original = error.original_error
    return (
        error.path is not None and original is not None and not isinstance(original, GraphQLError)
    )


class MaskUnexpectedErrors(MaskErrors):
    """Mask only unexpected exceptions, keeping a request id the logs can be searched for."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Internal server error")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked


def log_unexpected(errors: list[GraphQLError], context: Any) -> None:
    request_id = getattr(context, "request_id", None)
    for error in errors:
        if is_unexpected(error):
            logger.error(
                "unexpected error in %s",
                ".".join(str(p) for p in error.path or ()),
                exc_info=error.original_error,
                extra={"request_id": request_id},
            )

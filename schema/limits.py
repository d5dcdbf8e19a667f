"""Limits on what one GraphQL document may ask for, checked before it is validated or run.

Each refusal is a top-level error with ``data: null`` and a stable ``extensions.code``:
``TOO_MANY_TOKENS`` (while parsing, so a huge document is never fully parsed),
``QUERY_TOO_DEEP``, ``TOO_MANY_ALIASES``, ``QUERY_TOO_COSTLY`` and ``TOO_MANY_MUTATIONS``
(measured by ``schema.query_cost`` against the schema, before validation). The computed
cost is reported in every response as ``extensions.cost {requested limit}``.

With the explorer switched off (production), introspection is refused and "Did you mean …"
suggestions are removed from error messages, so the schema cannot be mapped from outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLError, ValidationRule, parse
from strawberry.extensions import SchemaExtension

from schema.query_cost import DocumentSize, measure_document

# graphql-core's message when max_lexical_tokens or max_comments stops the parser.
_TOKEN_LIMIT_MESSAGE = "Document contains more than"
_SUGGESTION = re.compile(r"\s*Did you mean .*\?$", re.DOTALL)


@dataclass(frozen=True)
class ApiLimits:
    """The limits one deployment applies (built from settings by ``app.request_limits``)."""

    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 3000
    max_cost: int = 50_000
    list_cost_factor: int = 10
    max_mutations: int = 10
    page_size_max: int = 100
    explorer_enabled: bool = True
    request_timeout_seconds: float = 30.0
    max_batch_operations: int = 0


DEFAULT_LIMITS = ApiLimits()


def limit_error(code: str, message: str, **details: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **details})


def limits_of(context: Any) -> ApiLimits:
    services = getattr(context, "services", None)
    return getattr(services, "limits", None) or DEFAULT_LIMITS


def size_errors(size: DocumentSize, limits: ApiLimits) -> list[GraphQLError]:
    """One error per limit the document goes over."""
    errors = []
    if size.depth > limits.max_depth:
        errors.append(
            limit_error(
                "QUERY_TOO_DEEP",
                f"The query is nested {size.depth} fields deep; the limit is {limits.max_depth}",
                depth=size.depth,
                limit=limits.max_depth,
            )
        )
    if size.aliases > limits.max_aliases:
        errors.append(
            limit_error(
                "TOO_MANY_ALIASES",
                f"The document uses {size.aliases} aliases; the limit is {limits.max_aliases}",
                aliases=size.aliases,
                limit=limits.max_aliases,
            )
        )
    if size.cost > limits.max_cost:
        errors.append(
            limit_error(
                "QUERY_TOO_COSTLY",
                f"The query costs {size.cost}; the limit is {limits.max_cost}. Ask for smaller "
                "pages (first/last) or fewer nested lists",
                cost=size.cost,
                limit=limits.max_cost,
            )
        )
    if size.mutations > limits.max_mutations:
        errors.append(
            limit_error(
                "TOO_MANY_MUTATIONS",
                f"The document asks for {size.mutations} mutations; at most "
                f"{limits.max_mutations} are allowed in one document",
                mutations=size.mutations,
                limit=limits.max_mutations,
            )
        )
    return errors


class NoIntrospection(ValidationRule):
    """``__schema`` and ``__type`` are refused; ``__typename`` stays (clients need it)."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(
                GraphQLError(
                    "Introspection is switched off on this server",
                    node,
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )


def without_suggestions(errors: list[GraphQLError] | None) -> None:
    for error in errors or ():
        error.message = _SUGGESTION.sub("", error.message)


class RequestLimits(SchemaExtension):
    """Applies the context's ``ApiLimits``; list it first among the schema's extensions."""

    def __init__(self) -> None:
        self.size: DocumentSize | None = None

    @property
    def limits(self) -> ApiLimits:
        return limits_of(self.execution_context.context)

    def on_operation(self) -> Iterator[None]:
        yield
        if not self.limits.explorer_enabled:
            context = self.execution_context
            without_suggestions(context.pre_execution_errors)
            without_suggestions(getattr(context.result, "errors", None))

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            limit = self.limits.max_tokens
            try:
                context.graphql_document = parse(
                    context.query,
                    **{**context.parse_options, "max_lexical_tokens": limit, "max_comments": limit},
                )
            except GraphQLError as error:
                if _TOKEN_LIMIT_MESSAGE in error.message:
                    raise limit_error(
                        "TOO_MANY_TOKENS",
                        f"The document has more than {limit} tokens or comments, the most "
                        "one document may have",
                        limit=limit,
                    ) from None
                # Any other syntax error: Strawberry parses again and reports it as usual.
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        limits = self.limits
        if context.graphql_document is not None and context.pre_execution_errors is None:
            self.size = measure_document(
                context.schema._schema,
                context.graphql_document,
                context.variables,
                page_size_max=limits.page_size_max,
                list_factor=limits.list_cost_factor,
            )
            if errors := size_errors(self.size, limits):
                context.pre_execution_errors = errors  # refused before validation runs
        if not limits.explorer_enabled:
            context.validation_rules = (*context.validation_rules, NoIntrospection)
        yield

    def get_results(self) -> dict[str, Any]:
        if self.size is None:
            return {}
        return {"cost": {"requested": self.size.cost, "limit": self.limits.max_cost}}

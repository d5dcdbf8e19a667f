"""Recording every mutation in the audit log, without any mutation having to remember to.

``AuditMutations`` is a schema extension: it wraps the resolution of every root field of
the Mutation type — the permission checks included — so a new mutation is covered the
moment it is added, and a refused call is recorded as well as a successful one. The entry
is written in its own transaction after the mutation's unit of work has committed or
rolled back, so a refused or failed call still leaves its trace.

Outcomes: SUCCEEDED; REFUSED when not signed in or not allowed (a top-level
UNAUTHENTICATED / FORBIDDEN, or a payload error with code FORBIDDEN from a row-level
rule); FAILED when the payload carries errors or the arguments were bad; ERROR for an
unexpected exception. Target ids are the ids the call named (arguments ``id``, ``…Id``,
``…Ids`` at any depth of its input) and those of the objects its payload returned; no
other argument value (passwords, secrets, notes) is ever recorded.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Iterator
from inspect import isawaitable
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from models.audit import AuditOutcome
from resolvers import audit as audit_domain
from resolvers.audit import AuditRecord

logger = logging.getLogger("crm.audit")
REFUSAL_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN"})
MAX_WALK = 500  # values looked at per call; a huge input list records its first ids only


def _is_id_name(name: str) -> bool:
    return name == "id" or name.endswith(("Id", "Ids", "_id", "_ids"))


def _is_plain_id(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def input_ids(arguments: Any) -> Iterator[str]:
    """Ids named anywhere in the raw GraphQL arguments (camelCase names)."""
    stack: list[tuple[str | None, Any]] = [(None, arguments)]
    looked = 0
    while stack and looked < MAX_WALK:
        name, value = stack.pop(0)
        looked += 1
        if isinstance(value, dict):
            stack.extend(value.items())
        elif isinstance(value, list | tuple):
            stack.extend((name, item) for item in value)
        elif name is not None and _is_id_name(name) and _is_plain_id(value):
            yield str(value)


def payload_ids(payload: Any) -> Iterator[str]:
    """Ids of the objects a payload carries (one level deep) and its ``…_id`` fields."""
    if payload is None or not dataclasses.is_dataclass(payload):
        return
    for name, value in vars(payload).items():
        values = value if isinstance(value, list) else [value]
        for item in values[:MAX_WALK]:
            if _is_id_name(name) and _is_plain_id(item):
                yield str(item)
            elif dataclasses.is_dataclass(item) and _is_plain_id(getattr(item, "id", None)):
                yield str(item.id)


def payload_error_codes(payload: Any) -> list[str]:
    errors = getattr(payload, "errors", None)
    if not isinstance(errors, list):
        return []
    return [str(code) for code in (getattr(e, "code", None) for e in errors) if code]


def exception_outcome(exc: BaseException) -> tuple[AuditOutcome, list[str]]:
    """Errors we raise on purpose are GraphQL errors with a code; anything else is a bug."""
    if isinstance(exc, GraphQLError):
        extensions = exc.extensions or {}
        code = str(extensions.get("code") or "GRAPHQL_ERROR")
        outcome = AuditOutcome.REFUSED if code in REFUSAL_CODES else AuditOutcome.FAILED
        reason = extensions.get("reason")
        return outcome, [code] + ([str(reason)] if reason else [])
    if isinstance(exc, asyncio.CancelledError):
        return AuditOutcome.ERROR, ["CANCELLED"]
    return AuditOutcome.ERROR, ["INTERNAL_SERVER_ERROR"]


def payload_outcome(payload: Any) -> tuple[AuditOutcome, list[str]]:
    codes = payload_error_codes(payload)
    if not codes:
        return AuditOutcome.SUCCEEDED, []
    if REFUSAL_CODES & set(codes):
        return AuditOutcome.REFUSED, codes
    return AuditOutcome.FAILED, codes


class AuditMutations(SchemaExtension):
    """Appends an audit entry for every call of a Mutation root field."""

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if info.parent_type is not info.schema.mutation_type:
            return _next(root, info, *args, **kwargs)
        return self._audited(_next, root, info, *args, **kwargs)

    async def _audited(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        context = info.context
        actor = getattr(context, "actor", None)
        targets = list(input_ids(kwargs))

        def record(outcome: AuditOutcome, codes: list[str], payload: Any = None) -> AuditRecord:
            return AuditRecord(
                mutation=info.field_name,
                outcome=outcome,
                actor_id=actor.id if actor else None,
                api_key_id=actor.api_key_id if actor else None,
                operation_name=info.operation.name.value if info.operation.name else None,
                target_ids=[*targets, *payload_ids(payload)],
                error_codes=codes,
                client_address=getattr(context, "client_address", None),
                request_id=getattr(context, "request_id", None),
            )

        try:
            result = _next(root, info, *args, **kwargs)
            if isawaitable(result):
                result = await result
        except BaseException as exc:
            if isinstance(exc, Exception | asyncio.CancelledError):
                # shielded: a cancelled request still leaves its entry
                await asyncio.shield(_append(context, record(*exception_outcome(exc))))
            raise
        await _append(context, record(*payload_outcome(result), payload=result))
        return result


async def _append(context: Any, record: AuditRecord) -> None:
    """Write the entry in a transaction of its own. If that fails the mutation's answer
    stands (its work is already committed); the entry goes to the error log instead."""
    try:
        async with context.db.write_session() as session:
            await audit_domain.append_entry(session, record)
            await session.commit()
    except Exception:
        logger.exception("could not write an audit entry", extra={"audit": repr(record)})

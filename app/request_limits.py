"""Request-level limits of the HTTP API: body size, batching, time.

* A body larger than ``CRM_MAX_REQUEST_BODY_BYTES`` gets ``413 PAYLOAD_TOO_LARGE`` — from
  ``Content-Length`` before anything is read, or as soon as a streamed body passes the limit.
  The limit sits above ``CRM_MAX_UPLOAD_BYTES`` so that an upload just over its own limit
  reaches the mutation and gets the upload's clearer ``TOO_LARGE`` payload error.
* A batched request (a JSON array of operations) gets ``400 BATCHING_DISABLED`` unless
  ``CRM_GRAPHQL_BATCH_MAX_OPERATIONS`` allows it, and ``400 TOO_MANY_OPERATIONS`` beyond it.
* An operation still running after ``CRM_REQUEST_TIMEOUT_SECONDS`` is cancelled and answered
  with a top-level ``REQUEST_TIMEOUT`` error (PostgreSQL also stops any statement running
  longer than ``CRM_DATABASE_STATEMENT_TIMEOUT_SECONDS``: see ``app.db``).

Refusals are GraphQL-shaped bodies ``{"errors": [{"message", "extensions": {"code"}}]}``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from typing import TypeVar

from graphql import GraphQLError
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.types import ExecutionResult

from app.settings import Settings
from schema.limits import ApiLimits

T = TypeVar("T")
logger = logging.getLogger("crm.limits")


def api_limits(settings: Settings) -> ApiLimits:
    return ApiLimits(
        max_depth=settings.query_max_depth,
        max_aliases=settings.query_max_aliases,
        max_tokens=settings.query_max_tokens,
        max_cost=settings.query_max_cost,
        list_cost_factor=settings.query_list_cost_factor,
        max_mutations=settings.query_max_mutations,
        page_size_max=settings.page_size_max,
        explorer_enabled=settings.explorer_enabled,
        request_timeout_seconds=settings.request_timeout_seconds,
        max_batch_operations=settings.graphql_batch_max_operations,
    )


class RequestRefused(Exception):
    """A request refused as a whole, answered by ``RequestLimitsMiddleware``."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


async def send_refusal(send: Send, refusal: RequestRefused) -> None:
    body = json.dumps(
        {"errors": [{"message": refusal.message, "extensions": {"code": refusal.code}}]}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in refusal.headers.items()),
    ]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def body_too_large(limit: int) -> RequestRefused:
    return RequestRefused(
        413, "PAYLOAD_TOO_LARGE", f"The request body is larger than the limit of {limit} bytes"
    )


def check_batch(operations: int, limits: ApiLimits) -> None:
    """Raises unless a batch of this many operations is allowed."""
    allowed = limits.max_batch_operations
    if allowed == 0:
        raise RequestRefused(
            400, "BATCHING_DISABLED", "Batched requests are switched off: send one operation"
        )
    if operations > allowed:
        raise RequestRefused(
            400,
            "TOO_MANY_OPERATIONS",
            f"The batch has {operations} operations; the limit is {allowed}",
        )


async def within_time_limit(work: Awaitable[T], seconds: float) -> T | ExecutionResult:
    """The result of ``work``, or a ``REQUEST_TIMEOUT`` result once it has been cancelled."""
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError:
        logger.warning("operation stopped after the time limit of %gs", seconds)
        error = GraphQLError(
            f"The request took longer than the limit of {seconds:g} seconds and was stopped",
            extensions={"code": "REQUEST_TIMEOUT", "limitSeconds": seconds},
        )
        return ExecutionResult(data=None, errors=[error])


class RequestLimitsMiddleware:
    """Caps the body size and answers ``RequestRefused`` raised anywhere inside."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await send_refusal(send, body_too_large(limit))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise body_too_large(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except RequestRefused as refusal:
            if started:
                raise
            await send_refusal(send, refusal)

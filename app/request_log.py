"""One structured log line per HTTP request, and the request id every response carries.

The line (logger ``crm.http``; JSON once ``app.logging.configure_logging`` is in place)
holds ``request_id``, ``method``, ``path``, ``status``, ``duration_ms``, ``user_id`` (null
when not signed in), ``operation_names`` (the GraphQL operations the request ran; null for
an anonymous one) and ``statements``: the SQL statements the request sent. The request id
is the one in the ``X-Request-ID`` response header and in a masked error's
``extensions.requestId``, and the ``crm.errors`` line of an unexpected error carries it too.

Statements are counted by a ``before_cursor_execute`` listener on the engine that adds to
the record of the request in whose context it runs (a context variable). The same engine
serves job workers, the scheduler and event listeners; they run outside any request's
context, so their statements are not counted.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("crm.http")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})


@dataclass
class RequestRecord:
    """What one request did, filled in while it runs and logged when it ends."""

    request_id: str
    user_id: int | None = None
    operation_names: list[str | None] = field(default_factory=list)
    statements: int = 0


_current: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar(
    "crm_request_record", default=None
)


def request_record(scope: Scope) -> RequestRecord | None:
    """The record of the request this ASGI scope belongs to (set by the middleware)."""
    return scope.get("state", {}).get("request_record")


def count_request_statements(engine: AsyncEngine) -> None:
    """Count the statements ``engine`` sends on behalf of the current request, if any."""

    def before_cursor_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        record = _current.get()
        if record is None:
            return
        words = statement.split(None, 1)
        if words and words[0].upper() not in _TRANSACTION_CONTROL:
            record.statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane incoming ``X-Request-ID``) and logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        record = RequestRecord(request_id=request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["request_record"] = record
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        # WebSocket connections live long and are not counted: their statements are the
        # subscriptions', logged (if at all) by what they do.
        token = _current.set(record) if scope["type"] == "http" else None
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            status = status or 500  # answered by Starlette's error middleware, outside this
            raise
        finally:
            if token is not None:
                _current.reset(token)
                self._log(scope, record, status, time.perf_counter() - started)

    @staticmethod
    def _log(scope: Scope, record: RequestRecord, status: int, seconds: float) -> None:
        logger.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s",
            scope.get("method"),
            scope.get("path"),
            status,
            extra={
                "request_id": record.request_id,
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": record.user_id,
                "operation_names": list(record.operation_names),
                "statements": record.statements,
            },
        )

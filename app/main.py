"""The Starlette application: ``/graphql`` (GraphiQL in a browser), ``/health``."""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from app.auth import TokenService, actor_for_token, bearer_token
from app.db import Database, create_database
from app.settings import Settings, get_settings
from resolvers.config import CreditThresholds, DomainConfig
from resolvers.users import LoginThrottle
from schema.context import Context
from schema.root import schema

logger = logging.getLogger("crm.http")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def domain_config(settings: Settings) -> DomainConfig:
    return DomainConfig(
        timezone=settings.timezone,
        credit=CreditThresholds(
            warning_percent=settings.credit_warning_percent,
            critical_percent=settings.credit_critical_percent,
        ),
        quotation_validity_days=settings.quotation_validity_days,
        payment_terms_days=settings.payment_terms_days,
        page_size_default=settings.page_size_default,
        page_size_max=settings.page_size_max,
    )


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
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http":
                logger.info(
                    "%s %s %s",
                    scope.get("method"),
                    scope.get("path"),
                    status,
                    extra={
                        "request_id": request_id,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )


class CrmGraphQL(GraphQL):
    """Strawberry's ASGI view with our per-request context."""

    def __init__(self, *, db: Database, settings: Settings, **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.db = db
        self.config = domain_config(settings)
        self.tokens = TokenService(settings.resolved_secret_key(), settings.token_ttl_seconds)
        self.login_throttle = LoginThrottle(
            free_failures=settings.login_failures_before_delay,
            max_delay=settings.login_max_delay_seconds,
        )

    async def get_context(self, request: Any, response: Any) -> Context:
        token = bearer_token(request.headers.get("authorization"))
        return Context(
            db=self.db,
            config=self.config,
            actor=await actor_for_token(self.db, self.tokens, token),
            request_id=request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex,
            issue_token=self.tokens.issue,
            login_throttle=self.login_throttle,
        )


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    db = create_database(settings)
    graphql = CrmGraphQL(db=db, settings=settings, graphql_ide="graphiql")

    async def health(_: Request) -> Response:
        try:
            async with db.read_session() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            logger.exception("health check failed")
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": db.dialect})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await db.dispose()

    app = Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "x-request-id"],
            ),
        ],
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.tokens = graphql.tokens
    return app


def __getattr__(name: str) -> Any:
    """``app.main:app`` for Uvicorn, built on first access from the environment."""
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(name)

"""The Starlette application: ``/graphql`` (GraphiQL in a browser, WebSocket subscriptions),
``/health`` and ``/downloads/…``; its lifespan runs the platform's job workers, scheduler
and event listener."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

from cross_web import HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import ConnectionRejectionError

from app.access_guard import AccessGuards, ConnectionContext
from app.auth import actor_for_token, bearer_token
from app.collector import tune_collector
from app.downloads import download_endpoint
from app.http_conformance import GraphQLOverHTTP
from app.platform import Platform, create_platform
from app.rate_limits import RateLimitMiddleware, TokenBuckets
from app.request_limits import RequestLimitsMiddleware, api_limits, check_batch, within_time_limit
from app.request_log import RequestIdMiddleware, count_request_statements, request_record
from app.security_headers import SecurityHeadersMiddleware
from app.settings import Settings, get_settings
from resolvers.actor import Actor
from resolvers.users import LoginThrottle
from schema.context import Context, Services
from schema.input_safety import NUL_MESSAGE, has_nul
from schema.root import schema

logger = logging.getLogger("crm.http")
# Headers a browser cannot send cross-site without a CORS preflight (which we refuse for
# origins not configured): a multipart POST without one of them may be a forged form post.
CSRF_HEADERS = ("x-csrf-protection", "apollo-require-preflight")
CSRF_MESSAGE = (
    "Multipart requests must carry an X-CSRF-Protection (or Apollo-Require-Preflight) header"
)


class CrmGraphQL(GraphQLOverHTTP):
    """Strawberry's ASGI view (GraphQL over HTTP: app.http_conformance) with our
    per-request context and WebSocket sign-in."""

    def __init__(self, *, services: Services, **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.services = services
        self.guards = AccessGuards(
            events=services.events,
            authenticate=services.authenticate,
            recheck_every=services.recheck_every,
        )

    def decode_json(self, data: str | bytes) -> object:
        """JSON bodies and variables; text with NUL characters is refused like bad JSON."""
        decoded = super().decode_json(data)
        if has_nul(decoded):
            raise json.JSONDecodeError(NUL_MESSAGE, "", 0)
        return decoded

    def _validate_batch_request(self, request_data: list[Any], protocol: Any) -> None:
        """Batches (JSON arrays) as ``CRM_GRAPHQL_BATCH_MAX_OPERATIONS`` allows: off by default."""
        check_batch(len(request_data), self.services.limits)
        if protocol != "http":
            raise HTTPException(400, "Batching is only supported for plain JSON responses")

    async def execute_operation(self, **kwargs: Any) -> Any:
        """Each operation within ``CRM_REQUEST_TIMEOUT_SECONDS``, else REQUEST_TIMEOUT."""
        work = super().execute_operation(**kwargs)
        return await within_time_limit(work, self.services.limits.request_timeout_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As Strawberry's, but closes the request afterwards: that closes the files the
        multipart parser spooled, which would otherwise leak until garbage collection."""
        if scope["type"] != "http":
            try:
                await super().__call__(scope, receive, send)
            finally:
                self.guards.stop(scope)
            return
        request = Request(scope=scope, receive=receive)
        try:
            try:
                response = await self.run(request)
            except HTTPException as exc:
                response = PlainTextResponse(exc.reason, status_code=exc.status_code)
            await response(scope, receive, send)
        finally:
            await request.close()

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """Uploads (GraphQL multipart request spec), guarded against cross-site forms."""
        if not any(request.headers.get(name) for name in CSRF_HEADERS):
            raise HTTPException(400, CSRF_MESSAGE)
        return await super().parse_multipart(request)

    async def get_context(self, request: Any, response: Any) -> Context:
        token = bearer_token(request.headers.get("authorization"))
        is_websocket = request.scope["type"] == "websocket"
        make = functools.partial(ConnectionContext, websocket=request) if is_websocket else Context
        context = make(
            services=self.services,
            actor=await self.services.authenticate(token),
            request_id=request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex,
            client_address=request.client.host if request.client else None,
        )
        record = request_record(request.scope)
        if record is not None and not is_websocket:  # back to the request log: who and what
            record.user_id = context.actor.id if context.actor else None
            context.operation_names = record.operation_names
        return context

    async def on_ws_connect(self, context: Context) -> None:
        """Sign in with ``{"Authorization": "Bearer …"}`` in ``connection_init``."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        token = bearer_token(header) if isinstance(header, str) else None
        if token is None and isinstance(params.get("token"), str):
            token = params["token"]
        actor = await self.services.authenticate(token) if token else context.actor
        if actor is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        context.actor = actor
        if isinstance(context, ConnectionContext):
            credential = token or bearer_token(context.websocket.headers.get("authorization"))
            self.guards.watch(context, credential=credential or "", actor=actor)


def build_services(platform: Platform) -> Services:
    settings = platform.settings

    async def authenticate(token: str | None) -> Actor | None:
        return await actor_for_token(platform.db, platform.tokens, token)

    return Services(
        db=platform.db,
        config=platform.config,
        issue_token=platform.tokens.issue,
        login_throttle=LoginThrottle(
            free_failures=settings.login_failures_before_delay,
            max_delay=settings.login_max_delay_seconds,
        ),
        publisher=platform.publisher,
        events=platform.hub,
        links=platform.signer,
        link_ttl=dt.timedelta(seconds=settings.download_link_ttl_seconds),
        recheck_every=settings.subscription_recheck_seconds,
        authenticate=authenticate,
        files=platform.files,
        limits=api_limits(settings),
        export_wait_seconds=settings.export_wait_seconds,
    )


def create_app(settings: Settings | None = None, *, background: bool = True) -> Starlette:
    """The application. ``background=False`` leaves job workers and the scheduler off
    (benchmarks, and tests that drive jobs by hand)."""
    settings = settings or get_settings()
    tune_collector()
    platform = create_platform(settings)
    db = platform.db
    count_request_statements(db.engine)
    graphql = CrmGraphQL(
        services=build_services(platform),
        graphql_ide="graphiql" if settings.explorer_enabled else None,
        multipart_uploads_enabled=True,
        allowed_origins=settings.cors_origins,  # cross-origin WebSocket handshakes
    )

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
        await platform.start(background=background)
        try:
            yield
        finally:
            await platform.stop()

    app = Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route(
                "/downloads/{key:path}",
                download_endpoint(platform.files, platform.signer),
                methods=["GET", "HEAD"],
            ),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(SecurityHeadersMiddleware, public_base_url=settings.public_base_url),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "x-request-id", *CSRF_HEADERS],
                expose_headers=["x-request-id"],
            ),
            Middleware(
                RateLimitMiddleware,
                users=TokenBuckets(
                    per_minute=settings.rate_limit_user_per_minute,
                    burst=settings.rate_limit_user_burst,
                ),
                addresses=TokenBuckets(
                    per_minute=settings.rate_limit_address_per_minute,
                    burst=settings.rate_limit_address_burst,
                ),
                user_id_for_token=platform.tokens.user_id,
            ),
            Middleware(RequestLimitsMiddleware, max_body_bytes=settings.request_body_limit),
        ],
        lifespan=lifespan,
    )
    app.state.platform = platform
    app.state.db = db
    app.state.settings = settings
    app.state.tokens = platform.tokens
    return app


def __getattr__(name: str) -> Any:
    """``app.main:app`` for Uvicorn, built on first access from the environment."""
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)

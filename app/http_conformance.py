"""GraphQL over HTTP: media types and status codes on top of Strawberry's ASGI view.

Strawberry answers ``application/json`` only, with 200 and ``data: null`` for GraphQL
request errors. This view follows the GraphQL-over-HTTP specification instead:

* the response media type is negotiated from ``Accept``: ``application/graphql-response+json``
  when the client prefers it, ``application/json`` for ``*/*``, a missing header and legacy
  clients, and 406 when the client accepts neither;
* with ``application/graphql-response+json`` a request error (unparseable document, failed
  validation, bad variables: errors raised before execution began) is answered with 400 and
  no ``data`` entry; with ``application/json`` it stays a 200 with ``data: null``;
* requests that are not well-formed get 400 (bad JSON, parameters of the wrong type), 415
  (a body that is neither JSON nor an enabled multipart upload) or 405 (a mutation over
  GET: GET must stay safe, so a cross-site link or image can never change anything), each
  with a GraphQL-shaped ``{"errors": [...]}`` body; a subscription over HTTP is a 400 that
  points to the WebSocket;
* GraphiQL carries its own, looser Content-Security-Policy (see ``app.security_headers``).
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from app.security_headers import graphiql_content_security_policy

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
CONTENT_TYPES = {JSON: JSON, GRAPHQL_RESPONSE: f"{GRAPHQL_RESPONSE}; charset=utf-8"}
ERROR_CODES = {
    400: "BAD_REQUEST",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}
NOT_ACCEPTABLE = f"Accept must allow {GRAPHQL_RESPONSE} or {JSON}"
UNSUPPORTED_MEDIA_TYPE = "Send the request as application/json (UTF-8) or multipart/form-data"
SUBSCRIPTIONS_OVER_WEBSOCKET = "subscribe over WebSocket (graphql-transport-ws) at /graphql"
HTTP_POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


class MethodNotAllowed(HTTPException):
    """405, with the methods that would have been allowed."""

    def __init__(self, reason: str, allow: str) -> None:
        super().__init__(405, reason)
        self.allow = allow


def _specificity(media_range: str, media_type: str) -> int:
    """How closely an Accept media range names a media type: -1 when it does not match."""
    if media_range == media_type:
        return 2
    if media_range == "application/*":
        return 1
    if media_range == "*/*":
        return 0
    return -1


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def negotiate_media_type(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header, or None when neither is acceptable.

    Each media type takes the quality of the most specific range that names it (RFC 9110).
    The higher quality wins; between equals, one named explicitly beats one reached through
    a wildcard; if both are named, ``application/graphql-response+json`` (the specification's
    preference); if both come from a wildcard, ``application/json`` (the legacy default).
    """
    if not accept or not accept.strip():
        return JSON
    matches = {JSON: (0.0, -1), GRAPHQL_RESPONSE: (0.0, -1)}
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        media_range = media_range.lower()
        for media_type, (_, best) in matches.items():
            specificity = _specificity(media_range, media_type)
            if specificity > best:
                matches[media_type] = (_quality(params), specificity)
    acceptable = {t: m for t, m in matches.items() if m[1] >= 0 and m[0] > 0}
    if not acceptable:
        return None

    def preference(media_type: str) -> tuple[float, int, bool]:
        quality, specificity = acceptable[media_type]
        tie_winner = GRAPHQL_RESPONSE if specificity == 2 else JSON
        return quality, specificity, media_type == tie_winner

    return max(acceptable, key=preference)


def is_request_error(result: ExecutionResult) -> bool:
    """Errors raised before execution began (parsing, validation, variable coercion):
    those have no path, and leave no data."""
    errors = result.errors or []
    return bool(errors) and result.data is None and all(e.path is None for e in errors)


def _media_type(request: Request) -> str:
    return getattr(request.state, "graphql_media_type", JSON)


class GraphQLOverHTTP(GraphQL):
    """Strawberry's ASGI view with GraphQL-over-HTTP media types and status codes."""

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        if self.is_websocket_request(request) or self.should_render_graphql_ide(
            self.request_adapter_class(request)
        ):
            return await super().run(request, context, root_value)
        media_type = negotiate_media_type(request.headers.get("accept"))
        if media_type is None:
            return self.error_response(HTTPException(406, NOT_ACCEPTABLE), JSON)
        request.state.graphql_media_type = media_type
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            return self.error_response(exc, media_type)

    def error_response(self, exc: HTTPException, media_type: str) -> Response:
        """A request that could not be executed, answered as a GraphQL response."""
        body = {
            "errors": [
                {
                    "message": exc.reason,
                    "extensions": {"code": ERROR_CODES.get(exc.status_code, "BAD_REQUEST")},
                }
            ]
        }
        headers = {}
        if exc.status_code == 405:
            headers["Allow"] = getattr(exc, "allow", "GET, POST")
        return Response(
            self.encode_json(body),
            status_code=exc.status_code,
            media_type=CONTENT_TYPES[media_type],
            headers=headers,
        )

    def parse_json(self, data: str | bytes) -> Any:
        """Request bodies, and GET's ``variables`` and ``extensions``, must be JSON objects
        (or arrays, which are refused later as batches); undecodable bytes are bad JSON."""
        try:
            decoded = super().parse_json(data)
        except (UnicodeDecodeError, RecursionError) as exc:
            raise HTTPException(400, "Unable to parse request body as JSON") from exc
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, "Expected a JSON object")
        return decoded

    async def parse_http_body(self, request: Any) -> Any:
        if request.method == "POST":
            content_type, params = parse_content_type(request.content_type or "")
            content_type = content_type.lower()
            charset = params.get("charset", "utf-8").lower()
            multipart = content_type == "multipart/form-data" and self.multipart_uploads_enabled
            if not multipart and (content_type != JSON or charset not in ("utf-8", "utf8")):
                raise HTTPException(415, UNSUPPORTED_MEDIA_TYPE)
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and not isinstance(data.operation_name, str | None):
            raise HTTPException(
                400,
                "The GraphQL operation's `operationName` must be a string or null, if provided.",
            )
        return data

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """As Strawberry's, but queries only over GET and never a subscription over HTTP
        (they are served over WebSocket; Strawberry would run the subscription's resolver as
        a plain field and fail with an internal error)."""
        method = request_adapter.method
        allowed = {OperationType.QUERY} if method == "GET" else HTTP_POST_OPERATIONS
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            # An unknown or missing operationName is a GraphQL request error like any other.
            return ExecutionResult(data=None, errors=[GraphQLError(exc.as_http_error_reason())])
        except InvalidOperationTypeError as exc:
            reason = exc.as_http_error_reason(method)
            if exc.operation_type is OperationType.SUBSCRIPTION:
                raise HTTPException(400, f"{reason}: {SUBSCRIPTIONS_OVER_WEBSOCKET}") from exc
            raise MethodNotAllowed(f"{reason}; send them with POST", allow="POST") from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "No GraphQL query found in the request") from exc

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        sub_response: Response,
    ) -> Any:
        result = await super().execute_operation(
            request=request,
            request_adapter=request_adapter,
            request_data=request_data,
            context=context,
            root_value=root_value,
            sub_response=sub_response,
        )
        if (
            isinstance(result, ExecutionResult)
            and is_request_error(result)
            and _media_type(request) == GRAPHQL_RESPONSE
            and not sub_response.status_code
        ):
            # Decided here, once: process_result drops `data` only from what is answered 400.
            request.state.graphql_request_error = True
            sub_response.status_code = 400
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if getattr(request.state, "graphql_request_error", False):
            response.pop("data", None)
        return response

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = _media_type(request)  # carried to create_response
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = CONTENT_TYPES[sub_response.media_type or JSON]
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        response = await super().render_graphql_ide(request)
        response.headers["content-security-policy"] = graphiql_content_security_policy(
            self.graphql_ide_html, request.url.netloc
        )
        return response

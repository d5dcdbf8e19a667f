"""Security headers on every HTTP response: GraphQL, downloads, health, errors and 404s.

The defaults suit an API: nothing may be framed, sniffed, referred or run. A response
that sets its own header keeps it (GraphiQL sets a looser Content-Security-Policy, since it
runs scripts and styles from the CDN its page names; downloads set their own caching).
Strict-Transport-Security is sent only when the public base URL is https, so a plain-HTTP
development server never pins a browser to HTTPS.

There is deliberately no Cross-Origin-Resource-Policy: a frontend on another origin may
show attachments with ``<img src=…/downloads/…>``, which that header would block.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
)
HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_ASSET_URL = re.compile(r"""(?:src|href)\s*=\s*["'](https://[^/"']+)/""")
_HOST = re.compile(r"^[A-Za-z0-9.\[\]:-]{1,255}$")


def security_headers(*, https: bool) -> dict[str, str]:
    headers = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeadersMiddleware:
    """Adds the security headers a response does not set itself. If the application fails
    before answering, it answers 500 (with the headers) and re-raises, so the failure is
    still logged by the server."""

    def __init__(self, app: ASGIApp, *, public_base_url: str) -> None:
        self.app = app
        https = urlsplit(public_base_url).scheme == "https"
        self.headers = [(k.lower(), v) for k, v in security_headers(https=https).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                response = PlainTextResponse("Internal Server Error", status_code=500)
                await response(scope, receive, send_with_headers)
            raise


@lru_cache(maxsize=4)
def _graphiql_sources(html: str) -> tuple[str, str]:
    """The origins GraphiQL's page loads assets from, and the hashes of its inline scripts."""
    origins = " ".join(sorted(set(_ASSET_URL.findall(html))))
    digests = (hashlib.sha256(script.encode()).digest() for script in _INLINE_SCRIPT.findall(html))
    hashes = " ".join(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)
    return origins, hashes


def graphiql_content_security_policy(html: str, host: str) -> str:
    """What the GraphiQL page needs: its CDN's scripts and styles, its own inline script
    (by hash), inline styles, data: icons and fonts, and fetch and WebSocket to this host."""
    origins, hashes = _graphiql_sources(html)
    websocket = f" ws://{host} wss://{host}" if _HOST.match(host) else ""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {origins} {hashes}",
            f"style-src {origins} 'unsafe-inline'",
            f"img-src 'self' data: {origins}",
            f"font-src {origins} data:",
            f"connect-src 'self'{websocket}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )

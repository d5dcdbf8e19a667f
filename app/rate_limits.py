"""Per-user and per-address rate limits on ``/graphql``: in-process token buckets.

Every HTTP request to ``/graphql`` takes a token from its client address's bucket and, when
it carries a credential, from that user's (or API key's) bucket. A bucket holds up to ``burst``
tokens and refills at ``per_minute / 60`` a second; an empty bucket answers
``429 RATE_LIMITED`` with ``Retry-After``. The user is read from the token's signature alone
(no database), so a flood is refused before it costs a query.

Failed sign-ins are throttled separately and more tightly per email (``LoginThrottle``).
The buckets live in one process: with several workers each has its own, so the effective
limit is the configured one times the number of processes. Behind a reverse proxy, run
Uvicorn with ``--proxy-headers`` so the client address is the caller's, not the proxy's.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Hashable

from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth import bearer_token
from app.request_limits import RequestRefused, send_refusal

RATE_LIMITED_PATHS = frozenset({"/graphql"})


class TokenBuckets:
    """One bucket per key; ``take`` answers 0 when allowed, else seconds until a token."""

    def __init__(
        self,
        *,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.rate = per_minute / 60
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[Hashable, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key: Hashable) -> float:
        now = self.clock()
        tokens, updated = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
        allowed = tokens >= 1
        # Re-inserted last: the dict stays in least-recently-used order, and past max_keys
        # the least recently used bucket is dropped (memory stays bounded under a flood of
        # addresses; a dropped bucket starts full again).
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)
        if len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]
        return 0.0 if allowed else (1 - tokens) / self.rate


def rate_limited(wait_seconds: float, who: str) -> RequestRefused:
    retry_after = max(1, math.ceil(wait_seconds))
    return RequestRefused(
        429,
        "RATE_LIMITED",
        f"Too many requests from this {who}; try again in {retry_after} seconds",
        headers={"Retry-After": str(retry_after)},
    )


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        users: TokenBuckets,
        addresses: TokenBuckets,
        user_id_for_token: Callable[[str], int | None],
    ) -> None:
        self.app = app
        self.users = users
        self.addresses = addresses
        self.user_id_for_token = user_id_for_token

    def credential_key(self, token: str) -> Hashable:
        """The user a signed token names; any other credential (an API key) by its hash."""
        user_id = self.user_id_for_token(token)
        if user_id is not None:
            return ("user", user_id)
        return ("credential", hashlib.sha256(token.encode()).hexdigest())

    def refusal(self, scope: Scope) -> RequestRefused | None:
        if self.addresses.enabled:
            client = scope.get("client")
            wait = self.addresses.take(client[0] if client else None)
            if wait:
                return rate_limited(wait, "address")
        if self.users.enabled:
            headers = dict(scope.get("headers") or [])
            token = bearer_token(headers.get(b"authorization", b"").decode("latin-1"))
            if token and (wait := self.users.take(self.credential_key(token))):
                return rate_limited(wait, "user")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") in RATE_LIMITED_PATHS:
            refusal = self.refusal(scope)
            if refusal is not None:
                await send_refusal(send, refusal)
                return
        await self.app(scope, receive, send)

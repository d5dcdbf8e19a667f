"""Bearer tokens: signed, expiring JWTs naming a user, re-checked against the database.
API keys (``crm_…``) go in the same header and are checked in ``resolvers.api_keys``.

Every request loads the user again, so deactivating a user stops their tokens at once.
"""

from __future__ import annotations

import datetime as dt
import uuid

import jwt

from models.base import utcnow
from resolvers import api_keys
from resolvers.actor import Actor
from resolvers.users import active_user

ALGORITHM = "HS256"
AUDIENCE = "sanvi-crm"


class TokenService:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self._ttl = dt.timedelta(seconds=ttl_seconds)

    def issue(self, user_id: int, ttl: dt.timedelta | None = None) -> tuple[str, dt.datetime]:
        now = utcnow()
        expires_at = (now + (ttl or self._ttl)).replace(microsecond=0)
        claims = {
            "sub": str(user_id),
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "aud": AUDIENCE,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), expires_at

    def user_id(self, token: str) -> int | None:
        """The user a valid, unexpired token names; None for anything else."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=[ALGORITHM], audience=AUDIENCE)
            return int(claims["sub"])
        except (jwt.PyJWTError, KeyError, ValueError):
            return None


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def actor_for_api_key(db, key: str) -> Actor | None:  # type: ignore[no-untyped-def]
    """The actor an API key stands for (see ``resolvers.api_keys``), noting its use."""
    async with db.read_session() as session:
        found = await api_keys.actor_for_api_key(session, key)
    if found is None:
        return None
    actor, stale = found
    if stale and actor.api_key_id is not None:
        async with db.write_session() as session:
            await api_keys.touch_api_key(session, api_key_id=actor.api_key_id)
            await session.commit()
    return actor


async def actor_for_token(db, tokens: TokenService, token: str | None) -> Actor | None:  # type: ignore[no-untyped-def]
    """Who a bearer credential — a token or an API key — signs in; None if nobody."""
    if token is None:
        return None
    if api_keys.looks_like_api_key(token):
        return await actor_for_api_key(db, token)
    user_id = tokens.user_id(token)
    if user_id is None:
        return None
    async with db.read_session() as session:
        user = await active_user(session, user_id)
    if user is None:
        return None
    return Actor(id=user.id, role=user.role, name=user.name, email=user.email)

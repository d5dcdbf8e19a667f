"""API keys: created and revoked by an ADMIN, presented like a bearer token.

A key looks like ``crm_<prefix>_<secret>`` and is sent as ``Authorization: Bearer <key>``
(or as the ``Authorization`` connection parameter of a WebSocket), exactly where a token
would go; the fixed ``crm_`` start tells it apart from a JWT (which starts ``eyJ``) and
lets secret scanners recognise a leaked key. ``prefix`` (12 hex characters) finds the key;
the SHA-256 digest of the whole key is compared in constant time.

A key acts as the admin who created it — records it creates are theirs, ownership rules
apply to them — with the key's role capped at that admin's *current* role, so demoting or
deactivating the creator narrows or stops their keys at once. The audit log records both
the creator and the key. A revoked, expired or unknown key, or one whose creator is
inactive, is refused exactly like a bad token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import ApiKey, User
from models.base import utcnow
from models.enums import Role
from resolvers.access_events import announce_api_key_revoked
from resolvers.actor import Actor
from resolvers.contact_validation import normalise_name
from resolvers.errors import NotFound, ValidationFailed
from resolvers.pagination import Page, SortKey, fetch_page
from resolvers.ports import EventPublisher

KEY_START = "crm_"
PREFIX_HEX_LENGTH = 12
SECRET_BYTES = 32
MAX_KEY_LENGTH = 128
# Writing last_used_at on every request would turn each read into a write; a minute's
# precision is enough to tell a key in use from a forgotten one.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
_RANK = {Role.VIEWER: 0, Role.SALES: 1, Role.MANAGER: 2, Role.ADMIN: 3}
_KEY = SortKey(columns=[ApiKey.id], parsers=[int], descending=True)


def looks_like_api_key(credential: str) -> bool:
    return credential.startswith(KEY_START)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _split(key: str) -> tuple[str, str] | None:
    """``(lookup prefix, whole key)`` of a well-formed key, else None."""
    start = len(KEY_START)
    prefix = key[: start + PREFIX_HEX_LENGTH]
    if not start + PREFIX_HEX_LENGTH + 2 <= len(key) <= MAX_KEY_LENGTH:
        return None
    if key[len(prefix)] != "_":
        return None
    if any(c not in "0123456789abcdef" for c in prefix[start:]):
        return None
    return prefix, key


def capped_role(key_role: Role, creator_role: Role) -> Role:
    """The lower of the two roles."""
    return key_role if _RANK[key_role] <= _RANK[creator_role] else creator_role


async def create_api_key(
    session: AsyncSession,
    *,
    actor: Actor,
    name: str,
    role: Role,
    expires_at: dt.datetime | None,
) -> tuple[ApiKey, str]:
    """A new key and its secret text, which is never stored and cannot be shown again."""
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed("The expiry must be in the future", field="expiresAt")
    if _RANK[role] > _RANK[actor.role]:
        raise ValidationFailed("A key cannot have a higher role than yours", field="role")
    prefix = KEY_START + secrets.token_hex(PREFIX_HEX_LENGTH // 2)
    key = f"{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    api_key = ApiKey(
        name=normalise_name(name),
        role=role,
        prefix=prefix,
        secret_hash=_digest(key),
        created_by_id=actor.id,
        expires_at=expires_at,
    )
    session.add(api_key)
    await session.flush()
    return api_key, key


async def revoke_api_key(
    session: AsyncSession, *, actor: Actor, api_key_id: int, publisher: EventPublisher
) -> ApiKey:
    """Revoke a key (revoking it again changes nothing); live connections using it close."""
    api_key = await session.scalar(select(ApiKey).where(ApiKey.id == api_key_id))
    if api_key is None:
        raise NotFound("No API key with this id", field="id")
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        api_key.revoked_by_id = actor.id
        await session.flush()
        await announce_api_key_revoked(session, publisher, api_key_id=api_key.id)
    return api_key


_COLUMNS = (
    ApiKey.id,
    ApiKey.name,
    ApiKey.role,
    ApiKey.prefix,
    ApiKey.created_by_id,
    ApiKey.created_at,
    ApiKey.expires_at,
    ApiKey.revoked_at,
    ApiKey.last_used_at,
)


async def list_api_keys(
    session: AsyncSession, *, first: int, after: str | None, include_revoked: bool
) -> Page[Row[Any]]:
    """Keys, newest first (never their secrets)."""
    query = select(*_COLUMNS)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return await fetch_page(session, query, key=_KEY, key_names=["id"], first=first, after=after)


async def count_api_keys(session: AsyncSession, *, include_revoked: bool) -> int:
    query = select(func.count()).select_from(ApiKey)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return int(await session.scalar(query) or 0)


async def actor_for_api_key(session: AsyncSession, key: str) -> tuple[Actor, bool] | None:
    """Who a valid key acts as, and whether its ``last_used_at`` is due for an update;
    None for an unknown, malformed, revoked or expired key, or an inactive creator."""
    parts = _split(key)
    if parts is None:
        return None
    prefix, whole = parts
    row = (
        await session.execute(
            select(
                ApiKey.id,
                ApiKey.role,
                ApiKey.secret_hash,
                ApiKey.expires_at,
                ApiKey.revoked_at,
                ApiKey.last_used_at,
                User.id.label("user_id"),
                User.role.label("user_role"),
                User.name,
                User.email,
            )
            .join(User, User.id == ApiKey.created_by_id)
            .where(ApiKey.prefix == prefix, User.active.is_(True))
        )
    ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(whole)):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    actor = Actor(
        id=row.user_id,
        role=capped_role(row.role, row.user_role),
        name=row.name,
        email=row.email,
        api_key_id=row.id,
    )
    return actor, row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION


async def touch_api_key(session: AsyncSession, *, api_key_id: int) -> None:
    """Record that a key was used now (at most once per ``LAST_USED_PRECISION``)."""
    now = utcnow()
    await session.execute(
        update(ApiKey)
        .where(ApiKey.id == api_key_id)
        .where((ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at <= now - LAST_USED_PRECISION))
        .values(last_used_at=now)
    )

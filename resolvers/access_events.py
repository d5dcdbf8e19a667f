"""Announcing that someone's access ended or changed, so live connections close at once.

Tokens and API keys are re-checked on every HTTP request, so a change takes effect on the
next one by itself. A WebSocket is authenticated once, at ``connection_init``: the server
closes a connection when it hears on ``ACCESS_CHANGED_TOPIC`` that its user was deactivated
or given another role, or that its API key was revoked (and re-checks it periodically in
case an announcement was missed).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.ports import EventPublisher

ACCESS_CHANGED_TOPIC = "access-changed"


async def announce_user_access_changed(
    session: AsyncSession, publisher: EventPublisher, *, user_id: int
) -> None:
    """Delivered when ``session`` commits, never for a change that rolled back."""
    await publisher.publish(session, ACCESS_CHANGED_TOPIC, {"userId": user_id})


async def announce_api_key_revoked(
    session: AsyncSession, publisher: EventPublisher, *, api_key_id: int
) -> None:
    await publisher.publish(session, ACCESS_CHANGED_TOPIC, {"apiKeyId": api_key_id})


def concerns(message: dict[str, object], *, user_id: int, api_key_id: int | None) -> bool:
    """Whether an announcement ends the access of this user (or this key of theirs)."""
    if message.get("userId") == user_id:
        return True
    return api_key_id is not None and message.get("apiKeyId") == api_key_id

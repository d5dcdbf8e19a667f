"""The signed-in user on whose behalf a domain function acts."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Role


@dataclass(frozen=True)
class Actor:
    """A user signed in with a token, or acting through one of their API keys.

    With an API key, ``id`` is the key's creator and ``role`` the key's role capped at the
    creator's current role; ``api_key_id`` names the key (the audit log records both).
    """

    id: int
    role: Role
    name: str
    email: str
    api_key_id: int | None = None

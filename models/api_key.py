"""API keys: long-lived credentials for scripts and integrations, created by an admin.

Only a SHA-256 digest of a key is stored. A key carries 256 random bits, so a fast hash
is enough to make a stolen table useless (nothing can be guessed back from the digest),
and it keeps every authenticated request cheap; a slow password hash such as Argon2
guards low-entropy passwords and would cost tens of milliseconds per request here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.enums import Role


class ApiKey(Base):
    """A key acts as its creator, with ``role`` capped at the creator's current role."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    prefix: Mapped[str] = mapped_column(String(32), unique=True)  # public; finds the key
    secret_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the whole key, hex
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

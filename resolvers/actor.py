"""The signed-in user on whose behalf a domain function acts."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Role


@dataclass(frozen=True)
class Actor:
    id: int
    role: Role
    name: str
    email: str

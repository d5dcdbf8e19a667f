"""The seller's own people: an admin, two managers, the sales team and two viewers.

The sales team grows with the number of customers (one rep per 2,000, between 5 and 40),
as territories would; reps own customers and write most documents, managers approve
credit and record payments. Everybody shares one password so a demo can log in as anyone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.enums import Role
from resolvers.passwords import hash_password_sync
from scripts.demo_data.clock import DAY, HISTORY_DAYS, to_datetime
from scripts.demo_data.identity import slug
from scripts.demo_data.vocabulary import FIRST_NAMES, LAST_NAMES


def sales_team_size(customers: int) -> int:
    return min(40, max(5, customers // 2000))


def make_users(
    *, seed: int, n_sales: int, now_ts: int, first_id: int, admin_email: str, password: str
) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    password_hash = hash_password_sync(password)  # one Argon2 hash, shared by all
    roles = [Role.ADMIN] + [Role.MANAGER] * 2 + [Role.SALES] * n_sales + [Role.VIEWER] * 2
    names = [(f, la) for f in FIRST_NAMES for la in LAST_NAMES]
    chosen = rnd.sample(names, len(roles))
    created = to_datetime(now_ts - (HISTORY_DAYS + 60) * DAY)
    users, emails = [], set()
    for offset, (role, (first, last)) in enumerate(zip(roles, chosen, strict=True)):
        if role == Role.ADMIN:
            email = admin_email
        else:
            local = slug(f"{first}.{last}", keep=".")
            email, n = f"{local}@sanvi.example", 2
            while email in emails:
                email, n = f"{local}{n}@sanvi.example", n + 1
        emails.add(email)
        users.append(
            {
                "id": first_id + offset,
                "email": email,
                "name": f"{first} {last}",
                "role": role,
                "password_hash": password_hash,
                "active": True,
                "created_at": created,
                "updated_at": created,
            }
        )
    return users


@dataclass(frozen=True)
class Staff:
    """User ids by the part they play in generated rows."""

    sales_ids: np.ndarray
    manager_ids: np.ndarray

    @classmethod
    def from_users(cls, users: list[dict[str, Any]]) -> Staff:
        def ids(role: Role) -> np.ndarray:
            return np.array([u["id"] for u in users if u["role"] == role], dtype=np.int64)

        return cls(sales_ids=ids(Role.SALES), manager_ids=ids(Role.MANAGER))

    def managers(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` managers drawn uniformly."""
        return self.manager_ids[rng.integers(0, len(self.manager_ids), n)]

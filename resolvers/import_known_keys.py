"""The codes, tax ids and emails customers had when an import started, as sorted hashes.

A batch asks the database only about values this set may hold, so an import of new
customers (the common case) sends no lookup at all. The set is a snapshot and may go
stale while the import runs: a customer created since is caught by the unique
constraints (``ON CONFLICT DO NOTHING``) and the row that lost is matched again with a
real lookup, so staleness costs a retry, never a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer

KEYS = ("code", "tax_id", "email")


def key_hash(key: str, value: str) -> int:
    return hash((key, value))


class KnownKeys:
    def __init__(self, hashes: np.ndarray) -> None:
        self._hashes = np.unique(hashes)

    @classmethod
    async def load(cls, session: AsyncSession) -> KnownKeys:
        columns = [Customer.__table__.c[key] for key in KEYS]
        result = await session.stream(select(*columns).execution_options(yield_per=20_000))
        parts: list[np.ndarray] = []
        async for chunk in result.partitions():
            parts.append(
                np.fromiter(
                    (
                        key_hash(key, value)
                        for row in chunk
                        for key, value in zip(KEYS, row, strict=True)
                        if value is not None
                    ),
                    dtype=np.int64,
                )
            )
        return cls(np.concatenate(parts) if parts else np.empty(0, dtype=np.int64))

    def may_exist(self, key: str, values: Iterable[str]) -> list[str]:
        """The values that may belong to a customer (all the ones that do, and rarely one
        that does not: two values sharing a 64-bit hash)."""
        wanted = list(values)
        if not wanted or not len(self._hashes):
            return []
        probes = np.fromiter((key_hash(key, v) for v in wanted), dtype=np.int64, count=len(wanted))
        at = np.searchsorted(self._hashes, probes)
        inside = at < len(self._hashes)
        hit = np.zeros(len(wanted), dtype=bool)
        hit[inside] = self._hashes[at[inside]] == probes[inside]
        return [v for v, h in zip(wanted, hit, strict=True) if h]

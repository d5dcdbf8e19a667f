"""Which unique values (codes, tax ids, emails) an import has already met in its file.

Kept as 64-bit hashes with the row they came from, in sorted numpy runs that are merged
now and then (a small log-structured set): 16 bytes per value instead of the ~100 a
Python dict entry takes, so a million-row file with three keys needs some 48 MB, not 300.
Two different values sharing a hash is a 1-in-2⁶⁴ event per pair.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_RUNS = 8


class SeenValues:
    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def first_rows(self, hashes: Sequence[int], rows: Sequence[int]) -> list[int | None]:
        """For each (hash, row), in order, the earlier row that had the same value (in
        an earlier batch or earlier in this one), or None; then remembers the new ones."""
        if not hashes:
            return []
        keys = np.asarray(hashes, dtype=np.int64)
        numbers = np.asarray(rows, dtype=np.int64)
        earlier = np.full(len(keys), -1, dtype=np.int64)
        for run_keys, run_rows in self._runs:
            at = np.searchsorted(run_keys, keys)
            inside = at < len(run_keys)
            hit = np.zeros(len(keys), dtype=bool)
            hit[inside] = run_keys[at[inside]] == keys[inside]
            earlier[hit] = run_rows[at[hit]]
        # Within the batch: the first occurrence (lowest row) of each new value wins.
        order = np.lexsort((numbers, keys))
        sorted_keys = keys[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
        first_of_group = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
        fresh = earlier[order] == -1
        later = fresh & ~starts
        earlier[order[later]] = numbers[order[first_of_group[later]]]
        new = order[fresh & starts]
        if len(new):
            self._add(keys[new], numbers[new])
        return [None if e < 0 else int(e) for e in earlier]

    def _add(self, keys: np.ndarray, rows: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], rows[order]))
        if len(self._runs) > MAX_RUNS:
            all_keys = np.concatenate([k for k, _ in self._runs])
            all_rows = np.concatenate([r for _, r in self._runs])
            order = np.argsort(all_keys, kind="stable")
            self._runs = [(all_keys[order], all_rows[order])]

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + r.nbytes for k, r in self._runs)

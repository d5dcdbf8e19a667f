"""Vectorised random choices: one call draws for every row of a chunk.

numpy's ``Generator.choice`` takes one distribution per call; rows here draw from the
distribution of their business type, so these helpers group rows by type instead of
looping in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def cumulative(p: np.ndarray) -> np.ndarray:
    """Row-wise cumulative distribution of unnormalised weights, ending exactly at 1."""
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    return cum


def choose(rng: np.random.Generator, group: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """One draw per row from the categorical distribution of the row's group."""
    u = rng.random(len(group))
    out = np.empty(len(group), dtype=np.int64)
    for g in range(cum.shape[0]):
        members = group == g
        out[members] = np.searchsorted(cum[g], u[members], side="right")
    return out


def positions(counts: np.ndarray) -> np.ndarray:
    """0-based position of each item within its group, for groups of the given sizes."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) - np.repeat(starts, counts)


def pick(rng: np.random.Generator, options: Sequence[Any], n: int) -> list[Any]:
    """``n`` uniform picks from ``options`` (which may hold None)."""
    pool = list(options)
    return [pool[k] for k in rng.integers(0, len(pool), n).tolist()]

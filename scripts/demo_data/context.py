"""What every generator of a chunk's rows shares, and the shape of what it hands back.

Generators append ``Table`` entries (name, columns, rows) in insertion order, so a writer
only has to walk the list: parents always come before their children.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scripts.demo_data.allocation import Allocator
from scripts.demo_data.catalogue import Catalogue
from scripts.demo_data.encoders import Encoder
from scripts.demo_data.staff import Staff

Table = tuple[str, tuple[str, ...], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class ChunkContext:
    seed: int
    now_ts: int
    catalogue: Catalogue
    staff: Staff
    encoder: Encoder
    allocator: Allocator

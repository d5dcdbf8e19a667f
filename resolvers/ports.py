"""What the domain needs from the platform, as protocols the ``app`` layer implements.

Domain functions (job handlers, import and export pipelines) call these without knowing
whether files sit on a local disk or events travel through PostgreSQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.config import DomainConfig

T = TypeVar("T")


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str


class FileTooLarge(Exception):
    """More bytes arrived than the caller allowed."""


class FileStore(Protocol):
    async def save_stream(
        self, chunks: AsyncIterator[bytes], *, max_bytes: int | None = None, suffix: str = ""
    ) -> StoredFile: ...

    def writer(
        self, *, suffix: str = "", max_bytes: int | None = None
    ) -> AbstractContextManager[tuple[BinaryIO, list[StoredFile]]]:
        """A binary file to write (in a worker thread); its ``StoredFile`` once closed."""
        ...

    def path(self, key: str) -> Path: ...

    async def delete(self, key: str) -> None: ...


class EventPublisher(Protocol):
    async def publish(self, session: AsyncSession, topic: str, payload: dict[str, Any]) -> None:
        """Announce ``payload`` on ``topic`` when ``session``'s transaction commits."""
        ...


class LinkSigner(Protocol):
    def url(self, key: str, *, filename: str, expires_at: dt.datetime) -> str: ...


class JobContext(Protocol):
    """What a running job gets from the platform."""

    job_id: int
    options: dict[str, Any]
    files: FileStore
    read_session: async_sessionmaker[AsyncSession]
    write_session: async_sessionmaker[AsyncSession]
    config: DomainConfig

    async def report(
        self, *, processed: int, total: int | None = None, progress: float | None = None
    ) -> None: ...

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T: ...

    async def in_process(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a picklable function in a helper process: CPU-bound Python that would
        otherwise hold the GIL against the event loop."""
        ...


class EventSubscriber(Protocol):
    def subscribe(self, topic: str) -> AbstractContextManager[asyncio.Queue[dict[str, Any]]]:
        """Events of ``topic`` published from now on, in this process's queue."""
        ...

"""Local-directory file storage that streams in and out and never holds a whole file.

Keys are random and collision-free (``yyyy/mm/<uuid><suffix>``); a file appears under its
key only once completely written (written to a temporary name, then renamed), so a
crash never leaves half a file behind a key.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import BinaryIO

from resolvers.ports import FileTooLarge, StoredFile

_KEY = re.compile(r"^\d{4}/\d{2}/[0-9a-f]{32}(\.[a-z0-9]{1,10})?$")
_SUFFIX = re.compile(r"^(\.[a-z0-9]{1,10})?$")


class _HashingWriter:
    """A file object that hashes and counts what passes through it."""

    def __init__(self, raw: BinaryIO, max_bytes: int | None) -> None:
        self._raw = raw
        self._max = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self._max is not None and self.size > self._max:
            raise FileTooLarge(f"more than {self._max} bytes")
        self.digest.update(data)
        return self._raw.write(data)

    def flush(self) -> None:
        self._raw.flush()

    def writable(self) -> bool:
        return True


class LocalFileStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _new_key(self, suffix: str) -> str:
        if not _SUFFIX.match(suffix):
            raise ValueError(f"bad file suffix {suffix!r}")
        now = dt.datetime.now(dt.UTC)
        return f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}{suffix}"

    def path(self, key: str) -> Path:
        """The file behind a key; refuses anything that is not a key we would make."""
        if not _KEY.match(key):
            raise KeyError(key)
        return self.root / key

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except KeyError:
            return False

    @contextlib.contextmanager
    def writer(
        self, *, suffix: str = "", max_bytes: int | None = None
    ) -> Iterator[tuple[BinaryIO, list[StoredFile]]]:
        """Write a file synchronously (in a worker thread); the list holds its record after."""
        key = self._new_key(suffix)
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.part")
        result: list[StoredFile] = []
        try:
            with open(temporary, "wb") as raw:
                hashing = _HashingWriter(raw, max_bytes)
                yield hashing, result  # type: ignore[misc]
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        result.append(StoredFile(key=key, size=hashing.size, sha256=hashing.digest.hexdigest()))

    async def save_stream(
        self, chunks: AsyncIterator[bytes], *, max_bytes: int | None = None, suffix: str = ""
    ) -> StoredFile:
        with self.writer(suffix=suffix, max_bytes=max_bytes) as (out, result):
            async for chunk in chunks:
                await asyncio.to_thread(out.write, chunk)
        return result[0]

    async def delete(self, key: str) -> None:
        with contextlib.suppress(KeyError):
            await asyncio.to_thread(self.path(key).unlink, True)

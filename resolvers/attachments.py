"""Interaction attachments: streamed into the file store under a size cap, typed by their bytes.

Content type policy: the type a client declares is **never trusted**. We store what the
first bytes say the file is (PDF, PNG, JPEG, GIF, WebP, ZIP-based office files, plain
text); anything unrecognised is stored as ``application/octet-stream``. So a PDF sent as
``image/png`` is recorded as ``application/pdf``, and an executable declared as a PDF is an
opaque binary. Nothing is refused for its type: downloads are served as attachments.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from resolvers.errors import ValidationFailed
from resolvers.ports import FileStore, FileTooLarge

CHUNK = 64 * 1024
SNIFF_BYTES = 512
MAX_NAME = 255
OCTET_STREAM = "application/octet-stream"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_SUFFIXES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/zip": ".zip",
    "text/plain": ".txt",
    "text/csv": ".csv",
    **{content_type: suffix for suffix, content_type in _OFFICE.items()},
}


def _extension(name: str) -> str:
    match = re.search(r"(\.[A-Za-z0-9]{1,10})$", name)
    return match.group(1).lower() if match else ""


def sniff_content_type(head: bytes, name: str) -> str:
    """What the first bytes of a file say it is (the name only refines ZIP and text)."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _OFFICE.get(_extension(name), "application/zip")
    if _is_text(head):
        return "text/csv" if _extension(name) == ".csv" else "text/plain"
    return OCTET_STREAM


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the sniffing boundary is still text
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def clean_name(name: str | None, *, field: str) -> str:
    """The file's own name: no directories, no control characters, at most 255 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if not base:
        raise ValidationFailed("The file has no name", field=field)
    return base[-MAX_NAME:]


@dataclass(frozen=True)
class StoredAttachment:
    name: str
    content_type: str
    size: int
    sha256: str
    storage_key: str


async def store_attachment(
    files: FileStore,
    *,
    name: str | None,
    read: Callable[[int], Awaitable[bytes]],
    max_bytes: int,
    field: str,
) -> StoredAttachment:
    """Stream a file from ``read(n)`` into the store; refuse it past ``max_bytes``."""
    filename = clean_name(name, field=field)
    head = await read(SNIFF_BYTES)
    content_type = sniff_content_type(head, filename)

    async def chunks() -> AsyncIterator[bytes]:
        if head:
            yield head
        while chunk := await read(CHUNK):
            yield chunk

    try:
        stored = await files.save_stream(
            chunks(), max_bytes=max_bytes, suffix=_SUFFIXES.get(content_type, "")
        )
    except FileTooLarge:
        raise ValidationFailed(
            f"The file is larger than the limit of {max_bytes} bytes", field=field, code="TOO_LARGE"
        ) from None
    return StoredAttachment(
        name=filename,
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
    )

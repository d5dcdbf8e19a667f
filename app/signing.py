"""Signed, expiring download links.

The signature (HMAC-SHA256 with the secret key) covers the file key, the expiry and the
file name offered to the browser, so none of them can be changed without breaking it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from urllib.parse import quote, urlencode


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class DownloadSigner:
    def __init__(self, secret: str, base_url: str) -> None:
        self._secret = hashlib.sha256(b"downloads:" + secret.encode()).digest()
        self._base = base_url.rstrip("/")

    def signature(self, key: str, expires: int, filename: str) -> str:
        message = f"{key}\n{expires}\n{filename}".encode()
        return _b64(hmac.new(self._secret, message, hashlib.sha256).digest())

    def url(self, key: str, *, filename: str, expires_at: dt.datetime) -> str:
        expires = int(expires_at.timestamp())
        query = urlencode(
            {"exp": expires, "name": filename, "sig": self.signature(key, expires, filename)}
        )
        return f"{self._base}/downloads/{quote(key)}?{query}"

    def valid(self, key: str, expires: str, filename: str, signature: str, *, now: float) -> bool:
        """True only for an untampered link that has not expired."""
        try:
            expires_at = int(expires)
        except ValueError:
            return False
        expected = self.signature(key, expires_at, filename)
        return hmac.compare_digest(expected, signature) and expires_at > now

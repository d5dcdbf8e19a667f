"""``GET /downloads/{key}``: serves a stored file to whoever holds a valid signed link.

A tampered, expired or unknown link gets the same 403, so the answer reveals nothing
about which files exist. Files are streamed, with range requests for large ones.
"""

from __future__ import annotations

import mimetypes
import time

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from app.signing import DownloadSigner
from app.storage import LocalFileStorage

REFUSED = "This download link is not valid (it may have expired)."


def download_endpoint(storage: LocalFileStorage, signer: DownloadSigner):  # type: ignore[no-untyped-def]
    async def download(request: Request) -> Response:
        key = request.path_params["key"]
        params = request.query_params
        filename = params.get("name", "")
        ok = signer.valid(
            key, params.get("exp", ""), filename, params.get("sig", ""), now=time.time()
        )
        if not ok or not filename or not storage.exists(key):
            return PlainTextResponse(REFUSED, status_code=403)
        media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return FileResponse(
            storage.path(key),
            media_type=media_type,
            filename=filename,
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )

    return download

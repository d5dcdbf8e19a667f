"""Job kinds that exist only for the platform tests (loaded through CRM_JOB_MODULES)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from models.base import utcnow
from resolvers.jobs import job_kind
from resolvers.ports import JobContext


@job_kind("test-count")
async def count(ctx: JobContext) -> dict[str, Any]:
    """Counts to ``steps``, pausing ``pause`` seconds per step; may write ``text`` to a file."""
    steps = int(ctx.options.get("steps", 5))
    pause = float(ctx.options.get("pause", 0.1))
    for step in range(1, steps + 1):
        await asyncio.sleep(pause)
        await ctx.report(processed=step, total=steps)
    result: dict[str, Any] = {"counted": steps}
    if "text" in ctx.options:

        def write() -> Any:
            with ctx.files.writer(suffix=".txt") as (out, stored):
                out.write(ctx.options["text"].encode())
            return stored[0]

        stored = await ctx.in_thread(write)
        result |= {
            "output_file_key": stored.key,
            "filename": "counted.txt",
            "expires_at": (utcnow() + dt.timedelta(hours=1)).isoformat(),
        }
    return result


@job_kind("test-hang")
async def hang(ctx: JobContext) -> dict[str, Any]:
    """Runs until its process dies."""
    await ctx.report(processed=0, total=1, progress=0.01)
    await asyncio.Event().wait()
    return {}

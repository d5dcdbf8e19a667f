"""Generate chunk k+1 in a worker thread while chunk k is being written.

Generation is CPU work in numpy and Python while writing is mostly the database's work, so
the two overlap instead of taking turns. Chunk slots keep memory bounded however many
customers are seeded.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from scripts.demo_data.generator import Chunk, ChunkGenerator
from scripts.demo_data.writers import Writer

COUNTED = ("customers", "quotations", "orders", "payments", "interactions", "tasks")


async def run_pipeline(
    generator: ChunkGenerator, writers: list[Writer], say: Callable[[str], None]
) -> dict[str, int]:
    """One producer generates chunks in order; the writers insert them as they come.

    A chunk slot is taken before a chunk is generated and given back once it is committed,
    so at most ``len(writers) + 1`` chunks are alive at any time. Returns the rows written
    per ``COUNTED`` key.
    """
    loop = asyncio.get_running_loop()
    n_chunks = len(generator.plan.bounds)
    total = len(generator.plan.created_day)
    slots = asyncio.Semaphore(len(writers) + 1)
    queue: asyncio.Queue[Chunk | None] = asyncio.Queue()
    written = dict.fromkeys(COUNTED, 0)

    async def produce(pool: ThreadPoolExecutor) -> None:
        for index in range(n_chunks):
            await slots.acquire()
            await queue.put(await loop.run_in_executor(pool, generator.chunk, index))
        for _ in writers:
            await queue.put(None)

    async def consume(writer: Writer) -> None:
        async with writer:
            while (chunk := await queue.get()) is not None:
                await writer.write(chunk)
                slots.release()
                for key in COUNTED:
                    written[key] += chunk.counts[key]
                say(
                    f"customers {written['customers']}/{total}: {written['orders']} orders, "
                    f"{written['quotations']} quotations, {written['interactions']} interactions"
                )

    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: the cyclic collector only costs time
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-demo") as pool:
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(produce(pool))
                    for writer in writers:
                        group.create_task(consume(writer))
            except BaseExceptionGroup as failed:
                raise failed.exceptions[0] from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return written

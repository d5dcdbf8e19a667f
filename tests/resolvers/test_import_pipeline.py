"""The import's read-ahead never leaves a reading thread or the helper working behind
its back."""

from __future__ import annotations

import asyncio

import pytest

from resolvers.customer_import import _all


async def test_the_steps_run_at_once_and_give_their_results_in_order():
    order: list[str] = []

    async def step(name: str, delay: float) -> str:
        await asyncio.sleep(delay)
        order.append(name)
        return name

    assert await _all(step("slow", 0.02), step("fast", 0)) == ["slow", "fast"]
    assert order == ["fast", "slow"]


async def test_a_failed_step_fails_only_after_the_other_step_ended():
    ended = asyncio.Event()

    async def fails() -> None:
        raise ValueError("unreadable")

    async def reads() -> None:
        await asyncio.sleep(0.02)
        ended.set()

    with pytest.raises(ValueError, match="unreadable"):
        await _all(fails(), reads())
    assert ended.is_set()


async def test_cancelled_it_waits_for_the_step_still_running_then_gives_up():
    release, ended = asyncio.Event(), asyncio.Event()

    async def reads() -> None:
        await asyncio.shield(release.wait())  # like a thread: cancelling does not stop it
        ended.set()

    waiting = asyncio.ensure_future(_all(reads()))
    await asyncio.sleep(0)
    waiting.cancel()
    await asyncio.sleep(0.01)
    assert not waiting.done()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert ended.is_set()

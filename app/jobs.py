"""The job runner of one server process: a bounded pool of workers, heartbeats, and wake-ups.

Any process may claim any queued job. While a job runs, this process renews its heartbeat
every few seconds from the event loop; handlers push CPU-bound steps into threads
(``JobContext.in_thread``) so the loop — and so the heartbeat — never stalls.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.collector import tune_collector
from app.db import Database
from app.domain_config import domain_config
from app.pubsub import EventHub
from app.settings import Settings
from app.storage import LocalFileStorage
from resolvers import jobs as job_domain
from resolvers.errors import DomainError
from resolvers.ports import EventPublisher

logger = logging.getLogger("crm.jobs")
T = TypeVar("T")
REPORT_INTERVAL = 0.25
# Our top-level packages: safe to import in the fork server.
_OWN_PACKAGES = frozenset({"app", "models", "resolvers", "schema", "scripts"})


class RunningJob:
    """The ``JobContext`` a handler receives."""

    def __init__(self, runner: JobRunner, job_id: int, options: dict[str, Any]) -> None:
        self._runner = runner
        self.job_id = job_id
        self.options = options
        self.files: LocalFileStorage = runner.files
        self.read_session: async_sessionmaker[AsyncSession] = runner.db.read_session
        self.write_session: async_sessionmaker[AsyncSession] = runner.db.write_session
        self.config = domain_config(runner.settings)
        self._last_report = 0.0

    async def report(
        self, *, processed: int, total: int | None = None, progress: float | None = None
    ) -> None:
        """Record progress and announce it, at most a few times a second."""
        now = time.monotonic()
        final = total is not None and processed >= total
        if not final and now - self._last_report < REPORT_INTERVAL:
            return
        self._last_report = now
        async with self.write_session() as session:
            job = await job_domain.record_progress(
                session, job_id=self.job_id, processed=processed, total=total, progress=progress
            )
            if job is not None:
                await self._runner.publisher.publish(
                    session, job_domain.job_topic(job.id), job_domain.job_event(job)
                )
            await session.commit()

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)

    async def in_process(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self._runner.process_pool(), fn, *args
        )


def helper_context() -> Any:
    """How helper processes start: forked from a fork server that has already imported
    the app, so a helper is ready in milliseconds instead of paying a fresh
    interpreter's imports (0.7 s for the app alone) at the start of every large import.
    The fork server is itself a fresh interpreter, started once per server process: this
    process has threads and open connections that a plain fork would copy. Where there
    is no fork server (Windows), every helper is spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_preload())
    return context


def _preload() -> list[str]:
    """What the fork server imports: the job handlers' modules, and what a helper
    imports when it re-runs the main module, as every started process does.

    Preloading "__main__" does nothing (the fork server is never told the main module's
    path), so the app's modules are named, and the main module itself when it is one
    of ours and run by name (``python -m scripts.benchmark``): its code is run again in
    each helper, but its imports are then already there. Other main modules are not
    imported here: their code may not wait for ``__name__ == "__main__"``."""
    handlers = {handler.__module__ for handler in job_domain.JOB_KINDS.values()}
    modules = ["app.main", "app.cli", *sorted(handlers)]
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    name = getattr(spec, "name", None) or ""
    if name.split(".")[0] in _OWN_PACKAGES and not name.endswith("__main__"):
        modules.append(name)
    return modules


class JobRunner:
    def __init__(
        self,
        *,
        db: Database,
        settings: Settings,
        files: LocalFileStorage,
        publisher: EventPublisher,
        hub: EventHub,
    ) -> None:
        self.db = db
        self.files = files
        self.publisher = publisher
        self.hub = hub
        self.settings = settings
        self.workers = settings.job_workers
        self.poll_seconds = settings.job_poll_seconds
        self.heartbeat_seconds = settings.job_heartbeat_seconds
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._running: dict[int, asyncio.Task[None]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self._capacity = asyncio.Semaphore(self.workers)
        self._processes: concurrent.futures.ProcessPoolExecutor | None = None

    async def start(self) -> None:
        if self.workers <= 0:
            return
        self._tasks = [
            asyncio.create_task(self._claim_loop(), name="jobs-claim"),
            asyncio.create_task(self._heartbeat_loop(), name="jobs-heartbeat"),
            asyncio.create_task(self._wake_on_events(), name="jobs-wake"),
        ]

    def process_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        """One helper process, started on first use, for pure-Python work big enough to
        deserve a core of its own (validating a large import)."""
        if self._processes is None:
            self._processes = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=helper_context(), initializer=tune_collector
            )
        return self._processes

    async def stop(self) -> None:
        for task in [*self._tasks, *self._running.values()]:
            task.cancel()
        for task in [*self._tasks, *self._running.values()]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._processes is not None:
            self._processes.shutdown(wait=True, cancel_futures=True)
            self._processes = None

    async def run_queued(self, *, kinds: list[str] | None = None) -> list[int]:
        """Claim and run queued jobs here and now, one after another, until none is left:
        for tests and the command line, where no worker loop runs."""
        done: list[int] = []
        while True:
            await self._capacity.acquire()
            job = await self._claim(kinds)
            if job is None:
                self._capacity.release()
                return done
            await self._run(job.id, job.kind, dict(job.options or {}))
            done.append(job.id)

    async def _wake_on_events(self) -> None:
        with self.hub.subscribe(job_domain.QUEUED_TOPIC) as queue:
            while True:
                await queue.get()
                self._wake.set()

    async def _claim_loop(self) -> None:
        while True:
            await self._capacity.acquire()
            try:
                job = await self._claim()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("claiming a job failed")
                job = None
            if job is None:
                self._capacity.release()
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                continue
            task = asyncio.create_task(self._run(job.id, job.kind, dict(job.options or {})))
            self._running[job.id] = task

    async def _claim(self, kinds: list[str] | None = None) -> Any:
        async with self.db.write_session() as session:
            job = await job_domain.claim_next_job(
                session,
                worker_id=self.worker_id,
                kinds=sorted(job_domain.JOB_KINDS if kinds is None else kinds),
            )
            if job is not None:
                await self.publisher.publish(
                    session, job_domain.job_topic(job.id), job_domain.job_event(job)
                )
            await session.commit()
            return job

    async def _run(self, job_id: int, kind: str, options: dict[str, Any]) -> None:
        context = RunningJob(self, job_id, options)
        error: str | None = None
        result: dict[str, Any] = {}
        try:
            result = await job_domain.JOB_KINDS[kind](context) or {}
        except asyncio.CancelledError:
            error = "The server shut down while the job was running."
        except DomainError as exc:
            # The job's input cannot be processed (an unreadable file, say): the user's
            # problem, told in the domain's words, not a server fault.
            error = exc.message[:1000]
        except Exception as exc:
            logger.exception("job failed", extra={"job_id": job_id, "kind": kind})
            error = f"{type(exc).__name__}: {exc}"[:1000]
        try:
            await self._finish(job_id, result, error)
        finally:
            self._running.pop(job_id, None)
            self._capacity.release()

    async def _finish(self, job_id: int, result: dict[str, Any], error: str | None) -> None:
        output = result.pop("output_file_key", None)
        expires_at = result.pop("expires_at", None)
        if isinstance(expires_at, str):
            expires_at = dt.datetime.fromisoformat(expires_at)
        async with self.db.write_session() as session:
            job = await job_domain.finish_job(
                session,
                job_id=job_id,
                worker_id=self.worker_id,
                result=result,
                error=error,
                output_file_key=output,
                expires_at=expires_at,
            )
            if job is not None:
                await self.publisher.publish(
                    session, job_domain.job_topic(job.id), job_domain.job_event(job)
                )
            await session.commit()

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            if not self._running:
                continue
            try:
                async with self.db.write_session() as session:
                    await job_domain.beat(
                        session, worker_id=self.worker_id, job_ids=list(self._running)
                    )
                    await session.commit()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("heartbeat failed")

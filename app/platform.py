"""The platform services of one server process, built once and shared by app and CLI."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from app.auth import TokenService
from app.db import Database, create_database
from app.domain_config import domain_config
from app.jobs import JobRunner
from app.pubsub import EventHub, LocalPublisher, PostgresPublisher, create_publisher
from app.scheduler import Scheduler
from app.settings import Settings
from app.signing import DownloadSigner
from app.storage import LocalFileStorage
from resolvers.config import DomainConfig


@dataclass
class Platform:
    settings: Settings
    db: Database
    files: LocalFileStorage
    signer: DownloadSigner
    tokens: TokenService
    hub: EventHub
    publisher: LocalPublisher | PostgresPublisher
    runner: JobRunner = field(init=False)
    scheduler: Scheduler = field(init=False)

    def __post_init__(self) -> None:
        self.runner = JobRunner(
            db=self.db,
            settings=self.settings,
            files=self.files,
            publisher=self.publisher,
            hub=self.hub,
        )
        self.scheduler = Scheduler(self)

    @property
    def config(self) -> DomainConfig:
        return domain_config(self.settings)

    @property
    def worker_id(self) -> str:
        return self.runner.worker_id

    async def start(self, *, background: bool = True) -> None:
        """Start listening for events; with ``background`` also the job workers and scheduler."""
        await self.publisher.start()
        if background:
            await self.runner.start()
            if self.settings.scheduler_enabled:
                await self.scheduler.start()

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.runner.stop()
        await self.publisher.stop()
        await self.db.dispose()


def create_platform(settings: Settings) -> Platform:
    for module in settings.job_modules:
        importlib.import_module(module)  # registers its job kinds
    secret = settings.resolved_secret_key()
    hub = EventHub()
    return Platform(
        settings=settings,
        db=create_database(settings),
        files=LocalFileStorage(settings.storage_dir),
        signer=DownloadSigner(secret, settings.public_base_url),
        tokens=TokenService(secret, settings.token_ttl_seconds),
        hub=hub,
        publisher=create_publisher(hub, settings.database_url),
    )

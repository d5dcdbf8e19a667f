"""Alembic environment: async engines, usable from inside a running event loop.

``app.migrate`` passes an open connection in ``config.attributes["connection"]`` so
migrations run through ``connection.run_sync`` (no nested ``asyncio.run``). The
``alembic`` command line gets a fresh engine from the settings instead.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from models import Base

target_metadata = Base.metadata


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    from app.db import create_engine
    from app.settings import Settings

    engine = create_engine(Settings())
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    do_run_migrations(connection)
else:
    asyncio.run(run_async_migrations())

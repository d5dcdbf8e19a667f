"""Writing a chunk's rows: ``executemany`` on SQLite, binary ``COPY`` on PostgreSQL.

Rows bypass the ORM and go straight to the driver connection, one write transaction per
chunk, with constraints, foreign keys and indexes left on (chunks list parents before
children). A failure leaves the chunks already committed in place; ``seed_demo`` then
refuses to run again until the database is recreated. SQLite takes one writer;
PostgreSQL takes ``POSTGRES_WRITERS`` connections in parallel.
"""

from __future__ import annotations

from typing import Protocol

from app.db import Database
from scripts.demo_data.generator import Chunk

POSTGRES_WRITERS = 3
SQLITE_CACHE_KIB = 128 * 1024  # page cache of the seeding connection: index pages stay hot
SQLITE_WAL_AUTOCHECKPOINT = 50_000  # pages (~200 MB of WAL) between checkpoints while seeding


class Writer(Protocol):
    async def __aenter__(self) -> Writer: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def write(self, chunk: Chunk) -> None: ...


def writers_for(db: Database) -> list[Writer]:
    if db.dialect == "sqlite":
        return [SQLiteWriter(db)]
    return [PostgresWriter(db) for _ in range(POSTGRES_WRITERS)]


class SQLiteWriter:
    """``executemany`` on the aiosqlite connection, one ``BEGIN IMMEDIATE`` per chunk."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine.execution_options(sqlite_begin="IMMEDIATE")

    async def __aenter__(self) -> SQLiteWriter:
        self.conn = await self.engine.connect()
        raw = await self.conn.get_raw_connection()
        self.driver = raw.driver_connection
        assert self.driver is not None
        # Connection-local tuning, restored on exit: a bigger page cache and fewer, larger
        # WAL checkpoints (hot index pages are then written back once, not every chunk).
        self.saved = {}
        for pragma, value in (
            ("cache_size", -SQLITE_CACHE_KIB),
            ("wal_autocheckpoint", SQLITE_WAL_AUTOCHECKPOINT),
        ):
            cursor = await self.driver.execute(f"PRAGMA {pragma}")
            self.saved[pragma] = int((await cursor.fetchone())[0])
            await cursor.close()
            await self.driver.execute(f"PRAGMA {pragma}={int(value)}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self.conn.in_transaction():
                await self.conn.rollback()
            for pragma, value in self.saved.items():
                await self.driver.execute(f"PRAGMA {pragma}={value}")
            cursor = await self.driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            await cursor.close()
        finally:
            await self.conn.close()

    async def write(self, chunk: Chunk) -> None:
        async with self.conn.begin():
            for table, columns, rows in chunk.tables:
                if rows:
                    sql = (
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' * len(columns))})"
                    )
                    await self.driver.executemany(sql, rows)


class PostgresWriter:
    """Binary ``COPY`` through asyncpg, one transaction per chunk."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine

    async def __aenter__(self) -> PostgresWriter:
        self.conn = await self.engine.connect()
        raw = await self.conn.get_raw_connection()
        self.driver = raw.driver_connection
        assert self.driver is not None
        return self

    async def __aexit__(self, *exc: object) -> None:
        if exc[0] is not None:  # possibly interrupted mid-COPY: never reuse the connection
            await self.conn.invalidate()
        await self.conn.close()

    async def write(self, chunk: Chunk) -> None:
        async with self.driver.transaction():
            for table, columns, rows in chunk.tables:
                if rows:
                    await self.driver.copy_records_to_table(
                        table, records=rows, columns=list(columns)
                    )

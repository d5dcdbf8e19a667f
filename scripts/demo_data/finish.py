"""After the rows: let the API carry on numbering, and give the planner fresh statistics.

Ids and document numbers were assigned outside the database, so PostgreSQL's sequences and
the document counters must be moved past them before the API creates anything; and at
demo scale the query planner needs statistics it would otherwise only gather much later.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from app.db import Database
from resolvers.numbering import set_counter_at_least
from scripts.demo_data.allocation import ID_TABLES


async def advance_counters(db: Database, last_numbers: dict[str, int]) -> None:
    """Make each document counter continue after the last number seeded."""
    async with db.write_session() as session, session.begin():
        for key, value in last_numbers.items():
            await set_counter_at_least(session, key, value)


async def finish(db: Database, say: Callable[[str], None]) -> None:
    if db.dialect == "postgresql":
        await _postgres_finish(db, say)
    else:
        say("analyzing")
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")  # the planner needs statistics at this size


async def _postgres_finish(db: Database, say: Callable[[str], None]) -> None:
    """Move id sequences past the ids assigned here, then refresh planner statistics."""
    async with db.engine.begin() as conn:
        for model in ID_TABLES:
            table = model.__tablename__
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    say("analyzing")
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("ANALYZE")

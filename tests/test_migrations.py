"""Migrations: one linear history that builds exactly the models' schema on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.db import create_engine
from app.migrate import alembic_config
from models import Base
from tests.support import settings_for


def test_migration_history_has_exactly_one_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads: {heads}; merge or rebase the new migration"


async def test_migrations_build_exactly_the_models_schema(database_url, tmp_path):
    # given a database migrated to head (the database_url fixture migrates it)
    engine = create_engine(settings_for(database_url, tmp_path))
    try:
        async with engine.connect() as conn:
            # when its schema is compared with the models
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()
    # then nothing differs
    assert diff == []

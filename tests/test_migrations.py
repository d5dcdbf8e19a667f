"""Migrations: one linear history that builds exactly the models' schema on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.db import create_engine
from app.migrate import alembic_config
from models import Base
from tests.support import settings_for


def _not_search_index(name, type_, parent_names):
    """The PostgreSQL trigram index is created by hand in the migration (see there)."""
    return name != "ix_customers_search_text_trgm"


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
                    MigrationContext.configure(
                        sync, opts={"compare_type": True, "include_name": _not_search_index}
                    ),
                    Base.metadata,
                )
            )
    finally:
        await engine.dispose()
    # then nothing differs
    assert diff == []


async def test_migrations_downgrade_to_nothing_and_upgrade_again(database_url, tmp_path):
    from alembic import command

    from tests.support import temporary_database

    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    async with temporary_database(backend, tmp_path) as url:
        engine = create_engine(settings_for(url, tmp_path))
        config = alembic_config()

        def cycle(connection):
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            command.downgrade(config, "base")
            command.upgrade(config, "head")

        try:
            async with engine.begin() as conn:
                await conn.run_sync(cycle)
        finally:
            await engine.dispose()


def test_every_foreign_key_leads_an_index():
    """Joins and cascades by foreign key never scan a table."""
    unindexed = []
    for table in Base.metadata.sorted_tables:
        leading = {next(c.name for c in table.primary_key.columns)}
        for index in table.indexes:
            leading.add(next(iter(index.columns)).name)
        for constraint in table.constraints:
            columns = list(getattr(constraint, "columns", []))
            if columns and constraint.__class__.__name__ == "UniqueConstraint":
                leading.add(columns[0].name)
        for column in table.columns:
            if column.unique:
                leading.add(column.name)
        for fk in table.foreign_keys:
            if fk.parent.name not in leading:
                unindexed.append(f"{table.name}.{fk.parent.name}")
    assert unindexed == []

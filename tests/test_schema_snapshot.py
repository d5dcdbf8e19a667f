"""schema.graphql is what the frontend generates clients from: it must be current."""

from pathlib import Path

from schema.sdl import schema_sdl

SNAPSHOT = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_checked_in_sdl_matches_the_schema():
    assert SNAPSHOT.read_text() == schema_sdl(), "schema.graphql is stale: run `make schema`"

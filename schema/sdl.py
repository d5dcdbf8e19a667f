"""The SDL the frontend generates typed clients from (checked in as ``schema.graphql``)."""

from __future__ import annotations

from schema.root import schema


def schema_sdl() -> str:
    return schema.as_str() + "\n"

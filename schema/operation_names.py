"""The names of the operations a request ran, for its log line (app/request_log.py)."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension


class RecordOperationNames(SchemaExtension):
    """Appends each operation's name (None when anonymous) to ``context.operation_names``."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            names = getattr(self.execution_context.context, "operation_names", None)
            if isinstance(names, list):
                names.append(self.execution_context.operation_name)

"""What an import did, row by row: the changes it made (so it can be undone) and the rows
it refused (so the user can fix and re-import them)."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_column
from models.enums import ImportAction


class CustomerImportChange(Base):
    """One customer an import created or updated. ``before`` holds the updated columns'
    previous values; ``version_after`` tells whether anyone touched the customer since."""

    __tablename__ = "customer_import_changes"
    __table_args__ = (Index("ix_customer_import_changes_customer_id", "customer_id"),)

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    action: Mapped[ImportAction] = mapped_column(enum_column(ImportAction))
    before: Mapped[dict | None] = mapped_column(JSON)
    version_after: Mapped[int] = mapped_column(Integer)


class ImportRowError(Base):
    """One problem with one row of an imported file, numbered as the user's spreadsheet
    numbers it (the header is row 1)."""

    __tablename__ = "import_row_errors"
    __table_args__ = (Index("ix_import_row_errors_job_id_row", "job_id", "row", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(String(500))
    code: Mapped[str] = mapped_column(String(40))

"""Declarative base and the column types every aggregate shares.

Two portability decisions live here so that no query has to think about them:

* ``UTCDateTime`` always hands back timezone-aware UTC datetimes. SQLite has no
  timezone-aware type and returns naive values, so we store naive UTC there and
  re-attach ``UTC`` on the way out.
* ``Money`` is ``NUMERIC(14, 2)`` on PostgreSQL but integer minor units on SQLite,
  because SQLite's ``SUM`` over ``NUMERIC`` is a float and credit thresholds must be
  compared exactly. ``SUM``/``MIN``/``MAX`` keep the column type, so aggregates come
  back as ``Decimal`` on both databases.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Enum, MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Money(TypeDecorator[Decimal]):
    """An amount of money: exact, two decimals, rounded half-up when stored."""

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return int(amount * 100)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            # SUM of integers is an integer; AVG would be a float: round half-up from text.
            return (Decimal(str(value)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Percent(TypeDecorator[Decimal]):
    """A percentage such as a discount: ``NUMERIC(5, 2)``, stored as hundredths on SQLite."""

    impl = Numeric(5, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(5, 2, asdecimal=True))

    process_bind_param = Money.process_bind_param
    process_result_value = Money.process_result_value


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK, never a native PostgreSQL enum.

    Native enums need their own migration steps for every new value and confuse
    autogenerate; a checked string does not.
    """
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.name) for m in enum_cls) + 4,
        name=f"{enum_cls.__name__.lower()}",
        validate_strings=True,
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

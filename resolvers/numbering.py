"""Human-readable numbers for customers, quotations and orders.

Numbers come from a counter row incremented inside the caller's transaction, so two
concurrent writers never get the same number and a rolled-back write frees its number.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Counter

CUSTOMER = "customer"
QUOTATION = "quotation"
ORDER = "order"

_FORMATS = {CUSTOMER: "CUS-{:06d}", QUOTATION: "QUO-{:07d}", ORDER: "ORD-{:07d}"}


def format_number(key: str, value: int) -> str:
    return _FORMATS[key].format(value)


async def next_number(session: AsyncSession, key: str) -> str:
    result = await session.execute(
        update(Counter)
        .where(Counter.key == key)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    value = result.scalar_one_or_none()
    if value is None:
        try:
            async with session.begin_nested():
                await session.execute(insert(Counter).values(key=key, value=1))
            value = 1
        except IntegrityError:
            return await next_number(session, key)
    return format_number(key, value)


async def reserve_numbers(session: AsyncSession, key: str, count: int) -> list[str]:
    """``count`` consecutive numbers in one statement, for bulk creation (imports)."""
    if count <= 0:
        return []
    first = await next_number(session, key)  # makes sure the counter row exists
    if count == 1:
        return [first]
    result = await session.execute(
        update(Counter)
        .where(Counter.key == key)
        .values(value=Counter.value + (count - 1))
        .returning(Counter.value)
    )
    last = result.scalar_one()
    return [first] + [format_number(key, value) for value in range(last - count + 2, last + 1)]


async def set_counter_at_least(session: AsyncSession, key: str, value: int) -> None:
    """Move a counter past numbers that were assigned in bulk (demo data, imports)."""
    current = (await session.execute(select(Counter.value).where(Counter.key == key))).scalar()
    if current is None:
        await session.execute(insert(Counter).values(key=key, value=value))
    elif current < value:
        await session.execute(update(Counter).where(Counter.key == key).values(value=value))

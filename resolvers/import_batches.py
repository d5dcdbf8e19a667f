"""One batch of an import: match rows to existing customers, decide, and write set-based.

Matching reads the batch's codes, tax ids and emails in one query. A row that matches
two different customers through different keys is AMBIGUOUS and left alone. Creation
uses ``INSERT … ON CONFLICT DO NOTHING``: if a concurrent import created one of the same
customers in the meantime, the unique constraints keep it single and the row is matched
again against what now exists — never a duplicate, whatever the timing.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ARRAY,
    String,
    any_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CreditLimitHistory,
    Customer,
    CustomerImportChange,
    CustomerTag,
    ImportRowError,
)
from models.enums import CustomerStatus, ImportAction
from resolvers.bulk_insert import insert_rows
from resolvers.customer_columns import HEADERS, CustomerColumn
from resolvers.import_known_keys import KnownKeys
from resolvers.import_options import MATCH_COLUMNS, DuplicatePolicy, ImportOptions
from resolvers.import_rows import API_FIELDS, ColumnMapping, ParsedRow, RowError
from resolvers.numbering import CUSTOMER, reserve_numbers
from resolvers.search import customer_search_text

CUSTOMERS = Customer.__table__
KEY_COLUMNS = {
    "code": CustomerColumn.CODE,
    "tax_id": CustomerColumn.TAX_ID,
    "email": CustomerColumn.EMAIL,
}
# Columns an import may change on an existing customer ("customer since" only on creation).
UPDATABLE = (
    "code",
    "name",
    "business_type",
    "status",
    "email",
    "phone",
    "tax_id",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "country",
    "owner_id",
    "credit_limit",
)
_SEARCH_PARTS = ("name", "code", "email", "phone", "tax_id")
MAX_ROUNDS = 3


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0

    def add(self, other: Counts) -> None:
        for name in ("created", "updated", "unchanged", "skipped", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {
            "createdCount": self.created,
            "updatedCount": self.updated,
            "unchangedCount": self.unchanged,
            "skippedCount": self.skipped,
            "failedCount": self.failed,
        }


@dataclass
class BatchOutcome:
    counts: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    failed_rows: list[ParsedRow] = field(default_factory=list)


@dataclass(frozen=True)
class ImportContext:
    job_id: int
    actor_id: int | None
    options: ImportOptions
    mapping: ColumnMapping
    now: dt.datetime
    write: bool
    known: KnownKeys | None = None


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _same(key: str, current: Any, wanted: Any) -> bool:
    if key == "credit_limit":
        return (current is None and wanted is None) or (
            current is not None and wanted is not None and Decimal(current) == Decimal(wanted)
        )
    return current == wanted


# The columns a new customer is written with, in one statement per batch.
_CREATE_COLUMNS = (
    *UPDATABLE,
    "credit_outstanding",
    "search_text",
    "version",
    "created_at",
    "updated_at",
    "import_job_id",
)
_create_values = operator.itemgetter(*_CREATE_COLUMNS)


class Batch:
    def __init__(self, session: AsyncSession, context: ImportContext) -> None:
        self.session = session
        self.context = context
        self.outcome = BatchOutcome()
        self._dialect = session.bind.dialect.name if session.bind else "sqlite"

    def fail(self, parsed: ParsedRow, errors: Iterable[RowError]) -> None:
        parsed.errors.extend(errors)
        self.outcome.errors.extend(parsed.errors)
        self.outcome.failed_rows.append(parsed)
        self.outcome.counts.failed += 1

    def _key_error(self, parsed: ParsedRow, key: str, message: str, code: str) -> RowError:
        column = KEY_COLUMNS[key]
        return RowError(
            row=parsed.row,
            column=self.context.mapping.header_of(column),
            field=API_FIELDS[column],
            message=message,
            code=code,
        )

    async def _existing(
        self, rows: Sequence[ParsedRow], *, trust_snapshot: bool
    ) -> dict[str, dict[Any, Any]]:
        """Existing customers by each unique key, for the keys these rows carry; the first
        round skips values the import's snapshot of known keys rules out."""
        probes = []
        known = self.context.known if trust_snapshot else None
        for key in KEY_COLUMNS:
            wanted = sorted({r.values[key] for r in rows if r.values.get(key)})
            if known is not None:
                wanted = known.may_exist(key, wanted)
            if not wanted:
                continue
            if self._dialect == "postgresql":
                # One array parameter instead of thousands of placeholders.
                probes.append(
                    CUSTOMERS.c[key] == any_(bindparam(f"wanted_{key}", wanted, ARRAY(String)))
                )
            else:
                probes.append(CUSTOMERS.c[key].in_(wanted))
        found: dict[str, dict[Any, Any]] = {key: {} for key in KEY_COLUMNS}
        if not probes:
            return found
        query = select(*CUSTOMERS.c).where(or_(*probes))
        if self.context.write and self._dialect == "postgresql":
            # In id order, so two batches written at once cannot deadlock on them.
            query = query.order_by(CUSTOMERS.c.id).with_for_update()
        for row in (await self.session.execute(query)).mappings():
            for key in KEY_COLUMNS:
                if row[key] is not None:
                    found[key][row[key]] = row
        return found

    async def _tags(self, customer_ids: Iterable[int]) -> dict[int, set[str]]:
        ids = list(customer_ids)
        tags: dict[int, set[str]] = defaultdict(set)
        if ids:
            result = await self.session.execute(
                select(CustomerTag.customer_id, CustomerTag.tag).where(
                    CustomerTag.customer_id.in_(ids)
                )
            )
            for customer_id, tag in result:
                tags[customer_id].add(tag)
        return tags

    async def run(self, rows: Sequence[ParsedRow]) -> BatchOutcome:
        pending = list(rows)
        for attempt in range(MAX_ROUNDS):
            if not pending:
                break
            pending = await self._round(pending, trust_snapshot=attempt == 0)
        for parsed in pending:
            self.fail(
                parsed,
                [
                    RowError(
                        parsed.row,
                        None,
                        None,
                        "Another import created a customer with "
                        "these details at the same moment; import this row again",
                        "CONFLICT",
                    )
                ],
            )
        return self.outcome

    async def _round(self, rows: list[ParsedRow], *, trust_snapshot: bool) -> list[ParsedRow]:
        """Decide every row; write what is decided; return rows that lost a race."""
        options = self.context.options
        existing = await self._existing(rows, trust_snapshot=trust_snapshot)
        creates: list[ParsedRow] = []
        updates: list[tuple[ParsedRow, Any]] = []
        for parsed in rows:
            matches: dict[int, list[str]] = {}
            for key in options.match_on:
                column = MATCH_COLUMNS[key]
                value = parsed.values.get(column)
                if value and value in existing[column]:
                    matches.setdefault(existing[column][value]["id"], []).append(
                        HEADERS[KEY_COLUMNS[column]].lower()
                    )
            if len(matches) > 1:
                described = "; ".join(
                    f"customer {self._code_of(existing, cid)} by {' and '.join(keys)}"
                    for cid, keys in matches.items()
                )
                self.fail(
                    parsed,
                    [
                        RowError(
                            parsed.row,
                            None,
                            None,
                            f"This row matches two customers: {described}",
                            "AMBIGUOUS",
                        )
                    ],
                )
                continue
            match_id = next(iter(matches), None)
            # Unique values this row would take from a customer it does not match.
            clashes = [
                self._key_error(
                    parsed,
                    key,
                    f"Customer {existing[key][parsed.values[key]]['code']} already has this "
                    f"{HEADERS[KEY_COLUMNS[key]].lower()}",
                    "DUPLICATE",
                )
                for key in KEY_COLUMNS
                if parsed.values.get(key)
                and parsed.values[key] in existing[key]
                and existing[key][parsed.values[key]]["id"] != match_id
            ]
            if match_id is None:
                if clashes:
                    self.fail(parsed, clashes)
                elif parsed.values.get("business_type") is None and (
                    options.default_business_type is None
                ):
                    self.fail(
                        parsed,
                        [
                            RowError(
                                parsed.row,
                                self.context.mapping.header_of(CustomerColumn.BUSINESS_TYPE),
                                "businessType",
                                "A business type is required for a new customer",
                                "REQUIRED",
                            )
                        ],
                    )
                else:
                    creates.append(parsed)
                continue
            current = next(
                existing[MATCH_COLUMNS[k]][parsed.values[MATCH_COLUMNS[k]]]
                for k in options.match_on
                if parsed.values.get(MATCH_COLUMNS[k])
                and parsed.values[MATCH_COLUMNS[k]] in existing[MATCH_COLUMNS[k]]
            )
            if options.on_duplicate is DuplicatePolicy.SKIP:
                self.outcome.counts.skipped += 1
            elif options.on_duplicate is DuplicatePolicy.FAIL:
                keys = " and ".join(matches[match_id])
                self.fail(
                    parsed,
                    [
                        RowError(
                            parsed.row,
                            None,
                            None,
                            f"Customer {current['code']} already exists (same {keys})",
                            "DUPLICATE",
                        )
                    ],
                )
            elif clashes:
                self.fail(parsed, clashes)
            else:
                updates.append((parsed, current))
        await self._apply_updates(updates)
        return await self._apply_creates(creates)

    @staticmethod
    def _code_of(existing: dict[str, dict[Any, Any]], customer_id: int) -> str:
        for rows in existing.values():
            for row in rows.values():
                if row["id"] == customer_id:
                    return row["code"]
        return str(customer_id)

    async def _apply_updates(self, updates: list[tuple[ParsedRow, Any]]) -> None:
        if not updates:
            return
        tags_now = await self._tags(
            current["id"] for parsed, current in updates if "tags" in parsed.values
        )
        groups: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        tag_rows: list[tuple[int, list[str]]] = []
        changes: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for parsed, current in updates:
            wanted = {k: v for k, v in parsed.values.items() if k in UPDATABLE}
            changed = {k: v for k, v in wanted.items() if not _same(k, current[k], v)}
            tags = parsed.values.get("tags")
            tags_changed = tags is not None and set(tags) != tags_now.get(current["id"], set())
            if not changed and not tags_changed:
                self.outcome.counts.unchanged += 1
                continue
            self.outcome.counts.updated += 1
            if not self.context.write:
                continue
            before = {k: _json_value(current[k]) for k in changed}
            if tags_changed:
                before["tags"] = sorted(tags_now.get(current["id"], set()))
                tag_rows.append((current["id"], tags))
            if "credit_limit" in changed:
                history.append(
                    self._history(current["id"], current["credit_limit"], changed["credit_limit"])
                )
            merged = {**dict(current), **changed}
            values = {
                **changed,
                "search_text": customer_search_text(**{k: merged[k] for k in _SEARCH_PARTS}),
                "version": current["version"] + 1,
                "updated_at": self.context.now,
                "import_job_id": self.context.job_id,
            }
            groups[frozenset(values)].append({"_id": current["id"], **values})
            changes.append(
                {
                    "job_id": self.context.job_id,
                    "customer_id": current["id"],
                    "action": ImportAction.UPDATED,
                    "before": before,
                    "version_after": current["version"] + 1,
                }
            )
        for columns, params in groups.items():
            statement = (
                update(CUSTOMERS)
                .where(CUSTOMERS.c.id == bindparam("_id"))
                .values({c: bindparam(c) for c in columns})
            )
            await self.session.execute(
                statement.execution_options(synchronize_session=False), params
            )
        if tag_rows:
            await self.session.execute(
                delete(CustomerTag).where(CustomerTag.customer_id.in_([cid for cid, _ in tag_rows]))
            )
            await self._insert_tags(tag_rows)
        await self._insert(CreditLimitHistory.__table__, history)
        await self._insert(CustomerImportChange.__table__, changes)

    def _history(self, customer_id: int, old: Any, new: Any) -> dict[str, Any]:
        return {
            "customer_id": customer_id,
            "old_limit": old,
            "new_limit": new,
            "reason": f"import {self.context.job_id}",
            "changed_by_id": self.context.actor_id,
            "changed_at": self.context.now,
        }

    async def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(table), rows)

    async def _insert_tags(self, tag_rows: list[tuple[int, list[str]]]) -> None:
        await insert_rows(
            self.session,
            CustomerTag.__table__,
            ("customer_id", "tag"),
            [(cid, tag) for cid, tags in tag_rows for tag in tags],
        )

    def _new_customer(self, parsed: ParsedRow, code: str) -> dict[str, Any]:
        v = parsed.values
        options = self.context.options
        row = {
            "code": code,
            "name": v["name"],
            "business_type": v.get("business_type") or options.default_business_type,
            "status": v.get("status") or CustomerStatus.ACTIVE,
            "email": v.get("email"),
            "phone": v.get("phone"),
            "tax_id": v.get("tax_id"),
            "address_line1": v.get("address_line1"),
            "address_line2": v.get("address_line2"),
            "city": v.get("city"),
            "state": v.get("state"),
            "postal_code": v.get("postal_code"),
            "country": v.get("country") or "IN",
            "owner_id": v.get("owner_id", self.context.actor_id),
            "credit_limit": v.get("credit_limit"),
            "credit_outstanding": Decimal("0.00"),
            "version": 1,
            "created_at": v.get("created_at") or self.context.now,
            "updated_at": self.context.now,
            "import_job_id": self.context.job_id,
        }
        row["search_text"] = customer_search_text(**{k: row[k] for k in _SEARCH_PARTS})
        return row

    async def _apply_creates(self, creates: list[ParsedRow]) -> list[ParsedRow]:
        if not creates:
            return []
        if not self.context.write:
            self.outcome.counts.created += len(creates)
            return []
        without_code = [p for p in creates if not p.values.get("code")]
        numbers = iter(await reserve_numbers(self.session, CUSTOMER, len(without_code)))
        codes = {id(p): p.values.get("code") or next(numbers) for p in creates}
        rows = {codes[id(p)]: self._new_customer(p, codes[id(p)]) for p in creates}
        inserted = await insert_rows(
            self.session,
            CUSTOMERS,
            _CREATE_COLUMNS,
            [_create_values(row) for row in rows.values()],
            skip_conflicts=True,
            returning=("id", "code"),
        )
        created = {code: customer_id for customer_id, code in inserted}
        lost: list[ParsedRow] = []
        tag_rows: list[tuple[int, list[str]]] = []
        new: list[tuple[int, Any]] = []
        for parsed in creates:
            code = codes[id(parsed)]
            customer_id = created.get(code)
            if customer_id is None:
                lost.append(parsed)
                continue
            new.append((customer_id, rows[code]["credit_limit"]))
            if parsed.values.get("tags"):
                tag_rows.append((customer_id, parsed.values["tags"]))
        self.outcome.counts.created += len(new)
        await self._insert_tags(tag_rows)
        await self._record_creations(new)
        return lost

    async def _record_creations(self, new: list[tuple[int, Any]]) -> None:
        """The credit history and undo records of new customers (id, credit limit)."""
        context = self.context
        await insert_rows(
            self.session,
            CreditLimitHistory.__table__,
            ("customer_id", "old_limit", "new_limit", "reason", "changed_by_id", "changed_at"),
            [
                (
                    customer_id,
                    None,
                    limit,
                    f"import {context.job_id}",
                    context.actor_id,
                    context.now,
                )
                for customer_id, limit in new
                if limit is not None
            ],
        )
        await insert_rows(
            self.session,
            CustomerImportChange.__table__,
            ("job_id", "customer_id", "action", "version_after"),
            [(context.job_id, customer_id, ImportAction.CREATED, 1) for customer_id, _ in new],
        )


async def record_row_errors(
    session: AsyncSession, *, job_id: int, errors: Sequence[RowError]
) -> None:
    await insert_rows(
        session,
        ImportRowError.__table__,
        ("job_id", "row", "column", "field", "message", "code"),
        [
            (
                job_id,
                e.row,
                e.column[:200] if e.column else None,
                e.field,
                e.message[:500],
                e.code,
            )
            for e in errors
        ],
    )

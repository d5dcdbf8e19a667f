"""Customer rows and their tags, generated last in a chunk but inserted first.

A customer's credit limit (and, where the model caches it, its outstanding) is sized from
the orders and payments generated for it, so the customer rows wait for those; the chunk
still lists them first because every document references its customer.
"""

from __future__ import annotations

import numpy as np

from models import Customer
from resolvers.numbering import CUSTOMER, format_number
from resolvers.search import customer_search_text
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.credit import credit_limits
from scripts.demo_data.identity import PAN_SPACE, business_email, gstin, slug
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import BUSINESS_TYPES, ENT, IND, SB, STATUSES, TAG_P, TAGS
from scripts.demo_data.vocabulary import (
    EMAIL_DOMAINS,
    ENT_INDUSTRIES,
    ENT_PREFIXES,
    ENT_SUFFIXES,
    FIRST_NAMES,
    GOV_BODIES,
    LANDMARKS,
    LAST_NAMES,
    ROADS,
    SB_INDUSTRIES,
    SB_PREFIXES,
    SB_SUFFIXES,
    STATES,
)

CUSTOMER_COLUMNS = (
    "id", "code", "name", "business_type", "status", "email", "phone", "tax_id",
    "address_line1", "address_line2", "city", "state", "postal_code", "country", "owner_id",
    "credit_limit", "search_text", "version", "created_at", "updated_at",
)  # fmt: skip
# ``customers.credit_outstanding`` caches Σ (order total − payments) over orders not
# cancelled (resolvers/credit.py); filled in whenever the model has it.
CACHES_OUTSTANDING = "credit_outstanding" in Customer.__table__.c
if CACHES_OUTSTANDING:
    CUSTOMER_COLUMNS = (*CUSTOMER_COLUMNS, "credit_outstanding")


def add_customers(
    ctx: ChunkContext,
    rng: np.random.Generator,
    v: ChunkView,
    outstanding: np.ndarray,
    tables: list[Table],
    counts: dict[str, int],
) -> np.ndarray:
    """Customers and their tags; returns each customer's credit limit (-1 for none)."""
    n = v.n
    enc = ctx.encoder
    first = rng.integers(0, len(FIRST_NAMES), n).tolist()
    last = rng.integers(0, len(LAST_NAMES), n).tolist()
    pattern = rng.integers(0, 4, n).tolist()
    picks = rng.integers(0, 1 << 30, (n, 6)).tolist()
    has_email = (rng.random(n) >= np.where(v.btype == IND, 0.15, 0.05)).tolist()
    has_phone = (rng.random(n) >= 0.02).tolist()
    has_line2 = (rng.random(n) < 0.45).tolist()
    gst_individual = (rng.random(n) < 0.10).tolist()
    phones = (rng.integers(6, 10, n) * 1_000_000_000 + rng.integers(0, 1_000_000_000, n)).tolist()
    pan_core = (
        (np.arange(v.lo, v.hi, dtype=np.int64) * 104_729 + ctx.seed * 7_919 % PAN_SPACE) % PAN_SPACE
    ).tolist()

    limit = credit_limits(rng, v.btype, outstanding)
    tag_hits = rng.random((n, len(TAGS))) < TAG_P[v.btype]

    created = enc.ts(v.created_ts)
    credit = enc.money(limit, limit >= 0)
    extra = [(x,) for x in enc.money(outstanding)] if CACHES_OUTSTANDING else [()] * n
    owners = v.owner_ids.tolist()
    ids = v.ids.tolist()
    rows = []
    for k in range(n):
        t = int(v.btype[k])
        state_name, gst_code, _w, estate, cities = STATES[v.state[k]]
        city, pin = cities[v.city[k]]
        number = int(v.numbers[k])
        code = format_number(CUSTOMER, number)
        p = picks[k]
        fn, ln = FIRST_NAMES[first[k]], LAST_NAMES[last[k]]
        if t == IND:
            name = f"{fn} {ln}"
            email = f"{slug(fn)}.{slug(ln)}{number}@{EMAIL_DOMAINS[p[0] % 5]}"
            line1 = f"{p[1] % 300 + 1}, {ROADS[p[2] % len(ROADS)]}"
            entity = "P"
        elif t == SB:
            industry = SB_INDUSTRIES[p[0] % len(SB_INDUSTRIES)]
            suffix = SB_SUFFIXES[p[3] % len(SB_SUFFIXES)]
            if pattern[k] == 0:
                name = f"{ln} {industry}{suffix}"
            elif pattern[k] == 1:
                name = f"{SB_PREFIXES[p[4] % len(SB_PREFIXES)]} {industry}{suffix}"
            elif pattern[k] == 2:
                name = f"{fn} {industry}{suffix}"
            else:
                name = f"{city} {industry}{suffix}"
            email = business_email(name, number, p)
            line1 = f"Plot No. {p[1] % 400 + 1}, {estate}"
            entity = "FCP"[p[5] % 3]
        elif t == ENT:
            prefix = ENT_PREFIXES[p[0] % len(ENT_PREFIXES)]
            industry = ENT_INDUSTRIES[p[4] % len(ENT_INDUSTRIES)]
            name = f"{prefix} {industry}{ENT_SUFFIXES[p[3] % len(ENT_SUFFIXES)]}"
            email = business_email(name, number, p)
            line1 = f"Plot No. {p[1] % 120 + 1}, {estate}"
            entity = "C"
        else:
            template, mailbox = GOV_BODIES[p[0] % len(GOV_BODIES)]
            name = template.format(city=city, state=state_name)
            email = f"{mailbox}.{number}@{slug(state_name)}.gov.in"
            line1 = f"Office Complex, {ROADS[p[2] % len(ROADS)]}"
            entity = "G"
        if not has_email[k]:
            email = None
        phone = f"+91{phones[k]}" if has_phone[k] else None
        if t != IND or gst_individual[k]:
            tax_id = gstin(gst_code, pan_core[k], entity, ln if t == IND else name, p[5])
        else:
            tax_id = None
        line2 = (
            (LANDMARKS[p[3] % len(LANDMARKS)] if t == IND else f"Sector {p[4] % 30 + 1}")
            if has_line2[k]
            else None
        )
        postal = f"{pin}{p[2] % 1000:03d}"
        search = customer_search_text(name=name, code=code, email=email, phone=phone, tax_id=tax_id)
        rows.append(
            (ids[k], code, name, BUSINESS_TYPES[t].value, STATUSES[v.status[k]].value,
             email, phone, tax_id, line1, line2, city, state_name, postal, "IN", owners[k],
             credit[k], search, 1, created[k], created[k], *extra[k])
        )  # fmt: skip
    tables.append(("customers", CUSTOMER_COLUMNS, rows))
    counts["customers"] = n

    who, which = np.nonzero(tag_hits)
    tag_rows = list(zip(v.ids[who].tolist(), [TAGS[j] for j in which.tolist()], strict=True))
    tables.append(("customer_tags", ("customer_id", "tag"), tag_rows))
    return limit

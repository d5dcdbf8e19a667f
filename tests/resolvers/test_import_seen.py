"""The compact set of values an import has met answers exactly as a dict would."""

from __future__ import annotations

import random

from resolvers.import_seen import SeenValues


def test_each_value_reports_the_row_it_first_appeared_on_across_and_within_batches():
    seen, reference, row = SeenValues(), {}, 1
    rng = random.Random(8)
    for _ in range(60):  # enough batches to merge runs several times
        hashes, rows, expected = [], [], []
        for _ in range(rng.randint(0, 200)):
            row += 1
            value = rng.randint(-(2**63), -(2**63) + 3000)  # many repeats, extreme hashes
            hashes.append(value)
            rows.append(row)
            expected.append(reference.get(value))
            reference.setdefault(value, row)
        assert seen.first_rows(hashes, rows) == expected


def test_memory_grows_by_sixteen_bytes_per_distinct_value():
    seen = SeenValues()
    seen.first_rows(list(range(10_000)), list(range(10_000)))
    assert seen.nbytes == 10_000 * 16

"""The import's snapshot of existing keys rules out values, never rules out a real one."""

from __future__ import annotations

import numpy as np

from resolvers.import_known_keys import KnownKeys, key_hash


def test_values_of_existing_customers_may_exist_and_others_are_ruled_out():
    known = KnownKeys(np.array([key_hash("code", "ACM-1"), key_hash("email", "a@x.in")]))
    assert known.may_exist("code", ["ACM-1", "ACM-2"]) == ["ACM-1"]
    assert known.may_exist("email", ["a@x.in", "b@x.in"]) == ["a@x.in"]


def test_a_value_is_known_only_under_its_own_key():
    known = KnownKeys(np.array([key_hash("code", "SAME")]))
    assert known.may_exist("tax_id", ["SAME"]) == []


def test_an_empty_snapshot_rules_out_everything():
    assert KnownKeys(np.empty(0, dtype=np.int64)).may_exist("code", ["ANY"]) == []

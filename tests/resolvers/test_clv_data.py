"""RFM summaries and scoring for the lifetime-value model, on plain arrays."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from models.enums import RiskLevel
from resolvers.clv_data import purchase_days_from_rows, summarise
from resolvers.clv_scoring import HEURISTIC_MODEL, ClvConfig, score

D = dt.date(2025, 1, 1)


def day(offset: int) -> dt.date:
    return D + dt.timedelta(days=offset)


def test_summarise_counts_repeat_purchase_days_and_excludes_the_first_from_monetary():
    # given customer 1: day 0 (two orders, 100 + 50), day 14 (30), day 28 (90); customer 2: once
    rows = [
        (1, day(14), 30.0, 1),
        (1, day(0), 150.0, 2),
        (1, day(28), 90.0, 1),
        (2, day(7), 500.0, 1),
        (1, day(100), 999.0, 1),  # after the calibration end
    ]

    # when
    rfm = summarise(purchase_days_from_rows(rows), day(35))

    # then
    assert rfm.customer_ids.tolist() == [1, 2]
    assert rfm.frequency.tolist() == [2.0, 0.0]
    assert rfm.recency.tolist() == pytest.approx([4.0, 0.0])
    assert rfm.T.tolist() == pytest.approx([5.0, 4.0])
    assert rfm.monetary.tolist() == pytest.approx([60.0, 0.0])
    assert rfm.revenue.tolist() == pytest.approx([270.0, 500.0])
    assert rfm.orders.tolist() == [4, 1]


def test_heuristic_marks_an_overdue_customer_riskier_than_one_within_their_rhythm():
    # given two customers buying every 2 weeks; one stopped 20 weeks ago
    rows = [(1, day(14 * i), 100.0, 1) for i in range(10)]
    rows += [(2, day(14 * i), 100.0, 1) for i in range(4)]
    rfm = summarise(purchase_days_from_rows(rows), day(14 * 10))

    # when
    scores = score(rfm, None, ClvConfig())

    # then
    assert scores.model == HEURISTIC_MODEL
    assert scores.probability_alive[0] == pytest.approx(1.0)
    assert scores.probability_alive[1] < 0.01
    assert scores.risk_levels == [RiskLevel.LOW, RiskLevel.HIGH]
    assert scores.expected_purchases[0] == pytest.approx(26.0)
    assert np.all(scores.predicted_value >= 0)

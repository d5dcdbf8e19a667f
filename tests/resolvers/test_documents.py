"""Money arithmetic and the status machines of quotations and orders, without a database."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from models.enums import OrderStatus, QuotationStatus
from resolvers import orders, quotations
from resolvers.documents import check_transition
from resolvers.errors import DomainError
from resolvers.money import (
    discounted_unit_price,
    document_total,
    line_total,
    round_money,
)

QS = QuotationStatus
OS = OrderStatus

# The rules, stated once here as the specification the tables in resolvers/ must match.
QUOTATION_MOVES = {
    (QS.DRAFT, QS.SENT),
    (QS.SENT, QS.ACCEPTED),
    (QS.SENT, QS.REJECTED),
    (QS.SENT, QS.EXPIRED),
}
ORDER_MOVES = {
    (OS.CONFIRMED, OS.SHIPPED),
    (OS.CONFIRMED, OS.CANCELLED),
    (OS.SHIPPED, OS.DELIVERED),
    (OS.SHIPPED, OS.CANCELLED),
}
ALL_QUOTATION_PAIRS = list(itertools.product(QuotationStatus, repeat=2))
ALL_ORDER_PAIRS = list(itertools.product(OrderStatus, repeat=2))


def _pair_id(pair: tuple[object, object]) -> str:
    return "->".join(str(s) for s in pair)


# --- money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("2.345", "2.35"),
        ("2.344", "2.34"),
        ("2.355", "2.36"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("-2.345", "-2.35"),
        ("1250", "1250.00"),
        ("1250.5", "1250.50"),
    ],
)
def test_round_money_rounds_half_up_to_two_decimals(amount, rounded):
    assert str(round_money(Decimal(amount))) == rounded


def test_round_money_differs_from_bankers_rounding_on_an_even_cent():
    # given 2.345: half-even would keep the even 4, half-up goes to 5
    # when / then
    assert round_money(Decimal("2.345")) == Decimal("2.35")


def test_discounted_unit_price_without_discount_is_the_list_price():
    assert str(discounted_unit_price(Decimal("1250.00"), Decimal("0"))) == "1250.00"


def test_discounted_unit_price_rounds_the_discounted_price_half_up():
    # 4.69 at 50 % is 2.345
    assert discounted_unit_price(Decimal("4.69"), Decimal("50")) == Decimal("2.35")


def test_discounted_unit_price_rounds_down_below_half_a_cent():
    # 999.99 at 12.5 % is 874.99125
    assert discounted_unit_price(Decimal("999.99"), Decimal("12.5")) == Decimal("874.99")


def test_line_total_is_unit_price_times_quantity_with_two_decimals():
    assert str(line_total(Decimal("199.99"), 3)) == "599.97"


def test_document_total_of_no_lines_is_zero_with_two_decimals():
    assert str(document_total([])) == "0.00"


def test_document_total_is_the_sum_of_the_rounded_lines():
    # given two lines whose unrounded amounts (7.035 + 0.555 = 7.59) would total differently
    first = line_total(discounted_unit_price(Decimal("4.69"), Decimal("50")), 3)  # 2.35 × 3
    second = line_total(discounted_unit_price(Decimal("1.11"), Decimal("50")), 1)  # 0.56 × 1
    # when
    total = document_total([first, second])
    # then
    assert (first, second, total) == (Decimal("7.05"), Decimal("0.56"), Decimal("7.61"))


# --- quotation status machine ------------------------------------------------------------


def test_quotation_transitions_are_draft_to_sent_then_accepted_rejected_or_expired():
    table = {(a, b) for a, targets in quotations.TRANSITIONS.items() for b in targets}
    assert table == QUOTATION_MOVES


@pytest.mark.parametrize("pair", sorted(QUOTATION_MOVES), ids=_pair_id)
def test_check_transition_allows_a_valid_quotation_move(pair):
    check_transition(quotations.TRANSITIONS, *pair, what="quotation")


@pytest.mark.parametrize(
    "pair", [p for p in ALL_QUOTATION_PAIRS if p not in QUOTATION_MOVES], ids=_pair_id
)
def test_check_transition_refuses_an_invalid_quotation_move(pair):
    with pytest.raises(DomainError) as refused:
        check_transition(quotations.TRANSITIONS, *pair, what="quotation")
    assert (refused.value.code, refused.value.field) == ("INVALID_TRANSITION", "status")


def test_refused_quotation_move_names_the_allowed_targets():
    with pytest.raises(DomainError) as refused:
        check_transition(quotations.TRANSITIONS, QS.SENT, QS.DRAFT, what="quotation")
    assert refused.value.message == (
        "This quotation cannot go from SENT to DRAFT (allowed: ACCEPTED, EXPIRED, REJECTED)"
    )


@pytest.mark.parametrize("final", [QS.ACCEPTED, QS.REJECTED, QS.EXPIRED])
def test_refused_move_out_of_a_final_quotation_status_says_it_is_final(final):
    with pytest.raises(DomainError) as refused:
        check_transition(quotations.TRANSITIONS, final, QS.SENT, what="quotation")
    assert refused.value.message.endswith("(it is final)")


# --- order status machine ----------------------------------------------------------------


def test_order_transitions_are_confirmed_shipped_delivered_or_cancelled_before_delivery():
    table = {(a, b) for a, targets in orders.TRANSITIONS.items() for b in targets}
    assert table == ORDER_MOVES


@pytest.mark.parametrize("pair", sorted(ORDER_MOVES), ids=_pair_id)
def test_check_transition_allows_a_valid_order_move(pair):
    check_transition(orders.TRANSITIONS, *pair, what="order")


@pytest.mark.parametrize("pair", [p for p in ALL_ORDER_PAIRS if p not in ORDER_MOVES], ids=_pair_id)
def test_check_transition_refuses_an_invalid_order_move(pair):
    with pytest.raises(DomainError) as refused:
        check_transition(orders.TRANSITIONS, *pair, what="order")
    assert (refused.value.code, refused.value.field) == ("INVALID_TRANSITION", "status")


def test_a_delivered_order_cannot_be_cancelled():
    with pytest.raises(DomainError) as refused:
        check_transition(orders.TRANSITIONS, OS.DELIVERED, OS.CANCELLED, what="order")
    assert refused.value.message == "This order cannot go from DELIVERED to CANCELLED (it is final)"

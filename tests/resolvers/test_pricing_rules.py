"""Which segment pricing rule wins a line, without a database."""

from __future__ import annotations

from decimal import Decimal

from resolvers.pricing_rules import CandidateRule, choose_rule


def rule(
    id: int, discount: str, *, priority: int = 0, category: str | None = None, min_qty: int = 1
) -> CandidateRule:
    return CandidateRule(
        id=id,
        product_category=category,
        discount_percent=Decimal(discount),
        min_quantity=min_qty,
        priority=priority,
    )


def test_no_rule_applies_to_an_empty_list():
    assert choose_rule([], category="Lathes", quantity=1) is None


def test_higher_priority_wins_over_a_larger_discount():
    chosen = choose_rule([rule(1, "20"), rule(2, "5", priority=1)], category="Lathes", quantity=1)
    assert chosen.id == 2


def test_larger_discount_wins_at_equal_priority():
    chosen = choose_rule([rule(1, "5"), rule(2, "7.5")], category="Lathes", quantity=1)
    assert chosen.id == 2


def test_older_rule_wins_a_full_tie():
    chosen = choose_rule([rule(9, "5"), rule(4, "5")], category="Lathes", quantity=1)
    assert chosen.id == 4


def test_rule_of_another_category_does_not_apply():
    chosen = choose_rule([rule(1, "10", category="Pumps")], category="Lathes", quantity=1)
    assert chosen is None


def test_rule_without_category_applies_to_every_product():
    chosen = choose_rule([rule(1, "10")], category="Pumps", quantity=1)
    assert chosen.id == 1


def test_rule_applies_from_its_minimum_quantity():
    rules = [rule(1, "10", min_qty=5)]
    assert choose_rule(rules, category="Pumps", quantity=4) is None
    assert choose_rule(rules, category="Pumps", quantity=5).id == 1

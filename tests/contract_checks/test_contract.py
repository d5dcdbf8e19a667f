"""The contract: which frontend operations validate against our schema, and that our copy
of the contract is the frontend's current one."""

from __future__ import annotations

import filecmp

import pytest
from graphql import parse, validate

from schema.root import schema
from tests.contract_checks.operations import CONTRACT, SHARED_CONTRACT, operation, operation_names

# Operations that validate today. This list only grows: a capability that lands adds its
# operations here, and removing one means the API broke the frontend.
VALIDATING = {
    "Login",
    "Me",
    "Products",
    "Users",
    "CustomerList",
    "CreateCustomer",
    "UpdateCustomer",
    "CreateQuotation",
    "UpdateQuotationStatus",
    "CreateOrder",
    "RecordPayment",
    "JobProgress",
    "UpdateCreditLimit",
    "CreditAlerts",
    "CreditCheck",
    "CreditAlertFeed",
    "Segments",
    "CrmAnalytics",
    "SegmentAnalytics",
    "SegmentComparison",
    "SegmentationRules",
    "CreateSegmentationRule",
    "CategorizeCustomer",
    "BulkCategorizeCustomers",
    "CreateSegmentPricingRule",
    "PriceQuote",
    "LogInteraction",
    "UpdateInteraction",
    "MyTasks",
    "CreateFollowUpTask",
    "CompleteFollowUpTask",
    "CustomerPage",
    "CustomerDashboard",
    "CalculateLifetimeValue",
    "ClvModel",
    "ImportCustomers",
    "ImportJob",
    "ExportCustomers",
    "ExportJob",
}


def _errors(name: str) -> list[str]:
    return [e.message for e in validate(schema._schema, parse(operation(name)))]


@pytest.mark.parametrize("name", sorted(VALIDATING))
def test_contract_operation_validates_against_the_schema(name):
    assert _errors(name) == []


def test_every_listed_operation_exists_in_the_contract():
    assert set(operation_names()) >= VALIDATING


def test_operations_not_yet_listed_do_not_validate():
    """Keeps VALIDATING honest: an operation that starts validating must be listed (and
    tested for behaviour) rather than pass unnoticed."""
    newly_valid = [n for n in operation_names() if n not in VALIDATING and not _errors(n)]
    assert newly_valid == []


@pytest.mark.skipif(not SHARED_CONTRACT.is_dir(), reason="no ../shared/contract beside the repo")
def test_contract_copy_matches_the_shared_contract():
    shared = SHARED_CONTRACT / CONTRACT.name
    assert filecmp.cmp(shared, CONTRACT, shallow=False), (
        f"{CONTRACT} differs from {shared}: copy the frontend's operations and make them pass"
    )

"""The role matrix (DESIGN.md §6), read back from the schema and the role table.

Every root field names its requirement through a permission class: ``allowed(Action.X)``
(the roles ``resolvers.roles.PERMISSIONS`` grants for X) or ``SignedIn`` (any role). The
expected outcome of every (field, caller) pair below is derived from that table, so the
rule is stated once; a new field without a permission, or without a request in
``REQUESTS``, fails here.
"""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse
from strawberry.types.field import StrawberryField

from models.enums import Role
from resolvers.roles import PERMISSIONS
from schema.permissions import RoleAllows, SignedIn
from schema.root import schema
from tests.support import error_codes

PUBLIC = {"login"}
"""Fields anyone may call without signing in."""

MISSING = "999999"

# One minimal, valid-shaped request per root field. Ids point at nothing, so an allowed
# caller gets a payload error or null, never a permission error.
REQUESTS: dict[str, str] = {
    # queries
    "customers": "{ customers(first: 1) { totalCount } }",
    "customer": f'{{ customer(id: "{MISSING}") {{ id }} }}',
    "quotation": f'{{ quotation(id: "{MISSING}") {{ id }} }}',
    "order": f'{{ order(id: "{MISSING}") {{ id }} }}',
    "products": "{ products(first: 1) { totalCount } }",
    "me": "{ me { id } }",
    "users": "{ users(first: 1) { totalCount } }",
    "job": f'{{ job(id: "{MISSING}") {{ id }} }}',
    "creditLimitAlerts": "{ creditLimitAlerts(first: 1) { totalCount } }",
    "creditCheck": f'{{ creditCheck(customerId: "{MISSING}", amount: "1.00") {{ allowed }} }}',
    "followUpTasks": "{ followUpTasks(first: 1) { totalCount } }",
    "crmAnalytics": "{ crmAnalytics { newCustomers } }",
    # segmentation and segment pricing
    "segments": "{ segments { id customerCount } }",
    "segment": f'{{ segment(id: "{MISSING}") {{ id }} }}',
    "segmentationRules": "{ segmentationRules { id } }",
    "segmentationFields": "{ segmentationFields { name } }",
    "segmentPerformanceComparison": "{ segmentPerformanceComparison(kind: VOLUME) { growthRate } }",
    "priceQuote": f"""{{ priceQuote(customerId: "{MISSING}",
        items: [{{ productId: "{MISSING}", quantity: 1 }}]) {{ total }} }}""",
    # mutations
    "login": """mutation { login(email: "nobody@sanvi.test", password: "wrong password") {
        token errors { code } } }""",
    "createCustomer": """mutation { createCustomer(input: {
        name: "Matrix Traders", businessType: SMALL_BUSINESS }) {
        customer { id } errors { code } } }""",
    "updateCustomer": f"""mutation {{ updateCustomer(input: {{ id: "{MISSING}", name: "X" }}) {{
        customer {{ id }} errors {{ code }} }} }}""",
    "createQuotation": f"""mutation {{ createQuotation(input: {{ customerId: "{MISSING}",
        lines: [{{ productId: "{MISSING}", quantity: 1 }}] }}) {{
        quotation {{ id }} errors {{ code }} }} }}""",
    "updateQuotationStatus": f"""mutation {{ updateQuotationStatus(input: {{
        id: "{MISSING}", status: SENT }}) {{ quotation {{ id }} errors {{ code }} }} }}""",
    "createOrder": f"""mutation {{ createOrder(input: {{ customerId: "{MISSING}",
        lines: [{{ productId: "{MISSING}", quantity: 1 }}] }}) {{
        order {{ id }} errors {{ code }} }} }}""",
    "updateOrderStatus": f"""mutation {{ updateOrderStatus(input: {{
        id: "{MISSING}", status: SHIPPED }}) {{ order {{ id }} errors {{ code }} }} }}""",
    "recordPayment": f"""mutation {{ recordPayment(input: {{
        orderId: "{MISSING}", amount: "1.00", method: CASH }}) {{
        payment {{ id }} errors {{ code }} }} }}""",
    "updateCreditLimit": f"""mutation {{ updateCreditLimit(input: {{
        customerId: "{MISSING}", newLimit: "1000.00", reason: "matrix" }}) {{
        change {{ id }} errors {{ code }} }} }}""",
    "createSegment": """mutation { createSegment(input: { name: "Matrix" }) {
        segment { id } errors { code } } }""",
    "updateSegment": f"""mutation {{ updateSegment(input: {{ id: "{MISSING}", name: "X" }}) {{
        segment {{ id }} errors {{ code }} }} }}""",
    "deleteSegment": f"""mutation {{ deleteSegment(id: "{MISSING}") {{
        deletedId errors {{ code }} }} }}""",
    "addCustomersToSegment": f"""mutation {{ addCustomersToSegment(input: {{
        segmentId: "{MISSING}", customerIds: ["{MISSING}"] }}) {{
        changed errors {{ code }} }} }}""",
    "removeCustomersFromSegment": f"""mutation {{ removeCustomersFromSegment(input: {{
        segmentId: "{MISSING}", customerIds: ["{MISSING}"] }}) {{
        changed errors {{ code }} }} }}""",
    "createSegmentationRule": f"""mutation {{ createSegmentationRule(input: {{
        name: "X", segmentId: "{MISSING}",
        conditions: [{{ field: "state", operator: EQ, value: "Goa" }}] }}) {{
        rule {{ id }} errors {{ code }} }} }}""",
    "updateSegmentationRule": f"""mutation {{ updateSegmentationRule(input: {{
        id: "{MISSING}", priority: 1 }}) {{ rule {{ id }} errors {{ code }} }} }}""",
    "deactivateSegmentationRule": f"""mutation {{ deactivateSegmentationRule(id: "{MISSING}") {{
        rule {{ id }} errors {{ code }} }} }}""",
    "deleteSegmentationRule": f"""mutation {{ deleteSegmentationRule(id: "{MISSING}") {{
        deletedId errors {{ code }} }} }}""",
    "clvModel": "{ clvModel { fittedAt } }",
    "calculateLifetimeValue": f"""mutation {{ calculateLifetimeValue(customerId: "{MISSING}") {{
        lifetimeValue {{ model }} errors {{ code }} }} }}""",
    "recalculateLifetimeValues": """mutation { recalculateLifetimeValues {
        job { id } errors { code } } }""",
    # customer export
    "exportCustomers": """mutation { exportCustomers(format: CSV, fields: [CODE]) {
        job { id } errors { code } } }""",
    "exportJob": f'{{ exportJob(id: "{MISSING}") {{ id }} }}',
    "importJob": f'{{ importJob(id: "{MISSING}") {{ id }} }}',
    # A string where the upload goes: allowed callers get a payload error, not a file.
    "importCustomers": """mutation { importCustomers(file: "not a file") {
        job { id } errors { code } } }""",
    "undoImport": f"""mutation {{ undoImport(jobId: "{MISSING}") {{
        removedCount errors {{ code }} }} }}""",
    "categorizeCustomer": f"""mutation {{ categorizeCustomer(customerId: "{MISSING}") {{
        customer {{ id }} errors {{ code }} }} }}""",
    "bulkCategorizeCustomers": """mutation { bulkCategorizeCustomers(filter: {
        search: "nobody" }) { processed errors { code } } }""",
    "createSegmentPricingRule": f"""mutation {{ createSegmentPricingRule(input: {{
        name: "X", segmentId: "{MISSING}", discountPercent: "5" }}) {{
        rule {{ id }} errors {{ code }} }} }}""",
    "updateSegmentPricingRule": f"""mutation {{ updateSegmentPricingRule(input: {{
        id: "{MISSING}", priority: 1 }}) {{ rule {{ id }} errors {{ code }} }} }}""",
    "deactivateSegmentPricingRule": f"""mutation {{ deactivateSegmentPricingRule(id: "{MISSING}") {{
        rule {{ id }} errors {{ code }} }} }}""",
    # interactions and follow-up tasks
    "createInteraction": f"""mutation {{ createInteraction(input: {{ customerId: "{MISSING}",
        kind: CALL, subject: "Matrix call" }}) {{ interaction {{ id }} errors {{ code }} }} }}""",
    "updateInteraction": f"""mutation {{ updateInteraction(input: {{ id: "{MISSING}",
        outcome: "x" }}) {{ interaction {{ id }} errors {{ code }} }} }}""",
    "createFollowUpTask": f"""mutation {{ createFollowUpTask(input: {{ customerId: "{MISSING}",
        title: "Matrix task", dueAt: "2030-01-01T09:00:00+05:30" }}) {{
        task {{ id }} errors {{ code }} }} }}""",
    "completeFollowUpTask": f"""mutation {{ completeFollowUpTask(id: "{MISSING}",
        outcome: "done") {{ task {{ id }} errors {{ code }} }} }}""",
    "reassignFollowUpTask": f"""mutation {{ reassignFollowUpTask(id: "{MISSING}",
        assigneeId: "{MISSING}") {{ task {{ id }} errors {{ code }} }} }}""",
    "cancelFollowUpTask": f"""mutation {{ cancelFollowUpTask(id: "{MISSING}",
        reason: "matrix") {{ task {{ id }} errors {{ code }} }} }}""",
    # users, API keys and the audit log
    "createUser": """mutation { createUser(input: { email: "matrix-user@sanvi.co.in",
        name: "Matrix User", role: VIEWER, password: "matrix password 1" }) {
        user { id } errors { code } } }""",
    "updateUser": f"""mutation {{ updateUser(input: {{ id: "{MISSING}", name: "X" }}) {{
        user {{ id }} errors {{ code }} }} }}""",
    "apiKeys": "{ apiKeys(first: 1) { totalCount } }",
    "createApiKey": """mutation { createApiKey(input: { name: "Matrix", role: VIEWER }) {
        apiKey { id } errors { code } } }""",
    "revokeApiKey": f"""mutation {{ revokeApiKey(id: "{MISSING}") {{
        apiKey {{ id }} errors {{ code }} }} }}""",
    "auditLog": "{ auditLog(first: 1) { totalCount } }",
}


def _root_fields(*roots: str) -> dict[str, StrawberryField]:
    fields = {}
    for root in roots:
        definition = schema.get_type_by_name(root)
        for field in definition.fields if definition else []:
            fields[schema.config.name_converter.get_graphql_name(field)] = field
    return fields


FIELDS = _root_fields("Query", "Mutation")
"""The fields the matrix below calls over HTTP."""
SUBSCRIPTION_FIELDS = _root_fields("Subscription")
"""Streamed over WebSocket: their matrix is tests/platform/test_subscription_roles.py."""
CALLERS: list[Role | None] = [*Role, None]  # None: an anonymous caller


def allowed_roles(field_name: str) -> frozenset[Role] | None:
    """The roles the schema lets call a field; None for a public field.

    ``SignedIn`` narrows nothing (any role); each ``allowed(Action.X)`` narrows to the
    roles ``PERMISSIONS`` grants for X.
    """
    classes = {**FIELDS, **SUBSCRIPTION_FIELDS}[field_name].permission_classes
    if not classes:
        return None
    roles = frozenset(Role)
    for permission in classes:
        if issubclass(permission, RoleAllows):
            roles &= PERMISSIONS[permission.action]
    return roles


def expected_outcome(field_name: str, caller: Role | None) -> str | None:
    """The top-level error code a caller gets from a field, or None when let through."""
    roles = allowed_roles(field_name)
    if roles is None:
        return None
    if caller is None:
        return "UNAUTHENTICATED"
    return None if caller in roles else "FORBIDDEN"


def _fields_where(wanted: str | None) -> list[str]:
    """The fields at least one caller gets ``wanted`` from."""
    return [n for n in FIELDS if any(expected_outcome(n, c) == wanted for c in CALLERS)]


@pytest.mark.parametrize("name", sorted({**FIELDS, **SUBSCRIPTION_FIELDS}))
def test_every_root_field_except_login_declares_a_permission(name):
    classes = {**FIELDS, **SUBSCRIPTION_FIELDS}[name].permission_classes
    if name in PUBLIC:
        assert classes == []
    else:
        assert classes, f"{name} has no permission class: add allowed(Action.X) or SignedIn"
        assert all(issubclass(c, RoleAllows) or c is SignedIn for c in classes)


def test_me_needs_only_a_signed_in_caller():
    assert FIELDS["me"].permission_classes == [SignedIn]


def test_the_matrix_has_a_request_for_every_query_and_mutation():
    assert set(REQUESTS) == set(FIELDS)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_each_matrix_request_calls_only_its_own_field(name):
    [operation] = parse(REQUESTS[name]).definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert [s.name.value for s in operation.selection_set.selections] == [name]


def test_viewers_may_read_but_not_write():
    # a spot check that the derived matrix says what §6 says
    assert expected_outcome("customers", Role.VIEWER) is None
    assert expected_outcome("createOrder", Role.VIEWER) == "FORBIDDEN"
    assert expected_outcome("createOrder", Role.SALES) is None
    assert expected_outcome("me", None) == "UNAUTHENTICATED"
    assert expected_outcome("login", None) is None


async def _answers(api, name: str, wanted: str | None) -> dict[str, list[str]]:
    """The top-level error codes each caller that should get ``wanted`` actually gets."""
    answers = {}
    for caller in CALLERS:
        if expected_outcome(name, caller) != wanted:
            continue
        client = (await api.client_for(caller))[0] if caller else api.client
        body = await client.post(REQUESTS[name])
        assert name in (body.get("data") or {}) or body.get("errors"), body
        answers[caller.value if caller else "anonymous"] = error_codes(body)
    return answers


@pytest.mark.parametrize("name", _fields_where("UNAUTHENTICATED"))
async def test_anonymous_caller_is_unauthenticated(api, name):
    answers = await _answers(api, name, "UNAUTHENTICATED")
    assert answers == {"anonymous": ["UNAUTHENTICATED"]}


@pytest.mark.parametrize("name", _fields_where("FORBIDDEN"))
async def test_roles_the_table_denies_are_forbidden(api, name):
    answers = await _answers(api, name, "FORBIDDEN")
    assert answers == {caller: ["FORBIDDEN"] for caller in answers}


@pytest.mark.parametrize("name", _fields_where(None))
async def test_roles_the_table_allows_get_past_the_permission_check(api, name):
    # when
    answers = await _answers(api, name, None)
    # then: payload errors or a null answer are fine; a permission error or a crash is not
    refused = {"UNAUTHENTICATED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"}
    assert {caller: codes for caller, codes in answers.items() if refused & set(codes)} == {}

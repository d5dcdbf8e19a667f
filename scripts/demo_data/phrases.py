"""Free text written by people: interaction subjects and notes, task titles, document notes.

Subjects with ``{p}`` / ``{c}`` are expanded per product and category once, up front, so
generated rows only index into shared strings instead of formatting millions of them.
"""

from __future__ import annotations

INTERACTION_SUBJECTS = (
    (
        "Quotation sent for {p}", "Technical specifications of {p}", "Brochure: {p}",
        "Revised price list for {c}", "Invoice copy requested", "Delivery confirmation",
        "Payment reminder", "Service report shared", "GST invoice correction request",
    ),
    (
        "Enquiry about {p}", "Price negotiation for {p}", "Delivery schedule for {p}",
        "Breakdown complaint - {p}", "Payment follow-up call", "Introductory call",
        "AMC renewal discussion", "Spare parts requirement", "Technical query on {p}",
    ),
    (
        "Site visit for {p} installation", "Demo of {p} at customer plant",
        "Annual business review", "Plant visit with application engineer",
        "Negotiation meeting - {p}", "Visit to our demo centre for {c}",
    ),
    (
        "Customer expanding shop floor", "Competitor offering lower price on {p}",
        "New purchase manager appointed", "Budget approval expected next quarter",
        "Prefers payment by cheque", "Interested in {p}", "Plant shutdown planned",
    ),
    (
        "Follow-up on quotation for {p}", "Follow-up on demo feedback",
        "Follow-up on payment commitment", "Follow-up after installation of {p}",
        "Check satisfaction after service visit",
    ),
)  # fmt: skip
INTERACTION_NOTES = (
    "Spoke to the purchase manager; requirement confirmed for this quarter.",
    "Customer compared our offer with two other vendors.",
    "Decision maker is the plant head; meeting to be arranged.",
    "Existing machine is 15 years old and breaks down often.",
    "Asked for references of installations in the same city.",
    "Wants delivery before the financial year end.",
    "Requested a trial run with their own component.",
    "Finance team asked for extended payment terms.",
)
INTERACTION_OUTCOMES = (
    "Customer requested a revised quotation",
    "Demo scheduled",
    "Order expected next month",
    "No requirement at present",
    "Payment promised by month end",
    "Issue resolved",
    "Sent technical datasheet",
    "Customer will confirm after management approval",
    "Left a message; will call again",
    "Converted to order",
)
INTERACTION_TAG_SETS = (
    (), (), (), (), (), ("demo",), ("pricing",), ("service",), ("payment",), ("complaint",),
    ("installation",), ("amc",), ("training",), ("pricing", "negotiation"),
    ("service", "complaint"), ("demo", "pricing"), ("payment", "reminder"),
)  # fmt: skip
TASK_TITLES = (
    "Call to confirm delivery schedule", "Send revised quotation",
    "Arrange demo at customer site", "Collect pending payment", "Schedule AMC visit",
    "Share spare parts price list", "Confirm installation date",
    "Visit plant for requirement study", "Get feedback on recent service",
    "Renew annual maintenance contract",
)  # fmt: skip
TASK_DESCRIPTIONS = (
    None,
    None,
    "Customer asked to be contacted in the morning.",
    "Coordinate with the service team before calling.",
    "Check credit status with finance first.",
    "Carry the latest brochure and price list.",
)
TASK_OUTCOMES = (
    "Done - customer confirmed",
    "Quotation revised and sent",
    "Payment received",
    "Demo completed; customer evaluating",
    "Visit completed",
    "Customer not reachable; closed after three attempts",
)
TASK_CANCEL_OUTCOMES = ("No longer required", "Duplicate task", "Customer postponed the plan")
QUOTATION_NOTES = (
    None,
    None,
    "Prices ex-works; GST extra as applicable.",
    "Includes installation, commissioning and operator training.",
    "Freight and insurance extra. Validity 30 days.",
)
REJECT_REASONS = (
    "Price too high",
    "Went with a competitor",
    "Project postponed",
    "Budget not approved",
    "Delivery time too long",
)
ORDER_NOTES = (
    None, None, None, None, "Deliver to Gate 2", "Installation after delivery",
    "Urgent: production line down", "Part shipment accepted", "Transport by customer",
)  # fmt: skip
SHIP_NOTES = ("Dispatched by road", "Dispatched via transporter, LR attached", "Shipped by courier")
DELIVER_NOTES = (None, "Delivered and acknowledged", "Delivered; installation pending")
CANCEL_NOTES = (
    "Cancelled at customer's request",
    "Cancelled: credit hold",
    "Cancelled: duplicate order",
)
# Status-change notes by the status reached (QuotationStatus / OrderStatus order).
QUOTATION_FINAL_NOTES = {2: "Purchase order received", 3: None, 4: "Validity period ended"}
ORDER_CHANGE_NOTES = {1: SHIP_NOTES, 2: DELIVER_NOTES, 3: CANCEL_NOTES}

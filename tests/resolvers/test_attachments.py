"""Attachments are typed by their bytes, never by what the client claims."""

from __future__ import annotations

import pytest

from resolvers.attachments import clean_name, sniff_content_type
from resolvers.errors import ValidationFailed


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"%PDF-1.7\n", "quote.png", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "photo.pdf", "image/png"),
        (b"\xff\xd8\xff\xe0", "scan.jpg", "image/jpeg"),
        (
            b"PK\x03\x04rest",
            "minutes.docx",
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ),
        (b"PK\x03\x04rest", "bundle.bin", "application/zip"),
        (b"name,amount\nA,1\n", "list.csv", "text/csv"),
        ("Namaste — ₹ 100".encode(), "note.txt", "text/plain"),
        (b"MZ\x90\x00\x03\x00", "invoice.pdf", "application/octet-stream"),
    ],
)
def test_content_type_comes_from_the_bytes(head, name, expected):
    assert sniff_content_type(head, name) == expected


def test_a_name_keeps_no_directories_or_control_characters():
    assert clean_name("../../etc/pass\x00wd.txt", field="f") == "passwd.txt"
    assert clean_name("C:\\Users\\rep\\notes.txt", field="f") == "notes.txt"


def test_a_nameless_file_is_refused():
    with pytest.raises(ValidationFailed):
        clean_name("  ", field="attachments.0")

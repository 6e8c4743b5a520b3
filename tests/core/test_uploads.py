"""The one upload check: PDF, Word and Excel only, by name and by content, within the size limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import upload_problem

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
ZIP = b"PK\x03\x04\x14\x00\x06\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ansokan.pdf", PDF),
        ("ANSOKAN.PDF", PDF),
        ("kalkyl.xlsx", ZIP),
        ("beskrivning.docx", ZIP),
        ("gammal.doc", OLE),
        ("gammal.xls", OLE),
    ],
)
def test_upload_of_allowed_type_accepted(name, content):
    upload = SimpleUploadedFile(name, content + "innehåll".encode())

    assert upload_problem(upload, max_mb=10) is None
    assert upload.read() == content + "innehåll".encode()


@pytest.mark.parametrize(("name", "ext"), [("bild.png", ".png"), ("skript.pdf.exe", ".exe"), ("README", "?")])
def test_upload_of_other_type_refused(name, ext):
    upload = SimpleUploadedFile(name, PDF)

    assert upload_problem(upload, max_mb=10) == (
        f"Filtypen {ext} tas inte emot. Tillåtna: PDF, Word (.doc, .docx) och Excel (.xls, .xlsx)."
    )


def test_upload_too_big_refused():
    upload = SimpleUploadedFile("bilaga.pdf", PDF + b"0" * (3 * 1024 * 1024 // 2))

    assert upload_problem(upload, max_mb=1) == "Filen är 1,5 MB; högsta tillåtna storlek är 1 MB."


def test_upload_exactly_at_the_limit_accepted():
    upload = SimpleUploadedFile("bilaga.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))

    assert upload_problem(upload, max_mb=1) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [("rapport.pdf", ZIP), ("kalkyl.xlsx", PDF), ("brev.docx", OLE), ("tom.pdf", b""), ("text.doc", b"Hej")],
)
def test_upload_content_not_matching_extension_refused(name, content):
    upload = SimpleUploadedFile(name, content)

    assert upload_problem(upload, max_mb=10) == f"Filens innehåll är inte .{name.rsplit('.', 1)[1]}."

"""Bad files give typed errors with the path and the reason; encodings never crash."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from custfocus import read
from custfocus.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
    FileTooLargeError,
    FormatMismatchError,
    NoTextLayerError,
    ReaderError,
    UnsupportedFormatError,
)

TEXT = "Your team saves “five” hours – café."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252"],
)
def test_text_encodings_decode_to_the_same_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read(path).segments[0].text == TEXT


def test_undecodable_bytes_never_crash(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Your team \x81\x8d\x8f\x90\x9d saves time")
    assert read(path).segments[0].text.startswith("Your team")


def make(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("Your team.")
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(text: str | None, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text:
        pdf.set_font("Helvetica", size=12)
        pdf.cell(text=text)
    data = bytes(pdf.output())
    if password:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        writer = pypdf.PdfWriter()
        writer.append(reader)
        writer.encrypt(password)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


@pytest.mark.parametrize(
    ("name", "data", "error", "reason"),
    [
        ("empty.txt", b"", EmptyDocumentError, "empty"),
        ("blank.md", b"   \n\n  ", EmptyDocumentError, "no text"),
        ("binary.txt", b"\x00\x01\x02abc\x00", FormatMismatchError, "binary"),
        ("pdf.docx", b"%PDF-1.4 fake", FormatMismatchError, "PDF"),
        ("zip.pdf", b"PK\x03\x04rest", FormatMismatchError, "not a PDF"),
        ("legacy.pptx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, EncryptedFileError,
         "password"),
        ("broken.docx", b"PK\x03\x04" + b"\0" * 50, CorruptFileError, "zip"),
        ("bad.json", b"{not json", CorruptFileError, "invalid JSON"),
        ("shape.json", b'{"a": 1}', FormatMismatchError, "list of"),
        ("novtt.vtt", b"00:00:01.000 --> 00:00:02.000\nhi\n", FormatMismatchError, "WEBVTT"),
        ("notmail.eml", b"just some text\nwith no headers\n", FormatMismatchError, "headers"),
        ("sheet.xlsx", b"whatever", UnsupportedFormatError, "no reader"),
    ],
)  # fmt: skip
def test_bad_files_raise_typed_errors_with_path_and_reason(
    tmp_path: Path, name: str, data: bytes, error: type[ReaderError], reason: str
) -> None:
    path = make(tmp_path, name, data)
    with pytest.raises(error, match=reason) as info:
        read(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_truncated_docx_is_corrupt(tmp_path: Path) -> None:
    data = docx_bytes()
    with pytest.raises(CorruptFileError):
        read(make(tmp_path, "cut.docx", data[: len(data) // 2]))


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = pdf_bytes("Your team.")
    with pytest.raises((CorruptFileError, NoTextLayerError)):
        read(make(tmp_path, "cut.pdf", data[: len(data) // 3]))


def test_encrypted_pdf(tmp_path: Path) -> None:
    with pytest.raises(EncryptedFileError, match="password"):
        read(make(tmp_path, "locked.pdf", pdf_bytes("Your team.", password="pw")))


def test_pdf_without_a_text_layer_says_so(tmp_path: Path) -> None:
    with pytest.raises(NoTextLayerError, match="OCR"):
        read(make(tmp_path, "scan.pdf", pdf_bytes(None)))


def test_zip_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * 60_000_000)  # compresses ~1000:1
    with pytest.raises(FileTooLargeError, match="zip bomb"):
        read(make(tmp_path, "bomb.docx", buf.getvalue()))


def test_too_many_members_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"m{i}", b"")
    with pytest.raises(FileTooLargeError, match="members"):
        read(make(tmp_path, "many.pptx", buf.getvalue()))


def test_a_huge_file_is_refused_by_size(tmp_path: Path) -> None:
    path = make(tmp_path, "big.txt", b"Your team. " * 100)
    with pytest.raises(FileTooLargeError, match="limit"):
        read(path, max_bytes=100)


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read(tmp_path / "nope.txt")

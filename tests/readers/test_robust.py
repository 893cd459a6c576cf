"""Reader rules added for real-world files: formats, PDF layout, budgets and clean text."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from custfocus import read
from custfocus.errors import (
    ConversionError,
    CorruptFileError,
    EncryptedFileError,
    FileTooLargeError,
    FormatMismatchError,
    UnreadableFileError,
)
from custfocus.readers import MAX_CHARS, SUFFIXES, can_read

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_suffixes_list_every_readable_format_including_conversions() -> None:
    for suffix in (".txt", ".pptx", ".pdf", ".odt", ".odp", ".rtf", ".ppt", ".doc", ".key"):
        assert suffix in SUFFIXES
    assert can_read("A/Deck.PPT") and not can_read("sheet.xlsx") and not can_read("README")


# --- PDF -----------------------------------------------------------------------------------


def pdf_pages(pages: list[list[str]]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_running_headers_and_page_numbers_are_not_scored(tmp_path: Path) -> None:
    bodies = ["Your team plans.", "Your reps sell.", "Our tool helps.", "Call us today."]
    pages = [["Acme Confidential", body, f"Page {n} of 4"] for n, body in enumerate(bodies, 1)]
    doc = read(write(tmp_path, "report.pdf", pdf_pages(pages)))
    assert [s.text for s in doc] == bodies
    assert [s.location for s in doc] == [f"page {n}" for n in range(1, 5)]


def test_pdf_bullet_list_gives_one_segment_per_item(tmp_path: Path) -> None:
    lines = [
        "Why teams switch:",
        "- Your reps save hours.",
        "- Your managers see risk.",
        "3) Fewer misses.",
    ]
    doc = read(write(tmp_path, "list.pdf", pdf_pages([lines])))
    assert [s.text for s in doc] == [
        "Why teams switch:",
        "Your reps save hours.",
        "Your managers see risk.",
        "3) Fewer misses.",
    ]


def encrypted(user: str, owner: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(EXAMPLES / "one_pager.pdf"))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_copy_protected_pdf_with_only_an_owner_password_reads(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "protected.pdf", encrypted("", "owner-secret")))
    plain = read(EXAMPLES / "one_pager.pdf")
    assert [s.text for s in doc] == [s.text for s in plain]


def test_pdf_with_a_user_password_is_an_encrypted_file_error(tmp_path: Path) -> None:
    with pytest.raises(EncryptedFileError, match="password"):
        read(write(tmp_path, "locked.pdf", encrypted("user", "owner")))


# --- OpenDocument, RTF, LibreOffice ----------------------------------------------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def odf(mime: str, body: str, prolog: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", mime)
        zf.writestr(
            "content.xml",
            f"{prolog}<office:document-content {ODF_NS}><office:body>{body}</office:body></office:document-content>",
        )
    return out.getvalue()


def test_odt_headings_paragraphs_and_table_rows(tmp_path: Path) -> None:
    body = (
        "<office:text><text:h>Plan for <text:span>Globex</text:span></text:h>"
        "<text:p>Your team<text:s/>saves time.<text:note><text:note-citation>1</text:note-citation>"
        "</text:note></text:p><text:list><text:list-item><text:p>Fewer misses.</text:p>"
        "</text:list-item></text:list><table:table><table:table-row><table:table-cell><text:p>Risk"
        "</text:p></table:table-cell><table:table-cell><text:p>Low</text:p></table:table-cell>"
        "</table:table-row></table:table></office:text>"
    )
    doc = read(write(tmp_path, "plan.odt", odf("application/vnd.oasis.opendocument.text", body)))
    assert [(s.location, s.kind, s.text) for s in doc] == [
        ("paragraph 1", "heading", "Plan for Globex"),
        ("paragraph 2", "body", "Your team saves time."),
        ("paragraph 3", "body", "Fewer misses."),
        ("table 1 row 1", "table", "Risk | Low"),
    ]


def test_odp_slides_titles_and_speaker_notes(tmp_path: Path) -> None:
    body = (
        '<office:presentation><draw:page><draw:frame presentation:class="title"><draw:text-box>'
        "<text:p>Your renewals</text:p></draw:text-box></draw:frame><draw:frame><draw:text-box>"
        "<text:p>See every one.</text:p></draw:text-box></draw:frame><presentation:notes>"
        "<draw:frame><draw:text-box><text:p>Ask about churn.</text:p></draw:text-box></draw:frame>"
        "</presentation:notes></draw:page></office:presentation>"
    )
    mime = "application/vnd.oasis.opendocument.presentation"
    doc = read(write(tmp_path, "deck.odp", odf(mime, body)))
    assert [(s.location, s.kind, s.text) for s in doc] == [
        ("slide 1", "title", "Your renewals"),
        ("slide 1", "body", "See every one."),
        ("slide 1 notes", "notes", "Ask about churn."),
    ]


def test_odt_declaring_entities_is_refused(tmp_path: Path) -> None:
    mime = "application/vnd.oasis.opendocument.text"
    data = odf(mime, "<office:text/>", prolog='<!DOCTYPE x [<!ENTITY a "b">]>')
    with pytest.raises(CorruptFileError, match="DTD"):
        read(write(tmp_path, "x.odt", data))


def test_rtf_paragraphs(tmp_path: Path) -> None:
    pytest.importorskip("striprtf")
    doc = read(
        write(
            tmp_path,
            "a.rtf",
            r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Your team\'e9.\par Second one.\par}",
        )
    )
    assert [s.text for s in doc] == ["Your teamé.", "Second one."]


def test_a_ppt_without_libreoffice_says_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTFOCUS_SOFFICE", "no-such-soffice-binary")
    with pytest.raises(ConversionError, match=r"LibreOffice not found.*\.ppt"):
        read(write(tmp_path, "old.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_legacy_ppt_and_doc_read_through_libreoffice(tmp_path: Path) -> None:
    for source, legacy in (("deck_globex.pptx", "ppt"), ("account_plan_initech.docx", "doc")):
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
             "--convert-to", legacy, "--outdir", str(tmp_path), str(EXAMPLES / source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        converted = tmp_path / f"{Path(source).stem}.{legacy}"
        doc = read(converted)
        original = read(EXAMPLES / source)
        assert doc.format == legacy and doc.path == str(converted)
        assert {s.text for s in original} & {s.text for s in doc}


# --- budgets, binary content, clean text -----------------------------------------------------


def test_a_text_over_the_budget_is_cut_and_says_so(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "long.txt", "Your team saves time.\n\n" * 100_000))
    assert len(doc.text) <= MAX_CHARS
    truncated = doc.metadata["truncated"]
    assert truncated["kept_chars"] <= MAX_CHARS < truncated["total_chars"]


def test_a_long_valid_text_scores(tmp_path: Path, analyzer) -> None:  # type: ignore[no-untyped-def]
    report = analyzer.score_file(
        write(tmp_path, "long.txt", "How does your team plan?\n\n" * 60_000)
    )
    assert report.counts["customer"] > 10_000


def test_random_binary_without_nul_bytes_is_not_text(tmp_path: Path) -> None:
    import random

    rng = random.Random(1)
    data = bytes(rng.randrange(1, 256) for _ in range(20_000))
    with pytest.raises(FormatMismatchError, match="binary"):
        read(write(tmp_path, "noise.txt", data))


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    data = json.dumps([{"speaker": "S\ud800", "text": "Your team \udfff."}])
    doc = read(write(tmp_path, "t.json", data))
    assert doc.segments[0].text == "Your team \ufffd." and doc.segments[0].speaker == "S\ufffd"
    json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


def test_a_zip_of_many_medium_members_is_a_bomb(tmp_path: Path) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(EXAMPLES / "deck_globex.pptx") as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(6):
            dst.writestr(f"ppt/media/pad{i}.bin", bytes(9_900_000))
    with pytest.raises(FileTooLargeError, match="zip bomb"):
        read(write(tmp_path, "bomb.pptx", out.getvalue()))


def docx_with(tmp_path: Path, old: bytes, new: bytes) -> Path:
    src = EXAMPLES / "account_plan_initech.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                assert old in data
                data = data.replace(old, new, 1)
            zout.writestr(info, data)
    return write(tmp_path, "x.docx", out.getvalue())


def test_a_docx_body_holding_an_xml_comment_reads(tmp_path: Path) -> None:
    doc = read(docx_with(tmp_path, b"<w:body>", b"<w:body><!-- note -->"))
    assert doc.segments[0].text == "Account plan: Initech Health"


def test_a_huge_grid_span_does_not_expand_into_cells(tmp_path: Path) -> None:
    path = docx_with(tmp_path, b"<w:tc>", b'<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr>')
    plain = read(EXAMPLES / "account_plan_initech.docx")
    assert [s.text for s in read(path)] == [s.text for s in plain]


def test_a_symlink_loop_and_a_folder_are_unreadable_files(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    (tmp_path / "dir.txt").mkdir()
    for path in (loop, tmp_path / "dir.txt"):
        with pytest.raises(UnreadableFileError, match=path.name):
            read(path)

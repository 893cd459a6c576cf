"""Damaged copies of good files (the bug classes ``realfiles.py --mutate`` found) raise the
reader's own typed error, named at the reader's boundary, not by ``read()``'s catch-all.

Each hostile file is built here from the files in ``examples/`` (ours) or from nothing.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isolated import Isolated
from mutants import mutants, operators, renamed

from custfocus import read
from custfocus.errors import CorruptFileError, NoTextLayerError, ReaderError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DOCX = EXAMPLES / "account_plan_initech.docx"
PPTX = EXAMPLES / "deck_globex.pptx"
CATCH_ALL = "the reader failed ("


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        zf.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            "<office:body><office:text><text:p>Your team saves time.</text:p>"
            "</office:text></office:body></office:document-content>",
        )
    return out.getvalue()


def zip_of(suffix: str) -> bytes:
    return {".docx": DOCX.read_bytes, ".pptx": PPTX.read_bytes, ".odt": odt_bytes}[suffix]()


def inflate_broken(data: bytes) -> bytes:
    """``data`` with every deflated member's first compressed byte set to 0xFF: a block type
    deflate reserves, so the archive opens and reading any member fails in zlib."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size:
                name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
                out[info.header_offset + 30 + name_len + extra_len] = 0xFF
    return bytes(out)


def central_directory_edit(data: bytes, offset: int, value: bytes) -> bytes:
    """``data`` with ``value`` written at ``offset`` in its first central directory entry."""
    at = data.rindex(b"PK\x01\x02")
    while data.rfind(b"PK\x01\x02", 0, at) >= 0:
        at = data.rfind(b"PK\x01\x02", 0, at)
    return data[: at + offset] + value + data[at + offset + len(value) :]


def bad_utf8_name(data: bytes) -> bytes:
    """The first central directory entry flagged UTF-8 (bit 11) with a name that is not."""
    at = data.index(b"PK\x01\x02")
    (flags,) = struct.unpack_from("<H", data, at + 8)
    data = central_directory_edit(data, 8, struct.pack("<H", flags | 0x800))
    return central_directory_edit(data, 46, b"\xff\xfe")


def future_version(data: bytes) -> bytes:
    """The first central directory entry needing zip version 21.2 to extract."""
    return central_directory_edit(data, 6, struct.pack("<H", 212))


def raises_named(path: Path, cls: type[ReaderError] = CorruptFileError) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read(path)
    exc = info.value
    assert type(exc) is cls, f"{type(exc).__name__}: {exc}"
    assert CATCH_ALL not in exc.reason, exc.reason
    assert exc.path == str(path)
    return exc


@pytest.mark.parametrize("suffix", [".docx", ".pptx", ".odt"])
def test_a_member_that_does_not_inflate_is_a_corrupt_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(inflate_broken(zip_of(suffix)))
    assert "compressed member" in raises_named(path).reason


@pytest.mark.parametrize("suffix", [".docx", ".pptx", ".odt"])
def test_a_member_name_flagged_utf8_that_is_not_is_a_corrupt_file(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"name{suffix}"
    path.write_bytes(bad_utf8_name(zip_of(suffix)))
    assert "member name" in raises_named(path).reason


@pytest.mark.parametrize("suffix", [".docx", ".pptx", ".odt"])
def test_an_archive_needing_an_unknown_zip_version_is_a_corrupt_file(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"version{suffix}"
    path.write_bytes(future_version(zip_of(suffix)))
    assert "zip file version" in raises_named(path).reason


def test_the_mutants_cover_every_operator_of_a_format_once_n_reaches_their_count() -> None:
    ops = {name for name, _ in operators(".docx")}
    names = [n for n, _ in mutants(DOCX, len(ops), seed=3)]
    assert {n.rsplit(".", 2)[-2].split("-", 1)[1] for n in names} == ops
    assert [n for n, _ in mutants(DOCX, 5, seed=3)] == names[:5]  # seeded: reproducible
    stacked = list(mutants(DOCX, 3, seed=3, stack=3))
    assert stacked == list(mutants(DOCX, 3, seed=3, stack=3))
    assert stacked != list(mutants(DOCX, 3, seed=3))
    assert len(list(renamed(DOCX))) == 12


def read_segments(path: str) -> int:
    return len(read(path).segments)


def test_every_mutant_of_the_examples_reads_or_raises_a_named_typed_error(
    tmp_path: Path,
) -> None:
    seeds = sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p.suffix != ".py")
    paths = []
    for seed in seeds:
        for name, data in [*mutants(seed, len(operators(seed.suffix)), seed=1), *renamed(seed)]:
            paths.append(tmp_path / name)
            paths[-1].write_bytes(data)
    with Isolated(timeout=30) as worker:
        outcomes = {p.name: worker.call(read_segments, str(p)) for p in paths}
    bad = {n: o for n, o in outcomes.items() if o.status not in ("ok", "typed")}
    assert not bad, bad
    caught_late = {n: o.detail for n, o in outcomes.items() if CATCH_ALL in o.detail}
    assert not caught_late, caught_late


# --- bounds checked while fuzzing ------------------------------------------------------------


def pdf_of_pages(texts: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in texts:
        pdf.add_page()
        if text:
            pdf.cell(text=text)
    return bytes(pdf.output())


def test_a_pdf_over_the_page_limit_reads_its_first_pages_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("custfocus.readers.pdf.MAX_PAGES", 3)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_of_pages([f"Your team reads page {n}." for n in range(1, 6)]))
    doc = read(path)
    assert [s.location for s in doc] == ["page 1", "page 2", "page 3"]
    assert doc.metadata["truncated_pages"] == {"kept_pages": 3, "total_pages": 5}


def test_a_textless_pdf_over_the_page_limit_is_refused_after_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("custfocus.readers.pdf.MAX_PAGES", 3)
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_of_pages(["", "", "", "", "Your team, too late."]))
    exc = raises_named(path, NoTextLayerError)
    assert "the first 3 pages" in exc.reason


def test_the_pdf_repair_child_imports_the_reader_without_the_analyzer(tmp_path: Path) -> None:
    import subprocess

    from custfocus.readers.pdf import REPAIR_MEMORY, child_code

    probe = "\nheavy = [m for m in sys.modules if m.split('.')[0] in ('spacy', 'sklearn')]"
    probe += "\nsys.stderr.write(repr(heavy))"
    good = pdf_of_pages(["Your team reads page one."])
    at = good.rindex(b"startxref") + len(b"startxref\n")
    damaged = good[:at] + b"7" + good[good.index(b"\n", at) :]  # an xref offset to nowhere
    done = subprocess.run(
        [sys.executable, "-c", child_code(REPAIR_MEMORY) + probe],
        input=damaged,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert done.stderr.decode() == "[]"
    assert b"Your team reads page one." in done.stdout

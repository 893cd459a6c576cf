"""Property: any mutation of a real file reads, or raises a custfocus reader error, in bounded
time and memory.

Mutations know the format: the XML inside the zip of a .docx/.pptx/.odt, the objects inside a
PDF, the header lines of an email, and hostile tokens spliced into text formats. Seeds are the
files in ``examples/`` (ours) and, when present, the real files in ``../shared/realfiles``.
Each case runs in a worker process under a time limit and an address-space cap.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isolated import Isolated, Outcome

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CUSTFOCUS_SHARED", ROOT / ".." / "shared"))
TIMEOUT = 40.0
#: ``CUSTFOCUS_FUZZ_EXAMPLES=1000`` hunts longer than the suite's quick pass.
SETTINGS = settings(
    max_examples=int(os.environ.get("CUSTFOCUS_FUZZ_EXAMPLES", "30")),
    deadline=timedelta(seconds=TIMEOUT + 10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Splices that broke readers before, or could: markup, numbers, escapes, control bytes.
TOKENS = [
    b"<" * 5000,
    b"[" * 5000,
    b"<span>" * 2000,
    b"<!--",
    b"]]>",
    b"&#99999999;",
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b'"\\ud800"',
    b"NaN",
    b"1e999",
    b"9" * 5000,
    b"-1",
    b"99:99:99.999 --> 00:00:00.000",
    b"-->",
    b"<v ",
    b"{" * 2000,
    b"**" * 2000,
    b"\n\n",
    b"=?x-bogus?Q?a?=",
]
#: Values put into XML attributes and PDF numbers.
VALUES = [
    b"",
    b"-1",
    b"abc",
    b"999999999",
    b"9" * 400,
    b"1e400",
    b"NaN",
    b"0x10",
    b"&amp;",
    b"rId999",
]


def seeds(*suffixes: str) -> list[Path]:
    found = [p for p in sorted((ROOT / "examples").iterdir()) if p.suffix in suffixes]
    real = SHARED / "realfiles"
    if real.is_dir():
        found += sorted(p for p in real.rglob("*") if p.suffix in suffixes and p.is_file())
    return [p for p in found if p.stat().st_size < 2_000_000]


def read_segments(path: str) -> int:
    from custfocus.readers import read

    return len(read(path).segments)


@pytest.fixture(scope="module")
def worker() -> object:
    with Isolated(timeout=TIMEOUT) as w:
        yield w


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check(worker: Isolated, folder: Path, name: str, data: bytes) -> None:
    path = folder / name
    path.write_bytes(data)
    out: Outcome = worker.call(read_segments, str(path))
    assert out.status in ("ok", "typed"), f"{name}: {out.status} {out.error} {out.detail}"


def splice(data: bytes, at: float, token: bytes, cut: int) -> bytes:
    """``data`` with ``token`` at the relative position ``at``, ``cut`` bytes removed there."""
    i = int(at * len(data))
    return data[:i] + token + data[i + cut :]


def mutate_xml(xml: bytes, ops: list[tuple[int, float, int, int]]) -> bytes:
    """Apply (kind, where, which, size) mutations: splice a token, change an attribute value,
    delete a span, duplicate a span, insert an XML comment, truncate."""
    attrs = [m.span(1) for m in re.finditer(rb'="([^"]{0,200})"', xml)]
    for kind, at, which, size in ops:
        i = int(at * len(xml))
        if kind == 0:
            xml = splice(xml, at, TOKENS[which % len(TOKENS)], 0)
        elif kind == 1 and attrs:
            a, b = attrs[int(at * len(attrs)) % len(attrs)]
            if b <= len(xml):
                xml = xml[:a] + VALUES[which % len(VALUES)] + xml[b:]
        elif kind == 2:
            xml = xml[:i] + xml[i + size :]
        elif kind == 3:
            xml = xml[:i] + xml[i : i + size] * (which % 50 + 2) + xml[i:]
        elif kind == 4:
            xml = xml.replace(b">", b"><!-- c -->", 1 + which % 5)
        else:
            xml = xml[: max(i, 1)]
    return xml


OPS = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.floats(0, 1, allow_nan=False),
        st.integers(0, 1000),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=4,
)


def rezip(data: bytes, member_pick: float, ops: list[tuple[int, float, int, int]]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    xml_members = [i for i in src.infolist() if i.filename.endswith((".xml", ".rels"))]
    target = xml_members[int(member_pick * len(xml_members)) % len(xml_members)].filename
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, mutate_xml(body, ops) if info.filename == target else body)
    return out.getvalue()


def zip_seeds(*suffixes: str) -> list[Path]:
    """Seeds whose zip opens and whose members all read (broken ones cannot be re-zipped)."""
    good = []
    for path in seeds(*suffixes):
        try:
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    zf.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            continue
        good.append(path)
    return good


OFFICE = zip_seeds(".docx", ".pptx")


@SETTINGS
@given(st.sampled_from(OFFICE), st.floats(0, 1, allow_nan=False), OPS)
def test_office_files_with_mutated_xml_never_escape_the_error_family(
    worker: Isolated, folder: Path, seed: Path, pick: float, ops: list[tuple[int, float, int, int]]
) -> None:
    check(worker, folder, f"fuzz{seed.suffix}", rezip(seed.read_bytes(), pick, ops))


PDFS = seeds(".pdf")
_OBJ = re.compile(rb"\d+ \d+ obj")
_NUM = re.compile(rb"(?<![\w.])\d+(?![\w.])")


def mutate_pdf(data: bytes, ops: list[tuple[int, float, int, int]]) -> bytes:
    """Mutate inside objects: change a number, splice a token, drop or repeat an object's
    bytes, truncate."""
    for kind, at, which, size in ops:
        objs = [m.start() for m in _OBJ.finditer(data)] or [0]
        start = objs[int(at * len(objs)) % len(objs)]
        end = data.find(b"endobj", start)
        end = end if end > start else min(len(data), start + 200)
        body = data[start:end]
        if kind in (0, 1):
            nums = list(_NUM.finditer(body))
            if nums:
                m = nums[which % len(nums)]
                body = body[: m.start()] + VALUES[size % len(VALUES)] + body[m.end() :]
        elif kind == 2:
            body = splice(body, (which % 100) / 100, TOKENS[size % len(TOKENS)], 0)
        elif kind == 3:
            body = body[: size % max(1, len(body))]
        elif kind == 4:
            body = body * (which % 4 + 2)
        else:
            data = data[: max(8, int(at * len(data)))]
            continue
        data = data[:start] + body + data[end:]
    return data


@pytest.mark.skipif(not PDFS, reason="no PDF seeds")
@SETTINGS
@given(st.sampled_from(PDFS or [Path("none")]), OPS)
def test_pdfs_with_mutated_objects_never_escape_the_error_family(
    worker: Isolated, folder: Path, seed: Path, ops: list[tuple[int, float, int, int]]
) -> None:
    check(worker, folder, "fuzz.pdf", mutate_pdf(seed.read_bytes(), ops))


MAILS = seeds(".eml")
HEADER_VALUES = [
    b'text/plain; charset="x-unknown"',
    b"multipart/mixed",
    b'multipart/alternative; boundary=""',
    b"text/html; charset=utf-7",
    b'"unclosed <<<@@@>>>',
    b",@," * 3000,
    b"=?utf-8?b?////?=",
    b"=?x-bogus?q?a?=",
    b"base64",
    b"\xff\xfe\xfa",
    b"",
]


def mutate_mail(data: bytes, ops: list[tuple[int, float, int, int]]) -> bytes:
    """Mutate the header block: replace a header's value, duplicate or drop a header line,
    add a structural header; or splice a token into the body."""
    head, sep, body = data.partition(b"\n\n")
    lines = head.split(b"\n")
    for kind, at, which, _size in ops:
        k = int(at * len(lines)) % max(1, len(lines))
        value = HEADER_VALUES[which % len(HEADER_VALUES)]
        if kind in (0, 1) and lines and b":" in lines[k]:
            lines[k] = lines[k].split(b":", 1)[0] + b": " + value
        elif kind == 2 and lines:
            lines.insert(k, lines[k])
        elif kind == 3 and lines:
            del lines[k]
        elif kind == 4:
            name = (b"Content-Type", b"Content-Transfer-Encoding", b"From", b"To")[which % 4]
            lines.insert(k, name + b": " + value)
        else:
            body = splice(body, at, TOKENS[which % len(TOKENS)], 0)
    return b"\n".join(lines) + (sep or b"\n\n") + body


@pytest.mark.skipif(not MAILS, reason="no email seeds")
@SETTINGS
@given(st.sampled_from(MAILS or [Path("none")]), OPS)
def test_emails_with_mutated_headers_never_escape_the_error_family(
    worker: Isolated, folder: Path, seed: Path, ops: list[tuple[int, float, int, int]]
) -> None:
    check(worker, folder, "fuzz.eml", mutate_mail(seed.read_bytes().replace(b"\r\n", b"\n"), ops))


TEXTS = seeds(".txt", ".md", ".html", ".vtt", ".srt", ".json")
SPLICES = st.lists(
    st.tuples(st.floats(0, 1, allow_nan=False), st.sampled_from(TOKENS), st.integers(0, 50)),
    min_size=1,
    max_size=5,
)


@SETTINGS
@given(st.sampled_from(TEXTS), SPLICES)
def test_text_formats_with_hostile_splices_never_escape_the_error_family(
    worker: Isolated, folder: Path, seed: Path, splices: list[tuple[float, bytes, int]]
) -> None:
    data = seed.read_bytes()
    for at, token, cut in splices:
        data = splice(data, at, token, cut)
    check(worker, folder, f"fuzz{seed.suffix}", data)

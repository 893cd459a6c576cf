"""Seeded mutants of a real file: the damage files suffer in the wild, built by code.

    from mutants import mutants, renamed
    for name, data in mutants(path, n=16, seed=1): ...   # n damaged copies
    for name, data in renamed(path): ...                 # the same bytes, every other suffix

Each mutant is one operator applied with seeded parameters, so a failing mutant is rebuilt
from (file name, seed, index) alone. Generic operators: truncation (a few bytes, a share of
the file, just before the end), byte flips, a zeroed range, a duplicated range, zero padding
before or after, invalid UTF-8 and stray BOMs. Zip-based formats (docx, pptx, odt, odp) also
get an inner member truncated, garbled, emptied, deleted, made binary, given a false encoding
declaration, or its compressed bytes damaged in place (a CRC or inflate error on reading).
PDFs also get their ``startxref`` offset, xref table, trailer or a stream damaged. The
operators cycle in a seeded order, so ``n`` at least the operator count covers them all.

``benchmarks/realfiles.py --mutate N`` runs them over ../shared/realfiles; the tests build
the bug classes found this way directly (tests/readers/test_mutants.py).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

#: One suffix per native format, the targets of :func:`renamed`.
SUFFIXES = (
    ".txt",
    ".md",
    ".html",
    ".pptx",
    ".docx",
    ".pdf",
    ".eml",
    ".vtt",
    ".srt",
    ".json",
    ".odt",
    ".odp",
    ".rtf",
)
#: Formats read through LibreOffice: renamed to these only on request (each conversion
#: starts soffice, seconds per file).
CONVERTED = (".doc", ".ppt", ".key", ".pages", ".wpd")
ZIPPED = frozenset({".docx", ".pptx", ".odt", ".odp"})

Op = Callable[[random.Random, bytes], bytes]
#: What reading an already damaged archive raises here (stacked mutants damage it twice).
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)


def _trunc_head(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.choice((1, 4, 8, 64, 512))]


def _trunc_share(rng: random.Random, data: bytes) -> bytes:
    return data[: max(1, int(len(data) * rng.choice((0.1, 0.25, 0.5, 0.75, 0.9))))]


def _trunc_tail(rng: random.Random, data: bytes) -> bytes:
    return data[: max(1, len(data) - rng.choice((1, 2, 22, 100, 1000)))]


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 4, 32, 256))):
        i = rng.randrange(len(out))
        out[i] ^= rng.randrange(1, 256)
    return bytes(out)


def _zero(rng: random.Random, data: bytes) -> bytes:
    size = min(len(data), rng.choice((16, 512, 4096, 65536)))
    i = rng.randrange(len(data) - size + 1)
    return data[:i] + bytes(size) + data[i + size :]


def _dup(rng: random.Random, data: bytes) -> bytes:
    size = min(len(data), rng.choice((16, 512, 4096, 65536)))
    i = rng.randrange(len(data) - size + 1)
    return data[: i + size] + data[i : i + size] * rng.choice((1, 2, 10)) + data[i + size :]


def _pad(rng: random.Random, data: bytes) -> bytes:
    zeros = bytes(rng.choice((1, 512, 65536)))
    return zeros + data if rng.random() < 0.5 else data + zeros


def _encoding(rng: random.Random, data: bytes) -> bytes:
    """Invalid UTF-8, a stray BOM, or the text re-encoded as UTF-16 with no BOM."""
    kind = rng.randrange(4)
    if kind == 0:
        i = rng.randrange(len(data))
        return (
            data[:i] + rng.choice((b"\xff\xfe\xfa", b"\xc3", b"\xed\xa0\x80", b"\x80")) + data[i:]
        )
    if kind == 1:
        return rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) + data
    if kind == 2:
        return data.decode("latin-1").encode("utf-16-le")
    return data.replace(b"\n", b"\r", rng.randrange(1, 1000))


GENERIC: tuple[tuple[str, Op], ...] = (
    ("trunc_head", _trunc_head),
    ("trunc_share", _trunc_share),
    ("trunc_tail", _trunc_tail),
    ("flip", _flip),
    ("zero", _zero),
    ("dup", _dup),
    ("pad", _pad),
    ("encoding", _encoding),
)


# --- zip members ---------------------------------------------------------------------------


def _members(data: bytes) -> list[zipfile.ZipInfo] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.infolist()
    except _ZIP_DAMAGE:
        return None


def _pick(rng: random.Random, infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """A member, the main document parts three times as likely as the others."""
    main = re.compile(r"(document|slide\d+|content|styles|presentation)\.xml$|\.rels$")
    weighted = [i for i in infos for _ in range(3 if main.search(i.filename) else 1)]
    return rng.choice(weighted)


def _rezip(data: bytes, name: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """``data`` re-zipped with member ``name`` changed (None drops it); others kept."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            try:
                body = src.read(info)
            except _ZIP_DAMAGE:
                body = b""
            if info.filename == name:
                new = change(body)
                if new is None:
                    continue
                body = new
            dst.writestr(info.filename, body)
    return out.getvalue()


def _member_op(change: Callable[[random.Random, bytes], bytes | None]) -> Op:
    def op(rng: random.Random, data: bytes) -> bytes:
        infos = _members(data)
        if not infos:
            return _flip(rng, data)
        target = _pick(rng, infos).filename
        return _rezip(data, target, lambda body: change(rng, body))

    return op


def _inner_raw(rng: random.Random, data: bytes) -> bytes:
    """Damage a member's compressed bytes in place: the archive opens, reading it fails."""
    infos = [i for i in _members(data) or [] if i.compress_size > 4]
    if not infos:
        return _flip(rng, data)
    info = _pick(rng, infos)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out = bytearray(data)
    for _ in range(rng.choice((1, 8))):
        i = start + rng.randrange(info.compress_size)
        if i < len(out):
            out[i] ^= rng.randrange(1, 256)
    return bytes(out)


def _false_encoding(rng: random.Random, body: bytes) -> bytes:
    enc = rng.choice((b"utf-16", b"x-bogus", b"ebcdic-cp-us", b"utf-32"))
    decl = b'<?xml version="1.0" encoding="' + enc + b'"?>'
    if body.startswith(b"<?xml"):
        return decl + body[body.find(b"?>") + 2 :]
    return decl + body


ZIP: tuple[tuple[str, Op], ...] = (
    ("member_trunc", _member_op(lambda rng, b: b[: int(len(b) * rng.random())])),
    ("member_flip", _member_op(lambda rng, b: _flip(rng, b) if b else b"\xff")),
    ("member_empty", _member_op(lambda rng, b: b"")),
    ("member_drop", _member_op(lambda rng, b: None)),
    ("member_binary", _member_op(lambda rng, b: rng.randbytes(rng.choice((10, 5000))))),
    ("member_encoding", _member_op(_false_encoding)),
    ("member_raw", _inner_raw),
)


# --- PDF structure -------------------------------------------------------------------------


def _startxref(rng: random.Random, data: bytes) -> bytes:
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        return _flip(rng, data)
    a, b = m[-1].span(1)
    value = rng.choice((b"0", b"1", b"99999999999", str(int(data[a:b]) + 7).encode()))
    return data[:a] + value + data[b:]


def _xref_table(rng: random.Random, data: bytes) -> bytes:
    at = data.rfind(b"xref")
    if at < 0:
        return _zero(rng, data)
    end = min(len(data), at + rng.choice((40, 400, 4000)))
    junk = bytes(rng.choice(b"0123456789 nf\n") for _ in range(end - at - 4))
    return data[: at + 4] + junk + data[end:]


def _trailer(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"trailer", b"tr\x00iler").replace(b"/Root", rng.choice((b"/Rot", b"")))


def _stream(rng: random.Random, data: bytes) -> bytes:
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    if not starts:
        return _flip(rng, data)
    i = rng.choice(starts)
    size = rng.choice((8, 200, 5000))
    return data[:i] + rng.randbytes(size) + data[i + size :]


PDF: tuple[tuple[str, Op], ...] = (
    ("startxref", _startxref),
    ("xref_table", _xref_table),
    ("trailer", _trailer),
    ("stream", _stream),
)


def operators(suffix: str) -> tuple[tuple[str, Op], ...]:
    """The operators that fit a file with ``suffix``: the generic ones plus its format's."""
    extra = ZIP if suffix in ZIPPED else PDF if suffix == ".pdf" else ()
    return GENERIC + extra


def mutants(path: Path, n: int, seed: int, *, stack: int = 1) -> Iterator[tuple[str, bytes]]:
    """``n`` seeded damaged copies of ``path`` as (file name, bytes), same suffix.

    ``stack`` > 1 applies that many operators in turn to each copy (the first names it).
    """
    data = path.read_bytes()
    suffix = path.suffix.lower()
    ops = list(operators(suffix))
    rng = random.Random(f"{seed}:{path.name}" + (f":{stack}" if stack > 1 else ""))
    rng.shuffle(ops)
    for k in range(n):
        name, op = ops[k % len(ops)]
        mutant = op(rng, data) if data else b""
        for _ in range(stack - 1):
            if mutant:
                mutant = rng.choice(ops)[1](rng, mutant)
        yield f"{path.stem[:60]}.{k:02d}-{name}{suffix}", mutant


def renamed(path: Path, *, converted: bool = False) -> Iterator[tuple[str, bytes]]:
    """``path``'s bytes under every other suffix (a .docx that is a PDF, a .pdf that is HTML)."""
    data = path.read_bytes()
    own = path.suffix.lower()
    for suffix in SUFFIXES + (CONVERTED if converted else ()):
        if suffix != own:
            yield f"{path.stem[:60]}.as{own.replace('.', '-')}{suffix}", data

"""A generated corpus of hostile files: every way a reader has been made to fail, built by code.

    from hostile import write_hostile_corpus
    paths = write_hostile_corpus(tmp_path)          # about 130 files
    expected = expectation(path)                    # "ok", "error" or an error class name

Each case targets one failure class seen on real or crafted files: lazily parsed Office
attributes (bad integers, missing parts, huge ``gridSpan``, XML comments in a body, impossible
grid offsets), zip bombs (one big member, or many 9.9 MB ones), PDF structure damage and
encryption, unknown mail charsets, 1,000-deep multipart and JSON nesting, malformed address
headers, NaN/infinite/absurd times, 5,000-digit numbers, lone surrogates, quadratic patterns
(200k ``<`` in a cue, 100k nested spans, 200k ``[`` in Markdown, quoted HTML in mail), random
binary without NUL bytes, texts over the length budget. The Office and PDF cases mutate the
files in ``examples/`` (ours). ``big=True`` adds the full-size cases (a 120 MB text, a docx
of 150 MB): slow to write, for benchmarks only.

The audit's tests reuse it (mix the corpus with good files and audit the folder).
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DOCX = EXAMPLES / "account_plan_initech.docx"
PPTX = EXAMPLES / "deck_globex.pptx"
PDF = EXAMPLES / "one_pager.pdf"

#: name -> expected outcome: "ok" (reads), "error" (any custfocus ReaderError) or the
#: exact error class name. Filled by the builders below.
EXPECTED: dict[str, str] = {}
_BUILDERS: list[tuple[str, str, Callable[[], bytes]]] = []


def case(name: str, expect: str = "error") -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        _BUILDERS.append((name, expect, build))
        return build

    return register


def expectation(path: Path) -> str:
    return EXPECTED.get(path.name, "error")


def rezip(
    base: Path, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None
) -> bytes:
    """``base`` with members replaced (None removes one) and ``extra`` members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in changes:
                new = changes[info.filename]
                if new is not None:
                    dst.writestr(info.filename, new)
            else:
                dst.writestr(info, src.read(info.filename))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def member(base: Path, name: str) -> bytes:
    with zipfile.ZipFile(base) as zf:
        return zf.read(name)


def xml_edit(base: Path, name: str, old: bytes, new: bytes, count: int = 1) -> bytes:
    data = member(base, name)
    assert old in data, (base, name, old)
    return rezip(base, {name: data.replace(old, new, count)})


def _random(n: int, seed: int = 7, *, no_nul: bool = True) -> bytes:
    rng = random.Random(seed)
    data = bytearray(rng.getrandbits(8) for _ in range(n))
    if no_nul:
        data = bytearray(b or 1 for b in data)
    return bytes(data)


# --- binary content named as text -------------------------------------------------------

for _suffix in ("txt", "md", "html", "vtt", "srt", "json", "eml", "rtf"):
    case(f"binary_no_nul.{_suffix}", "FormatMismatchError")(lambda: _random(100_000))
case("binary_nul.txt", "FormatMismatchError")(lambda: b"abc\x00def" * 1000)
case("binary_small.txt", "FormatMismatchError")(lambda: _random(300, seed=3))

# --- text: length, lines, surrogates ----------------------------------------------------

case("long_3mb.txt", "ok")(lambda: b"Your team saves time every week. " * 100_000)
case("one_long_line.txt", "ok")(lambda: b"x" * 3_000_000)
case("many_newlines.txt", "EmptyDocumentError")(lambda: b"\n" * 2_000_000)
case("speaker_lines.txt", "ok")(
    lambda: b"Sam: how is your team doing today?\nDana: fine\n" * 50_000
)
case("spaces.txt", "EmptyDocumentError")(lambda: b" \t" * 1_000_000)
case("colons.txt", "ok")(lambda: b"A:" * 500_000 + b"\nB: x\n")
case("brackets_time.txt", "ok")(lambda: b"[00:00:01] " * 200_000)
case("surrogate_escapes.txt", "ok")(lambda: b"Your team \xed\xa0\x80 saves time")
case("invalid_utf8_mix.txt", "ok")(lambda: ("café ".encode() + b"\xff\xfe\xfa ") * 1000)

# --- Markdown: patterns that used to go quadratic --------------------------------------

case("brackets.md", "ok")(lambda: b"Your team " + b"[" * 200_000)
case("image_brackets.md", "ok")(lambda: b"Your team " + b"![" * 100_000)
case("stars.md", "ok")(lambda: b"Your team " + b"*a " * 100_000)
case("double_stars.md", "ok")(lambda: b"Your team " + b"**" * 100_000)
case("underscores.md", "ok")(lambda: b"Your team " + b"_x " * 100_000)
case("backticks.md", "ok")(lambda: b"Your team " + b"`" * 200_000)
case("heading_spaces.md", "ok")(lambda: b"# Your team" + b" " * 200_000 + b"x\n")
case("heading_hashes.md", "ok")(lambda: b"# Your team " + b"# " * 100_000 + b"\n")
case("parens.md", "ok")(lambda: b"[Your team](" * 100_000)
case("fences.md", "ok")(lambda: b"Your team\n" + b"```\n" * 100_001)
case("bullets.md", "ok")(lambda: b"- your team\n" * 100_000)

# --- HTML: tag stacks and the parser's own rescans -------------------------------------

case("lt.html", "ok")(lambda: b"<p>Your team</p>" + b"<" * 200_000)
case("lt_a.html", "ok")(lambda: b"<p>Your team</p>" + b"<a" * 100_000)
case("nested_spans.html", "ok")(
    lambda: b"<p>" + b"<span>" * 100_000 + b"Your team" + b"</span>" * 100_000
)
case("nested_unclosed.html", "ok")(lambda: b"<div>" * 100_000 + b"Your team")
case("nested_hidden.html", "ok")(
    lambda: b"<p>Your team</p>" + b"<div hidden><span>" * 50_000 + b"x"
)
case("unmatched_ends.html", "ok")(lambda: b"<p>Your team" + b"</span>" * 200_000)
case("comments.html", "ok")(lambda: b"<p>Your team</p>" + b"<!--" * 100_000)
case("decls.html", "ok")(lambda: b"<p>Your team</p>" + b"<!" * 100_000)
case("script_ends.html", "ok")(lambda: b"<p>Your team</p><script>" + b"</" * 100_000)
case("charrefs.html", "ok")(lambda: b"<p>Your team " + b"&#99999999999;&amp&" * 50_000)
case("attrs.html", "ok")(lambda: b'<p a="' + b"x" * 1_000_000 + b'">Your team</p>')
case("many_attrs.html", "ok")(lambda: b"<p " + b"a=1 " * 200_000 + b">Your team</p>")
case("tables.html", "ok")(lambda: b"<table><tr><td>" * 20_000 + b"Your team")
case("style_hidden.html", "ok")(
    lambda: b"<p>Your team</p>" + b'<p style="' + b"display :" * 50_000 + b'">'
)

# --- WebVTT and SRT ----------------------------------------------------------------------

_CUE = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
case("cue_lt.vtt", "ok")(lambda: _CUE + b"Your team " + b"<" * 200_000 + b"\n")
case("cue_voice.vtt", "ok")(lambda: _CUE + b"Your team " + b"<v " * 100_000 + b"\n")
case("cue_tags.vtt", "ok")(lambda: _CUE + b"<c>" * 100_000 + b"Your team\n")
case("notes.vtt", "ok")(lambda: _CUE + b"Your team\n" + b"NOTE x\n" * 100_000)
case("notes_blank.vtt", "ok")(lambda: b"WEBVTT\n\n" + b"NOTE\n\n" * 100_000 + _CUE[8:] + b"Hi\n")
case("digits.vtt", "ok")(lambda: _CUE + b"Your team\n" + b"9" * 1_000_000 + b"\n")
case("hours.vtt", "CorruptFileError")(
    lambda: b"WEBVTT\n\n99999:00:01.000 --> 99999:00:02.000\nHi\n"
)
case("many_arrows.srt", "error")(lambda: b"1\n" + b"-->" * 200_000)
case("digit_arrows.srt", "ok")(
    lambda: b"1\n00:00:01,000 --> 00:00:02,000\nYour team\n\n" + b"1:1 -->" * 100_000
)
case("cues_20k.srt", "ok")(
    lambda: b"".join(b"%d\n00:00:01,000 --> 00:00:02,000\nYour team\n\n" % i for i in range(20_000))
)
case("no_header.vtt", "FormatMismatchError")(lambda: b"00:00:01.000 --> 00:00:02.000\nHi\n")

# --- JSON transcripts ----------------------------------------------------------------------


def _utt(**fields: object) -> bytes:
    base: dict[str, object] = {"speaker": "Sam", "text": "How is your team doing?", "start": 1}
    base.update(fields)
    return json.dumps([base, {"speaker": "Dana", "text": "Fine.", "start": 2}]).encode()


case("deep_list.json", "error")(lambda: b"[" * 1000 + b"]" * 1000)
case("deep_dict.json", "error")(lambda: b'{"a":' * 1000 + b"1" + b"}" * 1000)
case("very_deep.json", "error")(lambda: b"[" * 200_000)
case("digits_5000.json", "CorruptFileError")(
    lambda: b'[{"text": "x", "start": ' + b"9" * 5000 + b"}]"
)
case("digits_4000.json", "CorruptFileError")(
    lambda: b'[{"text": "x", "start": ' + b"9" * 4000 + b"}]"
)
case("float_digits.json", "CorruptFileError")(
    lambda: b'[{"text": "x", "start": 1' + b"0" * 400 + b".5}]"
)
case("nan.json", "CorruptFileError")(lambda: _utt(start=float("nan")))
case("inf.json", "CorruptFileError")(lambda: _utt(start=float("inf")))
case("neg_inf.json", "CorruptFileError")(lambda: _utt(end=float("-inf")))
case("e999.json", "CorruptFileError")(lambda: b'[{"text": "x", "start": 1e999}]')
case("negative.json", "CorruptFileError")(lambda: _utt(start=-5))
case("absurd.json", "CorruptFileError")(lambda: _utt(start=10**15))
case("nan_string.json", "CorruptFileError")(lambda: _utt(start="nan"))
case("inf_string.json", "CorruptFileError")(lambda: _utt(start="1e999"))
case("clock_string.json", "CorruptFileError")(lambda: _utt(start="99:99:99:99"))
case("long_string_time.json", "CorruptFileError")(lambda: _utt(start="9" * 5000))
case("bool_time.json", "FormatMismatchError")(lambda: _utt(start=True))
case("text_not_str.json", "FormatMismatchError")(lambda: b'[{"text": 5}]')
case("speaker_types.json", "ok")(lambda: _utt(speaker=[1, 2]))
case("surrogates.json", "ok")(lambda: b'[{"speaker": "S\\ud800", "text": "Your team \\udfff"}]')
case("rev_bad_ts.json", "CorruptFileError")(
    lambda: (
        b'{"monologues": [{"speaker": 1, "elements": [{"type": "text", "value": "hi", "ts": "nan"}]}]}'
    )
)
case("scalar.json", "FormatMismatchError")(lambda: b"42")
case("huge_list.json", "ok")(lambda: json.dumps([{"text": "Your team."}] * 20_000).encode())

# --- Email ---------------------------------------------------------------------------------

_HEAD = b"From: Sam <sam@acme.example>\nTo: dana@globex.example\nSubject: Your team\n"


def _mail(body: bytes, headers: bytes = b"") -> bytes:
    return _HEAD + headers + b"\n" + body


case("charset_unknown.eml", "ok")(
    lambda: _mail(
        b"Your team saves time.\n", b'Content-Type: text/plain; charset="x-unknown-foo"\n'
    )
)
case("charset_bogus_word.eml", "ok")(
    lambda: b"From: a@b.c\nSubject: =?x-bogus?Q?hi?=\n\nYour team.\n"
)
case("charset_invalid_bytes.eml", "ok")(
    lambda: _mail(b"Your team \xff\xfe saves\n", b"Content-Type: text/plain; charset=utf-8\n")
)
case("cte_bogus.eml", "ok")(lambda: _mail(b"Your team.\n", b"Content-Transfer-Encoding: x-weird\n"))
case("base64_bad.eml", "any")(
    lambda: _mail(b"!!!!not base64@@@@\n", b"Content-Transfer-Encoding: base64\n")
)


def _deep_multipart(depth: int) -> bytes:
    parts = [_HEAD, b"MIME-Version: 1.0\n"]
    for i in range(depth):
        parts.append(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i))
    parts.append(b"Content-Type: text/plain\n\nYour team.\n")
    for i in reversed(range(depth)):
        parts.append(b"--b%d--\n" % i)
    return b"".join(parts)


case("multipart_1000.eml", "CorruptFileError")(lambda: _deep_multipart(1000))
case("multipart_40.eml", "CorruptFileError")(lambda: _deep_multipart(40))
case("multipart_5.eml", "ok")(lambda: _deep_multipart(5))
case("rfc822_deep.eml", "error")(
    lambda: (b"Content-Type: message/rfc822\n\n" * 1000) + _HEAD + b"\nYour team.\n"
)
case("multipart_no_boundary.eml", "any")(
    lambda: _mail(b"--x\n\nYour team.\n--x--\n", b"Content-Type: multipart/mixed\n")
)
case("from_unclosed.eml", "ok")(
    lambda: b'From: "unclosed <<<@@@>>>\nSubject: Your team\n\nYour team.\n'
)
case("to_commas.eml", "ok")(
    lambda: b"From: a@b.c\nTo: " + b",@," * 50_000 + b"\nSubject: x\n\nYour team.\n"
)
case("to_broken_word.eml", "ok")(
    lambda: b"From: a@b.c\nTo: =?utf-8?q?broken\nSubject: x\n\nYour team.\n"
)
case("from_groups.eml", "ok")(lambda: b"From: g: a@b.c, ; ; :;<>\nSubject: x\n\nYour team.\n")
case("date_bad.eml", "ok")(
    lambda: b"From: a@b.c\nDate: 99 Foo 99999 99:99:99 +9999\nSubject: x\n\nYour team.\n"
)
case("headers_100k.eml", "ok")(lambda: b"X-A: b\n" * 100_000 + _HEAD + b"\nYour team.\n")
case("header_8bit.eml", "ok")(
    lambda: b"From: \xff\xfe <a@b.c>\nSubject: \xe9t\xe9 team\n\nYour team.\n"
)
case("quoted_html.eml", "ok")(
    lambda: _mail(b"<p>Your team</p>" + b"<div " * 100_000, b"Content-Type: text/html\n")
)
case("quoted_blockquotes.eml", "ok")(
    lambda: _mail(b"<p>Your team</p>" + b"<blockquote>" * 100_000, b"Content-Type: text/html\n")
)
case("reply_headers.eml", "ok")(lambda: _mail(b"Your team.\n" + b"On " * 100_000 + b"\n"))
case("no_headers.eml", "FormatMismatchError")(lambda: b"just some words\n")

# --- Word ----------------------------------------------------------------------------------

_DOC = "word/document.xml"
_TC = b"<w:tc>"
case("comment_in_body.docx", "ok")(
    lambda: xml_edit(DOCX, _DOC, b"<w:body>", b"<w:body><!-- a comment --><?pi x?>")
)
case("gridspan_huge.docx", "ok")(
    lambda: xml_edit(DOCX, _DOC, _TC, b'<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr>', 3)
)
case("gridspan_text.docx", "ok")(
    lambda: xml_edit(DOCX, _DOC, _TC, b'<w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr>', 3)
)
case("gridbefore_huge.docx", "ok")(
    lambda: xml_edit(
        DOCX, _DOC, b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="999999999"/></w:trPr>'
    )
)
case("vmerge_orphan.docx", "ok")(
    lambda: xml_edit(DOCX, _DOC, _TC, b'<w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr>', 1)
)
case("bad_int_size.docx", "ok")(
    lambda: xml_edit(DOCX, _DOC, b"<w:r>", b'<w:r><w:rPr><w:sz w:val="abc"/></w:rPr>', 5)
)
case("bad_style_char.docx", "error")(
    lambda: xml_edit(DOCX, _DOC, b'<w:pStyle w:val="Title"/>', b'<w:pStyle w:val="\xc3\xa9\x01"/>')
)
case("bad_style_id.docx", "ok")(
    lambda: xml_edit(DOCX, _DOC, b'<w:pStyle w:val="Title"/>', b'<w:pStyle w:val="NoSuchStyle"/>')
)
case("no_styles.docx", "error")(lambda: rezip(DOCX, {"word/styles.xml": None}))
case("no_document.docx", "error")(lambda: rezip(DOCX, {_DOC: None}))
case("document_not_xml.docx", "error")(lambda: rezip(DOCX, {_DOC: b"<w:document><unclosed"}))
case("content_types_missing.docx", "error")(lambda: rezip(DOCX, {"[Content_Types].xml": None}))
case("rels_missing.docx", "error")(lambda: rezip(DOCX, {"_rels/.rels": None}))
case("rels_nowhere.docx", "error")(
    lambda: rezip(
        DOCX,
        {
            "_rels/.rels": member(DOCX, "_rels/.rels").replace(
                b"word/document.xml", b"word/nowhere.xml"
            )
        },
    )
)
case("billion_laughs.docx", "error")(
    lambda: rezip(
        DOCX,
        {
            _DOC: b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(
                b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10)
                for i in range(9)
            )
            + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
        },
    )
)
case("xxe.docx", "error")(
    lambda: rezip(
        DOCX,
        {
            _DOC: b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&x; Your team</w:t></w:r></w:p></w:body></w:document>"
        },
    )
)
case("deep_xml.docx", "error")(
    lambda: xml_edit(DOCX, _DOC, b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * 5000)
)
case("bomb_many_members.docx", "FileTooLargeError")(
    lambda: rezip(DOCX, {}, {f"word/media/pad{i}.bin": bytes(9_900_000) for i in range(8)})
)
case("bomb_one_member.docx", "FileTooLargeError")(
    lambda: rezip(DOCX, {}, {"word/media/pad.bin": bytes(30_000_000)})
)
case("many_members.docx", "FileTooLargeError")(
    lambda: rezip(DOCX, {}, {f"x/{i}": b"" for i in range(10_050)})
)
case("truncated.docx", "error")(lambda: DOCX.read_bytes()[: DOCX.stat().st_size // 2])
case("not_zip.docx", "FormatMismatchError")(lambda: b"hello this is not a zip")
case("ole2.docx", "EncryptedFileError")(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
case("zip_of_text.docx", "error")(lambda: _zip({"a.txt": b"Your team"}))
case("long_text.docx", "ok")(
    lambda: xml_edit(
        DOCX,
        _DOC,
        b"<w:body>",
        b"<w:body>" + b"<w:p><w:r><w:t>Your team saves time every week.</w:t></w:r></w:p>" * 10_000,
    )
)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


# --- PowerPoint ----------------------------------------------------------------------------

_SLIDE = "ppt/slides/slide1.xml"
case("shape_id_text.pptx", "error")(lambda: xml_edit(PPTX, _SLIDE, b'id="2"', b'id="abc"'))
case("shape_id_huge.pptx", "error")(
    lambda: xml_edit(PPTX, _SLIDE, b'id="2"', b'id="9' + b"9" * 5000 + b'"')
)
case("comment_in_tree.pptx", "ok")(
    lambda: xml_edit(PPTX, _SLIDE, b"<p:spTree>", b"<p:spTree><!-- c -->")
)
case("slide_missing.pptx", "error")(lambda: rezip(PPTX, {_SLIDE: None}))
case("notes_missing.pptx", "any")(lambda: rezip(PPTX, {"ppt/notesSlides/notesSlide1.xml": None}))
case("slide_not_xml.pptx", "error")(lambda: rezip(PPTX, {_SLIDE: b"<p:sld"}))
case("bad_rid.pptx", "error")(
    lambda: rezip(
        PPTX,
        {
            "ppt/_rels/presentation.xml.rels": member(
                PPTX, "ppt/_rels/presentation.xml.rels"
            ).replace(b"slides/slide1.xml", b"slides/none.xml")
        },
    )
)
case("nested_groups.pptx", "ok")(
    lambda: xml_edit(
        PPTX,
        _SLIDE,
        b"</p:spTree>",
        b'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="90" name="g"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
        * 200
        + b"</p:grpSp>" * 200
        + b"</p:spTree>",
    )
)
case("bomb_many_members.pptx", "FileTooLargeError")(
    lambda: rezip(PPTX, {}, {f"ppt/media/pad{i}.bin": bytes(9_900_000) for i in range(8)})
)
case("content_types_bad.pptx", "error")(lambda: rezip(PPTX, {"[Content_Types].xml": b"<Types/>"}))

# --- PDF -----------------------------------------------------------------------------------

case("truncated.pdf", "error")(lambda: PDF.read_bytes()[: PDF.stat().st_size // 3])
case("header_only.pdf", "error")(lambda: b"%PDF-1.4\n")
case("count_huge.pdf", "any")(lambda: PDF.read_bytes().replace(b"/Count 2", b"/Count 999999999", 1))
case("kids_loop.pdf", "any")(lambda: PDF.read_bytes().replace(b"/Kids [3 0 R", b"/Kids [1 0 R", 1))
case("xref_garbage.pdf", "any")(
    lambda: _replace_after(PDF.read_bytes(), b"xref", _random(400, seed=5))
)
case("random_body.pdf", "error")(lambda: b"%PDF-1.7\n" + _random(200_000, seed=9))
case("deep_arrays.pdf", "any")(
    lambda: PDF.read_bytes().replace(b"/MediaBox [", b"/MediaBox " + b"[" * 100_000, 1)
)
case("length_huge.pdf", "any")(lambda: _replace_length(PDF.read_bytes(), b"/Length 99999999999"))
case("flipped_bytes.pdf", "any")(lambda: _flip(PDF.read_bytes(), seed=11, n=200))


def _replace_after(data: bytes, marker: bytes, junk: bytes) -> bytes:
    at = data.rfind(marker)
    return data[:at] + junk if at >= 0 else data + junk


def _replace_length(data: bytes, new: bytes) -> bytes:
    at = data.find(b"/Length ")
    end = data.find(b"\n", at)
    return data[:at] + new + data[end:]


def _flip(data: bytes, *, seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    buf = bytearray(data)
    for _ in range(n):
        buf[rng.randrange(len(buf))] = rng.getrandbits(8)
    return bytes(buf)


def _encrypted_pdf(user: str, owner: str) -> bytes:
    import pypdf

    reader = pypdf.PdfReader(PDF)
    writer = pypdf.PdfWriter()
    writer.append(reader)
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


case("aes_owner_only.pdf", "ok")(lambda: _encrypted_pdf("", "owner-secret"))
case("aes_user_password.pdf", "EncryptedFileError")(lambda: _encrypted_pdf("user", "owner"))

# --- OpenDocument and RTF -------------------------------------------------------------------

_ODT_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
)
_ODT_TAIL = b"</office:text></office:body></office:document-content>"


def _odt(content: bytes, mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    return _zip({"mimetype": mimetype, "content.xml": content})


case("good.odt", "ok")(
    lambda: _odt(_ODT_HEAD + b"<text:p>Your team saves time.</text:p>" + _ODT_TAIL)
)
case("nested_spans.odt", "ok")(
    lambda: _odt(
        _ODT_HEAD
        + b"<text:p>"
        + b"<text:span>" * 100_000
        + b"Your team"
        + b"</text:span>" * 100_000
        + b"</text:p>"
        + _ODT_TAIL
    )
)
case("entities.odt", "error")(
    lambda: _odt(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        + _ODT_HEAD
        + b"<text:p>&a;</text:p>"
        + _ODT_TAIL
    )
)
case("no_content.odt", "error")(
    lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})
)
case("wrong_mimetype.odt", "FormatMismatchError")(
    lambda: _odt(_ODT_HEAD + _ODT_TAIL, b"application/zip")
)
case("not_xml.odt", "error")(lambda: _odt(b"<office:document-content"))
case("bomb.odt", "FileTooLargeError")(
    lambda: _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            **{f"p{i}": bytes(9_900_000) for i in range(8)},
        }
    )
)
case("encrypted.odt", "EncryptedFileError")(
    lambda: _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": _random(500),
            "META-INF/manifest.xml": b"<manifest:encryption-data/>",
        }
    )
)
case("good.rtf", "ok")(lambda: b"{\\rtf1\\ansi Your team saves time.\\par Second paragraph.}")
case("nested.rtf", "any")(
    lambda: b"{\\rtf1 " + b"{" * 100_000 + b"Your team" + b"}" * 100_000 + b"}"
)
case("bad_hex.rtf", "any")(lambda: b"{\\rtf1 Your team " + b"\\'zz\\'" * 100_000 + b"}")
case("unicode_escape.rtf", "CorruptFileError")(
    lambda: b"{\\rtf1 Your team \\u99999999999? \\u-99999? \\u55296?}"
)
case("controls.rtf", "any")(lambda: b"{\\rtf1 " + b"\\" * 200_000 + b"Your team}")
case("codepage.rtf", "any")(lambda: b"{\\rtf1\\ansi\\ansicpg99999 Your team \\'e9}")
case("not_rtf.rtf", "FormatMismatchError")(lambda: b"plain words, not RTF")

# --- formats read through LibreOffice --------------------------------------------------------

case("random.ppt", "error")(lambda: _random(5000, seed=13))
case("random.doc", "any")(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _random(5000, seed=17))

# --- empty and odd files -------------------------------------------------------------------

for _suffix in (
    "txt",
    "md",
    "html",
    "vtt",
    "srt",
    "json",
    "eml",
    "docx",
    "pptx",
    "pdf",
    "odt",
    "rtf",
):
    case(f"empty.{_suffix}", "EmptyDocumentError")(lambda: b"")


def write_hostile_corpus(folder: str | os.PathLike[str], *, big: bool = False) -> list[Path]:
    """Write every hostile case into ``folder`` and return the paths, in a stable order.

    ``big`` adds the full-size cases (a 120 MB text, a Word file whose text is 150 MB):
    they take seconds to write and are for benchmarks, not the test suite.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    builders = list(_BUILDERS)
    if big:
        builders += [
            ("big_120mb.txt", "ok", lambda: b"Your team saves time every week. " * 3_700_000),
            (
                "big_150mb.docx",
                "error",
                lambda: xml_edit(
                    DOCX,
                    _DOC,
                    b"<w:body>",
                    b"<w:body>"
                    + b"<w:p><w:r><w:t>Your team saves time every week.</w:t></w:r></w:p>"
                    * 2_000_000,
                ),
            ),
        ]
    for name, expect, build in builders:
        EXPECTED[name] = expect
        path = out / name
        path.write_bytes(build())
        paths.append(path)
    loop = out / "loop.txt"
    if not loop.is_symlink():
        os.symlink("loop.txt", loop)
    EXPECTED[loop.name] = "error"
    paths.append(loop)
    directory = out / "folder.txt"
    directory.mkdir(exist_ok=True)
    EXPECTED[directory.name] = "error"
    paths.append(directory)
    return paths

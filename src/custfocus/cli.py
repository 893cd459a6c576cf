"""The ``custfocus`` command: score files, audit folders, train and evaluate the model.

Exit status (also in ``custfocus --help``): 0 success; 1 a file scored under
``--fail-under``; 2 bad usage or settings (nothing was scored); 3 some file could not be read
(every other file still got its row); 130 interrupted (Ctrl-C; the rows finished so far are
kept); 141 stdout was closed early (``custfocus score x | head``), quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import CustfocusError

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_FAIL_UNDER",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "main",
]

EXIT_OK = 0
EXIT_FAIL_UNDER = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EPILOG = """\
exit status:
  0    every file scored (skipped files do not count against it)
  1    a file scored under --fail-under
  2    bad usage or settings (a bad flag, a missing path, a tampered --model); nothing scored
  3    some file could not be read; every other file still got its row
  130  interrupted (Ctrl-C, or SIGTERM to an audit); the rows finished so far are kept
  141  stdout was closed early (e.g. piped into head)
"""

AUDIT_EPILOG = """\
output (-o): .csv or .jsonl rows are written (and flushed) as each file finishes, so an
interrupted audit keeps them and --resume continues it; .html or .htm is written at the
end (on Ctrl-C, with what finished). -o is checked before any work: its folder must exist,
it must not be a folder or a symbolic link, and an existing file needs --force (or
--resume). Every file under a folder gets a row: ok, error (with the reason), or skipped (a
format custfocus does not read, a symlink loop, no permission, an earlier custfocus
report). Hidden files and folders (.name), Office lock files (~$name) and the -o file itself
are left out. Each file is scored in a supervised worker process, --jobs 1 included: an
exception, a file over --timeout or over --max-memory, or a killed worker costs that file
an error row and the audit goes on.

"""


class UsageError(Exception):
    """A command-line mistake: printed as one line, exit status 2, nothing scored."""


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n == 0:
        raise argparse.ArgumentTypeError("0 workers cannot score anything: use 1, 2... or -1")
    return n


def _seconds(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not t > 0 or t == float("inf"):
        raise argparse.ArgumentTypeError("the time limit must be a positive number of seconds")
    return t


def _megabytes(value: str) -> int:
    try:
        mb = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of MB: {value!r}") from None
    if mb < 0:
        raise argparse.ArgumentTypeError("the memory cap must be 0 (none) or a number of MB")
    return mb


def _add_limits(p: argparse.ArgumentParser) -> None:
    from .audit import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT

    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit per file (default {DEFAULT_TIMEOUT:g})")  # fmt: skip
    p.add_argument("--max-memory", type=_megabytes, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                   help=f"address-space cap per worker process, 0 for none "
                        f"(default {DEFAULT_MAX_MEMORY_MB})")  # fmt: skip
    p.add_argument("--debug", action="store_true",
                   help="keep the traceback of an unexpected error (row and stderr)")  # fmt: skip


def _add_names(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seller",
        action="append",
        default=[],
        metavar="NAME",
        help="seller company or product name (repeatable)",
    )
    p.add_argument(
        "--customer", action="append", default=[], metavar="NAME", help="customer name (repeatable)"
    )
    p.add_argument(
        "--seller-speaker",
        action="append",
        default=[],
        metavar="NAME",
        help="in transcripts, a speaker who is the seller (repeatable)",
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        help="custfocus.toml or pyproject.toml (default: found in the current folder)",
    )
    p.add_argument("--model", metavar="PATH",
                   help="content model you trust (none: reference focus only)")  # fmt: skip


def _add_context(p: argparse.ArgumentParser) -> None:
    p.add_argument("--manifest", metavar="FILE.csv",
                   help="per-file context: path plus any of rep, account, offering, date, "
                        "genre, sellers, customers (names ';'-separated)")  # fmt: skip
    p.add_argument("--no-infer", action="store_true",
                   help="do not infer names, rep, account... from the files")  # fmt: skip


CORPORA_HELP = "the corpora folder (default: $CUSTFOCUS_CORPORA, else ../shared/data)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custfocus",
        description="Measure how customer-centric sales material is.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"custfocus {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    score = sub.add_parser(
        "score",
        help="score files and print a summary per file",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("files", nargs="+", metavar="FILE")
    score.add_argument("--json", action="store_true", help="print the full reports as JSON")
    _add_names(score)
    _add_context(score)
    _add_limits(score)

    audit = sub.add_parser(
        "audit",
        help="audit files and folders; write a report",
        epilog=AUDIT_EPILOG + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("paths", nargs="+", metavar="PATH")
    audit.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="report file ending in .csv, .jsonl, .html or .htm (default: table on stdout)",
    )
    audit.add_argument("--jobs", type=_jobs, default=1,
                       help="worker processes (default 1; -1: all cores)")  # fmt: skip
    audit.add_argument(
        "--resume", action="store_true", help="continue the .csv/.jsonl report named by -o"
    )
    audit.add_argument(
        "--fail-under", type=float, metavar="SCORE", help="exit 1 when any file scores under SCORE"
    )
    audit.add_argument("--no-recursive", action="store_true", help="do not descend into folders")
    audit.add_argument("--force", action="store_true", help="overwrite an existing output")
    audit.add_argument("--by", action="append", default=[], metavar="KEY",
                       choices=("rep", "account", "offering", "genre", "month", "format"),
                       help="print scores per rep, account, offering, genre, month or format "
                            "(repeatable)")  # fmt: skip
    audit.add_argument("--groups", metavar="FILE",
                       help="write the --by groups to FILE.csv or FILE.json")  # fmt: skip
    audit.add_argument("--messaging", metavar="FILE",
                       help="marketing's reference messaging for the team analyses "
                            "(one message per line or heading)")  # fmt: skip
    audit.add_argument("--team", metavar="FILE.json",
                       help="write the team analyses (messages across reps, customer voice "
                            "across accounts, flags with evidence) to FILE.json")  # fmt: skip
    audit.add_argument("--theme-matcher", choices=("word", "char", "embed"), default="word",
                       help="how customer statements meet in themes: content words (word, the "
                            "default), char grams (char) or by meaning (embed, needs "
                            "custfocus[embed])")  # fmt: skip
    _add_names(audit)
    _add_context(audit)
    _add_limits(audit)

    train = sub.add_parser(
        "train",
        help="train a content model on labelled JSON Lines, or on the real corpora (--real)",
    )
    train.add_argument("data", metavar="DATA.jsonl", nargs="?")
    train.add_argument(
        "--real", action="store_true", help="train on our labels joined to the real corpora"
    )
    train.add_argument("--corpora", metavar="PATH", help=CORPORA_HELP)
    train.add_argument("-o", "--output", required=True, metavar="MODEL.npz")
    train.add_argument("--C", type=float, default=2.0, help="inverse regularisation strength")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--test", metavar="TEST.jsonl",
                       help="held-out data to evaluate after fitting (figures saved)")  # fmt: skip

    evaluate = sub.add_parser(
        "evaluate",
        help="grouped real-text evaluation (no DATA), or a model on labelled JSON Lines",
    )
    evaluate.add_argument("data", metavar="DATA.jsonl", nargs="?")
    evaluate.add_argument("--corpora", metavar="PATH", help=CORPORA_HELP)
    evaluate.add_argument("--model", metavar="PATH", help="model file (default: the packaged one)")
    evaluate.add_argument("--json", action="store_true")
    return parser


def _settings(args: argparse.Namespace) -> Any:
    from .config import load_settings

    settings = load_settings(args.config)
    model: str | None = settings.model
    if args.model:
        model = None if args.model.lower() == "none" else str(Path(args.model).resolve())
    return settings.merged(
        seller=tuple(dict.fromkeys((*settings.seller, *args.seller))),
        customer=tuple(dict.fromkeys((*settings.customer, *args.customer))),
        seller_speakers=tuple(args.seller_speaker) or settings.seller_speakers,
        infer_context=False if getattr(args, "no_infer", False) else None,
    ).replace_model(model)


def _summary(report: Any, path: str) -> str:
    from .advice import most_self_centred, suggestions

    lines = [f"{path}: score {report.score:.1f}/100 ({report.band})"]
    comps = ", ".join(f"{k} {v:.2f}" for k, v in report.components.items() if v is not None)
    lines.append(f"  components: {comps}")
    share = "n/a" if report.customer_share is None else f"{report.customer_share:.0%}"
    lines.append(
        f"  customer share {share} ({report.counts['customer']} customer, "
        f"{report.counts['self']} self mentions); naive We-We "
        + ("n/a" if report.naive_we_we is None else f"{report.naive_we_we:.0%}")
    )
    inward = getattr(report, "inward", None)
    if inward is not None and inward.seller_process + inward.buyer_process:
        line = (
            f"  inward-out: {inward.seller_process} seller-process, {inward.buyer_process} "
            f"buyer-process term(s) (inward share {inward.inward_share:.0%})"
        )
        if inward.selling_without_customer:
            line += "; flagged: about selling, never refers to a customer or buyer"
        lines.append(line)
    plan = getattr(report, "plan", None)
    if plan is not None:
        covered = len(plan.parts) - len(plan.gaps)
        lines.append(
            f"  account plan: covers {covered}/{len(plan.parts)} parts of the customer's "
            f"context; gaps: {', '.join(plan.gaps) or 'none'}"
        )
    if report.content:
        c = report.content
        lines.append(
            f"  discovery {c.discovery_share:.0%}, value {c.value_share:.0%}, "
            f"pitch {c.pitch_share:.0%}; {c.questions} question(s)"
            if c.discovery_share is not None
            else "  no labelled sentences"
        )
    if report.conversation:
        cv = report.conversation
        ratio = cv.seller_talk_ratio_time or cv.seller_talk_ratio_words
        sellers = ", ".join(r.speaker for r in cv.roles if r.role == "seller") or "none"
        if cv.roles_uncertain:
            sellers += " (roles uncertain: pass --seller-speaker)"
        lines.append(
            f"  seller(s): {sellers}; talk ratio "
            + ("n/a" if ratio is None else f"{ratio:.0%}")
            + " (top performers ~43%, over 65% hurts); "
            + f"{cv.seller_questions} seller question(s) (11-14 on good discovery calls)"
        )
    context = _context_line(report.meta.get("context"))
    if context:
        lines.append(f"  context: {context}")
    worst = most_self_centred(report, limit=5)
    if worst:
        lines.append("  most self-centred sentences:")
        for s in worst:
            where = f"[{s.location}] " if s.location else ""
            text = " ".join(s.text.split())
            lines.append(f"    {where}{text[:100]}")
    for tip in suggestions(report, limit=3):
        lines.append(f"  suggestion: {tip}")
    return "\n".join(lines)


def _context_line(ctx: Any) -> str:
    """``customer Initech Health, Initech (inferred: account-plan title); rep ...``."""
    if not isinstance(ctx, dict):
        return ""
    parts = []

    def how(values: list[dict[str, Any]]) -> str:
        sources = dict.fromkeys(v["source"] for v in values)
        methods = dict.fromkeys(v.get("method") for v in values if v.get("method"))
        why = ", ".join(m for m in methods if m)
        return "/".join(sources) + (f": {why}" if why and "inferred" in sources else "")

    for name, label in (("customers", "customer"), ("sellers", "seller")):
        values = ctx.get(name) or []
        if values:
            parts.append(f"{label} {', '.join(v['value'] for v in values)} ({how(values)})")
    for name in ("rep", "account", "offering", "date", "genre"):
        v = ctx.get(name)
        if v:
            parts.append(f"{name} {v['value']} ({v['source']})")
    return "; ".join(parts)


def _say(text: str, *, err: bool = False) -> None:
    """Print ``text`` (a file name's undecodable bytes escaped, so printing cannot fail)."""
    from .audit.rows import safe_text

    print(safe_text(text), file=sys.stderr if err else sys.stdout)


def _check_inputs(paths: Sequence[str], *, files_only: bool) -> None:
    """Refuse missing paths (and, for ``score``, folders) before any work."""
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: not found")
        if files_only and os.path.isdir(path):
            raise UsageError(f"{path} is a folder: use `custfocus audit {path}` to audit a folder")


def _audit_job(args: argparse.Namespace, paths: Sequence[str], keep: bool, **extra: Any) -> Any:
    from .audit import Audit

    manifest = getattr(args, "manifest", None)
    if manifest and not os.path.isfile(manifest):
        raise UsageError(f"{manifest}: manifest not found")
    job = Audit(
        paths,
        _settings(args),
        n_jobs=getattr(args, "jobs", 1),
        keep_reports=keep,
        timeout=args.timeout,
        max_memory_mb=args.max_memory or None,
        debug=args.debug,
        manifest=manifest,
        team=args.command == "audit",
        **extra,
    )
    job.messaging = getattr(args, "messaging", None)
    return job


def _cmd_score(args: argparse.Namespace) -> int:
    _check_inputs(args.files, files_only=True)
    files = list(dict.fromkeys(args.files))
    status = EXIT_OK
    out = []
    for result in _audit_job(args, files, keep=True):
        row = result.row
        if result.report is None:
            _say(f"{row.status}: {row.error}", err=True)
            if args.debug and row.traceback:
                _say(row.traceback, err=True)
            status = EXIT_UNREADABLE
        elif args.json:
            out.append(result.report.to_dict())
        else:
            _say(_summary(result.report, row.path))
    if args.json:
        _say(json.dumps(out if len(out) != 1 else out[0], indent=2))
    return status


def _check_output(args: argparse.Namespace) -> tuple[Path | None, str | None, list[Any]]:
    """Check ``-o`` before any work: its kind, and the rows to keep when resuming.

    Refused: an unknown suffix, a symbolic link (dangling or not: we never write through
    one), a folder, a missing parent folder, an existing file without ``--force`` or
    ``--resume``.
    """
    from .audit.rows import OUTPUT_SUFFIXES, read_rows

    if not args.output:
        if args.resume:
            raise UsageError("--resume needs the report to continue: -o FILE.csv or FILE.jsonl")
        return None, None, []
    out = Path(args.output)
    if out.is_symlink():
        raise UsageError(f"{out} is a symbolic link; refusing to write through it")
    if out.is_dir():
        raise UsageError(f"{out} is a folder; -o needs a file name")
    kind = OUTPUT_SUFFIXES.get(out.suffix.lower())
    if kind is None:
        raise UsageError(f"{out}: -o must end in .csv, .jsonl, .html or .htm")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{out}: the folder {parent} is not writable")
    if args.resume:
        if kind == "html":
            raise UsageError("--resume continues a .csv or .jsonl report, not HTML")
        if not out.exists():
            return out, kind, []
        try:
            return out, kind, read_rows(out)
        except (ValueError, OSError) as exc:
            raise UsageError(f"cannot resume: {exc}") from None
    if out.exists() and not args.force:
        raise UsageError(f"{out} exists; use --force to overwrite or --resume to continue it")
    return out, kind, []


def _write_html(out: Path, job: Any, sections: Sequence[tuple[str, str, str]] = ()) -> None:
    """Write the HTML report atomically: a temporary file in the same folder, then rename
    (which replaces a link planted meanwhile, never its target)."""
    import tempfile

    from .audit.rows import safe_text
    from .render import audit_html

    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".custfocus-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(safe_text(audit_html(job, sections)))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _on_sigterm(handler: Any) -> Any:
    """Install a SIGTERM handler where one can be (the main thread); return the old one."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _cmd_audit(args: argparse.Namespace) -> int:
    from .audit import discover
    from .audit.rows import RowWriter, safe_text
    from .audit.spill import sidecar_path

    out, kind, kept = _check_output(args)
    _check_inputs(args.paths, files_only=False)
    if args.groups:
        from .audit.groups import groups_kind

        groups_kind(args.groups)  # refuses a bad suffix before any work
        if not args.by:
            raise UsageError("--groups needs --by KEY (rep, account, offering, genre, month)")
    if args.messaging and not os.path.isfile(args.messaging):
        raise UsageError(f"{args.messaging}: messaging file not found")
    if args.theme_matcher == "embed":
        from .team.embedding import load_model

        load_model()  # a missing extra is said before the audit runs, not after
    if args.team:
        team_out = Path(args.team)
        if team_out.suffix.lower() != ".json":
            raise UsageError(f"{team_out}: --team writes JSON; name a .json file")
        if team_out.is_dir() or not team_out.parent.is_dir():
            raise UsageError(f"{team_out}: not a file in an existing folder")
    # Rows stream to a .csv/.jsonl report; the team statements stream next to it, so that
    # --resume can read back those of the rows it keeps (see custfocus.audit.spill).
    sidecar = sidecar_path(out) if out is not None and kind != "html" else None
    if sidecar is not None and sidecar.is_symlink():
        raise UsageError(f"{sidecar} is a symbolic link; refusing to write through it")
    exclude = [p for p in (out, args.team, sidecar) if p]
    paths = discover(args.paths, recursive=not args.no_recursive, exclude=exclude)
    done = {safe_text(r.path) for r in kept}
    todo = [p for p in paths if safe_text(p) not in done]
    keep = kind == "html"
    earlier = sidecar is not None and sidecar.is_file()
    job = _audit_job(args, todo, keep, statements_file=sidecar,
                     kept_paths=done if args.resume else None)  # fmt: skip
    try:
        results = iter(job)  # opens the statements file; a resumed one keeps the kept rows'
    except ValueError as exc:
        raise UsageError(f"cannot resume: {exc}") from None
    if kept and not earlier and (args.manifest or args.messaging or args.team):
        _say(f"warning: {sidecar} is missing, so the team figures cover the {len(todo)} "
             f"file(s) scored now, not the {len(kept)} kept from the earlier run",
             err=True)  # fmt: skip
    existed = out is not None and out.exists()
    append = bool(args.resume and existed and out.stat().st_size > 0)  # type: ignore[union-attr]
    writer = RowWriter(out, append=append) if out is not None and kind != "html" else None
    from tqdm import tqdm

    rows, reports = list(kept), [None] * len(kept)
    bar = tqdm(total=len(todo), unit="file", file=sys.stderr,
               disable=not sys.stderr.isatty() or None)  # fmt: skip
    interrupted = False
    previous = _on_sigterm(_interrupt)  # a polite kill keeps the rows too
    try:
        for result in results:
            rows.append(result.row)
            reports.append(result.report if keep else None)
            if writer is not None:
                writer.write(result.row)
            if args.debug and result.row.traceback:
                bar.write(safe_text(result.row.traceback), file=sys.stderr)
            bar.update(1)
    except KeyboardInterrupt:
        interrupted = True
    except BaseException:
        if writer is not None and not existed and len(rows) == len(kept):
            writer.close()
            out.unlink(missing_ok=True)  # type: ignore[union-attr]  # nothing was written
            if sidecar is not None and not earlier:
                sidecar.unlink(missing_ok=True)  # nor any statement
        raise
    finally:
        results.close()  # type: ignore[attr-defined]  # stops the workers
        if previous is not None:
            _on_sigterm(previous)
        bar.close()
        if writer is not None:
            writer.close()
    job.keep(rows, reports)
    team = None
    if (args.manifest or args.messaging or args.team) and not interrupted:
        team = job.team(theme_matcher=args.theme_matcher)
        if args.team:
            Path(args.team).write_text(json.dumps(team.to_dict(), indent=1), encoding="utf-8")
            _say(f"wrote {args.team}", err=True)
    if out is not None and kind == "html":
        _write_html(out, job, job.team_sections(team) if team is not None else ())
    _print_table(rows)
    if team is not None:
        _say("")
        _say(team.summary())
    if args.by:
        from .audit.groups import group_rows, groups_kind, write_groups

        grouped = [group_rows(rows, key) for key in dict.fromkeys(args.by)]
        for g in grouped:
            _say("")
            _say(g.table())
        if args.groups:
            write_groups(grouped, args.groups, kind=groups_kind(args.groups))
            _say(f"wrote {args.groups}", err=True)
    if out is not None:
        _say(f"wrote {out}" + (" (interrupted: the files finished so far)" if interrupted
                               else ""), err=True)  # fmt: skip
    if interrupted:
        return EXIT_INTERRUPTED
    fail_under = args.fail_under if args.fail_under is not None else job.settings.fail_under
    errors = [r for r in rows if r.status == "error"]
    under = [r for r in rows if fail_under is not None and r.score is not None
             and r.score < fail_under]  # fmt: skip
    if errors:
        _say(f"{len(errors)} file(s) could not be read", err=True)
        return EXIT_UNREADABLE
    if under:
        _say(f"{len(under)} file(s) scored under {fail_under}", err=True)
        return EXIT_FAIL_UNDER
    return EXIT_OK


def _status_cell(row: Any) -> str:
    """``ok``, or the status with its reason, so a table explains every failure."""
    if row.status == "ok":
        return "ok"
    reason = " ".join((row.reason or "").split())
    reason = reason if len(reason) <= 90 else reason[:89] + "…"
    if row.status == "skipped":
        return f"skipped: {reason}"
    return f"error: {row.error_type} ({reason})"


def _print_table(rows: Sequence[Any]) -> None:
    """One line per file (worst first), then counts by status and by extension."""
    width = min(60, max((len(r.path) for r in rows), default=4))
    from .scoring import band

    _say(f"{'file':<{width}}  {'score':>6}  {'band':<16}  {'format':<10}  status")
    order = {"ok": 0, "error": 1, "skipped": 2}
    for r in sorted(rows, key=lambda r: (order.get(r.status, 3), r.score or 0.0)):
        score = "" if r.score is None else f"{r.score:6.1f}"
        named = "" if r.score is None else band(r.score)
        _say(
            f"{r.path[-width:]:<{width}}  {score:>6}  {named:<16}  {(r.format or ''):<10}  "
            f"{_status_cell(r)}"
        )
    _say(_counts(rows))


def _counts(rows: Sequence[Any]) -> str:
    """``N file(s): a ok, b error, c skipped; mean score S`` and the same per extension."""
    by_status = Counter(r.status for r in rows)
    scored = [r.score for r in rows if r.score is not None]
    line = f"{len(rows)} file(s): " + ", ".join(
        f"{by_status[s]} {s}" for s in ("ok", "error", "skipped") if by_status[s]
    )
    if scored:
        line += f"; mean score {sum(scored) / len(scored):.1f}"
    per_ext: dict[str, Counter[str]] = {}
    for r in rows:
        ext = Path(r.path).suffix.lower() or "(none)"
        per_ext.setdefault(ext, Counter())[r.status] += 1
    parts = [
        f"{ext} " + ", ".join(f"{c[s]} {s}" for s in ("ok", "error", "skipped") if c[s])
        for ext, c in sorted(per_ext.items())
    ]
    return line + ("\nby extension: " + "; ".join(parts) if parts else "")


def _cmd_train(args: argparse.Namespace) -> int:
    from .training import data_hash, load_examples, train

    if not args.real and not args.data:
        raise CustfocusError("give DATA.jsonl, or --real to train on the real corpora")
    examples = load_examples(args.data) if args.data else []
    questions: list[tuple[str, bool]] = []
    metadata: dict[str, Any] = {}
    if args.data:
        metadata["training_data"] = Path(args.data).name
        metadata["training_data_sha256"] = data_hash([args.data])
    if args.real:
        from .corpus import corpora_root
        from .evaluation import build_training_set

        root = corpora_root(args.corpora)
        if root is None:
            raise CustfocusError("real corpora not found: pass --corpora or set CUSTFOCUS_CORPORA")
        real, questions, counts = build_training_set(root)
        examples += real
        metadata["training_sources"] = counts
    model = train(
        examples,
        question_examples=questions,
        C=args.C,
        random_state=args.seed,
        metadata=metadata,
    )
    extra = {}
    if args.test:
        from .training import evaluate

        held_out = evaluate(load_examples(args.test), model)
        extra = {
            "test_data": Path(args.test).name,
            "test_data_sha256": data_hash([args.test]),
            "test_metrics": held_out.to_dict(),
        }
        print(held_out.table())
    path = model.save(args.output, extra)
    print(f"trained on {len(examples)} examples; wrote {path} and {path.with_suffix('.json')}")
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .model import load_model
    from .training import evaluate, load_examples

    if not args.data:
        if args.model:
            raise CustfocusError("--model needs DATA.jsonl: the grouped evaluation retrains")
        from .evaluation import grouped_evaluation

        grouped = grouped_evaluation(
            args.corpora, progress=lambda msg: print(msg, file=sys.stderr, flush=True)
        )
        print(json.dumps(grouped.to_dict(), indent=2) if args.json else grouped.table())
        return EXIT_OK

    model = load_model(args.model) if args.model else load_model()
    result = evaluate(load_examples(args.data), model)
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.table())
    return EXIT_OK


def _quiet_stdout() -> None:
    """After a closed pipe: send what is left of stdout nowhere, so exiting stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    except Exception:  # io.UnsupportedOperation: a captured stdout has no file descriptor
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``custfocus`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    handler = {
        "score": _cmd_score,
        "audit": _cmd_audit,
        "train": _cmd_train,
        "evaluate": _cmd_evaluate,
    }[args.command]
    try:
        return handler(args)
    except (CustfocusError, UsageError) as exc:
        _say(f"custfocus: {exc}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("custfocus: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

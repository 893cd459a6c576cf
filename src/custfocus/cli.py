"""The ``custfocus`` command: score files, audit folders, train and evaluate the model.

Exit status: 0 success; 1 a file scored under ``--fail-under``; 2 bad usage or settings;
3 some files could not be read (the audit still scored every other file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import CustfocusError

__all__ = ["EXIT_FAIL_UNDER", "EXIT_OK", "EXIT_UNREADABLE", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FAIL_UNDER = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3


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


CORPORA_HELP = "the corpora folder (default: $CUSTFOCUS_CORPORA, else ../shared/data)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custfocus", description="Measure how customer-centric sales material is."
    )
    parser.add_argument("--version", action="version", version=f"custfocus {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    score = sub.add_parser("score", help="score files and print a summary per file")
    score.add_argument("files", nargs="+", metavar="FILE")
    score.add_argument("--json", action="store_true", help="print the full reports as JSON")
    _add_names(score)

    audit = sub.add_parser("audit", help="audit files and folders; write a report")
    audit.add_argument("paths", nargs="+", metavar="PATH")
    audit.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="report file: .html, .csv or .jsonl (default: table on stdout)",
    )
    audit.add_argument("--jobs", type=int, default=1, help="parallel processes (-1: all cores)")
    audit.add_argument(
        "--fail-under", type=float, metavar="SCORE", help="exit 1 when any file scores under SCORE"
    )
    audit.add_argument("--no-recursive", action="store_true", help="do not descend into folders")
    audit.add_argument("--force", action="store_true", help="overwrite an existing output")
    _add_names(audit)

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


def _cmd_score(args: argparse.Namespace) -> int:
    from .audit import score_path

    settings = _settings(args)
    status = EXIT_OK
    out = []
    for path in args.files:
        result = score_path(path, settings)
        if result.report is None:
            print(f"{path}: error: {result.row.error}", file=sys.stderr)
            status = EXIT_UNREADABLE
            continue
        if args.json:
            out.append(result.report.to_dict())
        else:
            print(_summary(result.report, path))
    if args.json:
        print(json.dumps(out if len(out) != 1 else out[0], indent=2))
    return status


def _cmd_audit(args: argparse.Namespace) -> int:
    from .audit import Audit, discover
    from .render import audit_html

    settings = _settings(args)
    out = Path(args.output) if args.output else None
    if out is not None:
        if out.suffix.lower() not in (".html", ".htm", ".csv", ".jsonl", ".json"):
            print("custfocus: -o must end in .html, .csv or .jsonl", file=sys.stderr)
            return EXIT_USAGE
        if out.exists() and not args.force:
            print(f"custfocus: {out} exists; use --force to overwrite", file=sys.stderr)
            return EXIT_USAGE
    paths = discover(args.paths, recursive=not args.no_recursive)
    keep = out is not None and out.suffix.lower() in (".html", ".htm")
    job = Audit(paths, settings, n_jobs=args.jobs, keep_reports=keep)
    from tqdm import tqdm

    rows, reports = [], []
    bar = tqdm(
        total=len(paths), unit="file", file=sys.stderr, disable=not sys.stderr.isatty() or None
    )
    for result in job:
        rows.append(result.row)
        reports.append(result.report if keep else None)
        bar.update(1)
    bar.close()
    job._rows, job._reports = rows, reports
    if out is not None:
        suffix = out.suffix.lower()
        if suffix in (".html", ".htm"):
            out.write_text(audit_html(job), encoding="utf-8")
        elif suffix == ".csv":
            job.to_csv(out)
        else:
            job.to_json(out)
    _print_table(rows)
    fail_under = args.fail_under if args.fail_under is not None else settings.fail_under
    errors = [r for r in rows if r.status == "error"]
    under = [r for r in rows if fail_under is not None and r.score is not None
             and r.score < fail_under]  # fmt: skip
    if out is not None:
        print(f"wrote {out}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} file(s) could not be read", file=sys.stderr)
        return EXIT_UNREADABLE
    if under:
        print(f"{len(under)} file(s) scored under {fail_under}", file=sys.stderr)
        return EXIT_FAIL_UNDER
    return EXIT_OK


def _print_table(rows: Sequence[Any]) -> None:
    width = min(60, max((len(r.path) for r in rows), default=4))
    from .scoring import band

    print(f"{'file':<{width}}  {'score':>6}  {'band':<16}  {'format':<10}  status")
    for r in sorted(rows, key=lambda r: (r.score is None, r.score or 0.0)):
        score = "" if r.score is None else f"{r.score:6.1f}"
        named = "" if r.score is None else band(r.score)
        status = r.status if r.status == "ok" else f"error: {r.error_type}"
        fmt = r.format or ""
        print(f"{r.path[-width:]:<{width}}  {score:>6}  {named:<16}  {fmt:<10}  {status}")
    scored = [r.score for r in rows if r.score is not None]
    if scored:
        print(f"{len(rows)} file(s); mean score {sum(scored) / len(scored):.1f}")


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``custfocus`` console script."""
    args = build_parser().parse_args(argv)
    handler = {
        "score": _cmd_score,
        "audit": _cmd_audit,
        "train": _cmd_train,
        "evaluate": _cmd_evaluate,
    }[args.command]
    try:
        return handler(args)
    except CustfocusError as exc:
        print(f"custfocus: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

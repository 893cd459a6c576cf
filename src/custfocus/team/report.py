"""The team report: message consistency and customer voice over one stream of statements.

:func:`analyze_team` reads the located statements an audit keeps (:class:`Statement`) once,
runs both analyses and lists every flag with the statements behind it. The HTML report
embeds :meth:`TeamReport.html_sections`: self-contained fragments (all text escaped, no
script, tables in a scrolling wrapper so a phone shows them).
"""

from __future__ import annotations

import html
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .inputs import Statement
from .messages import Message, MessageAnalysis, analyse_messages, read_messaging
from .voice import VoiceAnalysis, analyse_voice

__all__ = ["FLAG_KINDS", "Flag", "TeamReport", "analyze_team"]

#: Every flag the team report raises, with what it means.
FLAG_KINDS = {
    "rep_never_uses_core_messages": "a rep none of whose claims carries a core message",
    "reference_message_unused": "a reference message no rep's claim carries",
    "theme_rests_on_few_accounts": "a customer theme voiced by two accounts or fewer",
    "account_never_heard": "an account given (e.g. in the manifest) with no customer statement",
}
#: Rows shown per HTML table; the JSON output keeps everything.
HTML_ROWS = 50
#: Statements quoted per flag or matrix row in HTML.
HTML_QUOTES = 5
#: Rep or account columns shown in a matrix (the most active first).
HTML_COLUMNS = 30


@dataclass(frozen=True)
class Flag:
    """One finding: its kind (see :data:`FLAG_KINDS`), its subject and the evidence."""

    kind: str
    subject: str
    detail: str
    evidence: tuple[Statement, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "detail": self.detail,
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass(frozen=True)
class TeamReport:
    """Messages across reps, the customer voice across accounts and the flags they raise."""

    messages: MessageAnalysis
    voice: VoiceAnalysis
    flags: tuple[Flag, ...]
    accounts: tuple[str, ...] = ()
    messaging: tuple[Message, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages.to_dict(),
            "voice": self.voice.to_dict(),
            "flags": [f.to_dict() for f in self.flags],
            "accounts": list(self.accounts),
        }

    def summary(self) -> str:
        """A few lines for a terminal: consistency, the voice's spread, the flags by kind."""
        v = self.voice
        kinds: dict[str, list[str]] = {}
        for f in self.flags:
            kinds.setdefault(f.kind, []).append(f.subject)
        lines = [
            f"team: message consistency {self.messages.consistency:.2f} across "
            f"{len(self.messages.reps)} rep(s); customer voice from {v.accounts_heard} "
            f"account(s), top two {v.top2_share:.0%}, effective {v.effective_accounts:.1f}",
        ]
        for kind, subjects in sorted(kinds.items()):
            shown = ", ".join(subjects[:5]) + (
                f" and {len(subjects) - 5} more" if len(subjects) > 5 else ""
            )
            lines.append(f"  {len(subjects)} x {kind.replace('_', ' ')}: {shown}")
        return "\n".join(lines)

    def html_sections(self) -> list[tuple[str, str, str]]:
        """``(section id, title, HTML fragment)`` for the reps and accounts tables, the
        message-by-rep and theme-by-account matrices and the flags with their evidence."""
        return [
            ("team-reps", "Reps and their messages", _reps_html(self)),
            ("team-accounts", "Accounts and their voice", _accounts_html(self)),
            ("team-messages", "Messages by rep", _message_matrix_html(self)),
            ("team-themes", "Customer themes by account", _theme_matrix_html(self)),
            ("team-flags", "Team flags", _flags_html(self)),
        ]


def analyze_team(
    statements: Iterable[Statement],
    *,
    accounts: Sequence[str] = (),
    messaging: Sequence[Message] | str | os.PathLike[str] | None = None,
    theme_matcher: str = "word",
    n_jobs: int = 1,
) -> TeamReport:
    """Message consistency and customer voice over an audit's statements, read once.

    ``accounts`` lists the accounts that exist (a manifest's), so silent ones are found;
    ``messaging`` is a message house (a path, see :func:`read_messaging`, or messages).
    ``theme_matcher`` says how customer statements meet in themes (``"word"``, content
    words; ``"char"``, char grams; or ``"embed"``: by meaning, the ``embed`` extra; see
    :func:`analyse_voice`); messages are always matched on char grams, which measured best
    for them.
    ``n_jobs`` threads compare statements when grouping them. The result does not depend on
    the order of ``statements``, nor on ``n_jobs``.

    >>> s = [Statement("Setup takes one day.", "claim", "a.txt", 0, 20, rep="ann"),
    ...      Statement("We need faster setup.", "customer", "a.txt", 21, 42, account="acme")]
    >>> r = analyze_team(s, accounts=["acme", "bolt"])
    >>> sorted({f.kind for f in r.flags})
    ['account_never_heard', 'theme_rests_on_few_accounts']
    """
    house: tuple[Message, ...]
    if messaging is None:
        house = ()
    elif isinstance(messaging, (str, os.PathLike)):
        house = read_messaging(Path(messaging))
    else:
        house = tuple(messaging)
    claims: list[Statement] = []
    customer: list[Statement] = []
    for s in statements:
        (claims if s.kind == "claim" else customer).append(s)
    msgs = analyse_messages(claims, house, n_jobs=n_jobs)
    voice = analyse_voice(customer, accounts, matcher=theme_matcher, n_jobs=n_jobs)
    return TeamReport(msgs, voice, _flags(msgs, voice), tuple(sorted(set(accounts))), house)


def _flags(msgs: MessageAnalysis, voice: VoiceAnalysis) -> tuple[Flag, ...]:
    flags = []
    n_core = len(msgs.core)
    for rep in msgs.reps:
        if rep.never_core:
            flags.append(
                Flag(
                    "rep_never_uses_core_messages",
                    rep.rep,
                    f"none of {rep.claims} claims carries any of the team's {n_core} core "
                    f"messages (carried by at least {msgs.core_min_reps} reps)",
                    rep.unmatched,
                )
            )
    for use in msgs.references:
        if not use.used:
            m = use.message
            where = f" (line {m.line})" if m.line else ""
            flags.append(
                Flag(
                    "reference_message_unused",
                    m.id,
                    f"no claim carries reference message {m.id}{where}: {m.text}",
                )
            )
    for theme in voice.thin_themes:
        n = len(theme.accounts)
        names = ", ".join(theme.accounts) or "no named account"
        flags.append(
            Flag(
                "theme_rests_on_few_accounts",
                theme.id,
                f"theme voiced by {n} account{'s' if n != 1 else ''} ({names}), fewer than "
                f"{voice.min_accounts}: a data point, not a pattern. Themes group statements "
                f"by {'meaning' if voice.matcher == 'embed' else 'wording'}, and on real "
                "buyer speech other accounts often voice the same theme in other words "
                "(docs/METHOD.md §11): read the statements before concluding",
                theme.statements,
            )
        )
    for acc in voice.silent_accounts:
        flags.append(Flag("account_never_heard", acc, "no customer statement from this account"))
    return tuple(flags)


# -- HTML ---------------------------------------------------------------------------------
def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _pct(x: float) -> str:
    return "–" if math.isnan(x) else f"{100 * x:.0f}%"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """A table whose cells are already HTML; headers are escaped here."""
    cap = f"<caption>{caption}</caption>" if caption else ""
    th = "".join(f"<th scope='col'>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f"<div class='cf-scroll'><table class='cf-table'>{cap}<thead><tr>{th}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _more(total: int, shown: int) -> str:
    if total <= shown:
        return ""
    return f"<p class='cf-muted'>{total - shown} more rows in the JSON output.</p>"


def _quote(s: Statement) -> str:
    who = " · ".join(_e(x) for x in (s.rep, s.account, s.speaker) if x)
    loc = f"{_e(s.path)}:{s.start}–{s.end}"
    where = f"{loc} · {who}" if who else loc
    return f"<li><span class='cf-muted'>{where}</span> <q>{_e(s.text)}</q></li>"


def _quotes(statements: Sequence[Statement]) -> str:
    if not statements:
        return ""
    shown = "".join(_quote(s) for s in statements[:HTML_QUOTES])
    extra = len(statements) - HTML_QUOTES
    more = f"<li>… and {extra} more</li>" if extra > 0 else ""
    return f"<ul class='cf-evidence'>{shown}{more}</ul>"


def _reps_html(r: TeamReport) -> str:
    m = r.messages
    n_core = len(m.core)
    intro = (
        f"<p>Team consistency <b>{_pct(m.consistency)}</b> (mean overlap of the reps' message "
        f"sets); {len(m.groups)} messages in {sum(len(g.statements) for g in m.groups)} claims, "
        f"{n_core} core (carried by at least {m.core_min_reps} reps).</p>"
    )
    if not m.reps:
        return intro + "<p>No claim names its rep.</p>"
    rows = []
    for rep in m.reps[:HTML_ROWS]:
        refs = ", ".join(rep.references) if r.messaging else "–"
        flag = "never uses the core messages" if rep.never_core else ""
        rows.append(
            [
                _e(rep.rep),
                str(rep.claims),
                f"{len(rep.core_carried)}/{n_core} ({_pct(rep.core_share)})",
                _pct(rep.unmatched_share),
                _e(refs),
                f"<span class='cf-flag'>{_e(flag)}</span>" if flag else "",
            ]
        )
    head = ["rep", "claims", "core messages carried", "claims off the core", "reference", "flag"]
    return intro + _table(head, rows) + _more(len(m.reps), HTML_ROWS)


def _accounts_html(r: TeamReport) -> str:
    v = r.voice
    intro = (
        f"<p>{v.accounts_heard} accounts heard; top two accounts {_pct(v.top2_share)} of the "
        f"statements; effective number of accounts "
        f"<b>{'–' if math.isnan(v.effective_accounts) else f'{v.effective_accounts:.1f}'}</b>"
        f"{f'; {v.unattributed} statements name no account' if v.unattributed else ''}.</p>"
    )
    total = sum(c for _, c in v.statements_by_account)
    themes_of: Counter[str] = Counter(a for t in v.themes for a in t.accounts)
    kinds_of: dict[str, Counter[str]] = {}
    for t in v.themes:
        for s, ks in zip(t.statements, t.statement_kinds, strict=True):
            if s.account is not None:
                kinds_of.setdefault(s.account, Counter()).update(ks or ("other",))
    rows = []
    listed = [*v.statements_by_account, *((a, 0) for a in v.silent_accounts)]
    for acc, n in listed[:HTML_ROWS]:
        kinds = ", ".join(f"{k} {c}" for k, c in sorted(kinds_of.get(acc, Counter()).items()))
        rows.append(
            [
                _e(acc),
                str(n),
                _pct(n / total) if total else "–",
                str(themes_of[acc]),
                _e(kinds),
                "<span class='cf-flag'>never heard</span>" if n == 0 else "",
            ]
        )
    head = ["account", "statements", "share", "themes", "kinds", "flag"]
    if not rows:
        return intro + "<p>No customer statement names its account.</p>"
    return intro + _table(head, rows) + _more(len(listed), HTML_ROWS)


def _message_matrix_html(r: TeamReport) -> str:
    m = r.messages
    active = sorted(m.reps, key=lambda x: (-x.claims, x.rep))[:HTML_COLUMNS]
    reps = sorted(x.rep for x in active)
    parts = []
    shown = [g for g in m.groups if len(g.reps) >= 2][:HTML_ROWS]
    if shown and reps:
        rows = []
        for g in shown:
            count = Counter(s.rep for s in g.statements)
            cells = [str(count[rep]) if count[rep] else "" for rep in reps]
            label = f"<b>{_e(g.id)}</b>{' (core)' if g.core else ''}: {_e(g.text)}"
            rows.append([label + _quotes(g.statements), *cells])
        parts.append(_table(["message", *reps], rows, "Claims per rep in each shared message"))
        if len(m.reps) > len(reps):
            parts.append(
                f"<p class='cf-muted'>The {len(reps)} reps with the most claims of "
                f"{len(m.reps)} are shown as columns.</p>"
            )
        parts.append(_more(sum(1 for g in m.groups if len(g.reps) >= 2), HTML_ROWS))
    else:
        parts.append("<p>No message is shared by two reps.</p>")
    if r.messaging and reps:
        rows = []
        for use in m.references[:HTML_ROWS]:
            count = Counter(s.rep for s, _ in use.matches)
            cells = [str(count[rep]) if count[rep] else "" for rep in reps]
            label = f"<b>{_e(use.message.id)}</b>: {_e(use.message.text)}"
            if not use.used:
                label += " <span class='cf-flag'>unused</span>"
            rows.append([label + _quotes([s for s, _ in use.matches]), *cells])
        parts.append(_table(["reference message", *reps], rows, "Reference messaging by rep"))
    return "".join(parts)


def _theme_matrix_html(r: TeamReport) -> str:
    v = r.voice
    accounts = [a for a, _ in v.statements_by_account][:HTML_COLUMNS]
    if not v.themes:
        return "<p>No customer statement.</p>"
    rows = []
    for t in v.themes[:HTML_ROWS]:
        count = Counter(s.account for s in t.statements)
        cells = [str(count[a]) if count[a] else "" for a in accounts]
        kinds = f" <i>{_e(', '.join(t.kinds))}</i>" if t.kinds else ""
        thin = " <span class='cf-flag'>few accounts</span>" if t.thin else ""
        label = f"<b>{_e(t.id)}</b>{kinds}{thin}: {_e(t.text)}"
        rows.append([label + _quotes(t.statements), str(len(t.accounts)), *cells])
    head = ["theme", "accounts", *accounts]
    cut = ""
    if v.accounts_heard > len(accounts):
        cut = (
            f"<p class='cf-muted'>The {len(accounts)} most-heard of {v.accounts_heard} "
            "accounts are shown as columns.</p>"
        )
    table = _table(head, rows, "Customer statements per account in each theme")
    return table + cut + _more(len(v.themes), HTML_ROWS)


def _flags_html(r: TeamReport) -> str:
    if not r.flags:
        return "<p>No team flag.</p>"
    items = []
    for f in r.flags[: HTML_ROWS * 4]:
        items.append(
            f"<li><b>{_e(f.kind.replace('_', ' '))}</b>: {_e(f.subject)}. {_e(f.detail)}"
            f"{_quotes(f.evidence)}</li>"
        )
    more = _more(len(r.flags), HTML_ROWS * 4)
    return f"<ul class='cf-flags'>{''.join(items)}</ul>{more}"

"""Throughput of Analyzer.pipe against the bare spaCy tokenizer, on the same corpus, same run.

    python benchmarks/throughput.py [--words 1000000] [--repeat 3] [--no-model] [--real]

Prints words per second for both (the best of ``--repeat`` passes), their ratio (the goal is
>= 0.5) and peak memory. Seconds are this process's CPU seconds (both sides run in one
thread). On a shared machine even CPU seconds of the same code swing by a fifth with the
load of other programs, so each pass alternates the two sides over twenty slices of the
corpus and the ratio printed is the median pass's. The
default corpus is generated from a seeded mix of sales-like sentences with varied names,
numbers and vocabulary, so the tokenizer cache does not make the baseline unrealistically
fast. ``--real`` measures on real text instead: the sales and marketing corpora and the
persuasion dialogues under ``../shared/data`` (or ``$CUSTFOCUS_CORPORA``), one text per
file or dialogue, repeated until ``--words`` is reached.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from functools import partial

import spacy

from custfocus import Analyzer

OPENERS = [
    "we at {s} build",
    "our {p} gives",
    "how does your team handle",
    "you will get",
    "thank you for",
    "together we could map",
    "i'll make sure",
    "{c}'s reps need",
    "the {w} team at {c} said",
    "what happens when",
    "our award-winning {p} offers",
    "your {w} process depends on",
    "so um how are you handling",
    "let's review",
]
WORDS = (
    "renewals quotes pipeline forecast onboarding invoices dispatch claims audits churn "
    "margin approvals contracts shipments tickets payroll inventory compliance latency "
    "dashboards integrations analytics workflows reps managers buyers finance legal ops "
    "quarter month week hours days faster cheaper manual spreadsheets visibility risk "
    "delays errors costs revenue growth targets hiring training support security"
).split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Pseudo-words from syllables: many types, so the tokenizer cache behaves as on real text."""
    onsets = [
        "",
        "b",
        "c",
        "d",
        "f",
        "g",
        "h",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "v",
        "w",
        "br",
        "cl",
        "dr",
        "fr",
        "gr",
        "pl",
        "pr",
        "sh",
        "st",
        "th",
        "tr",
    ]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "ou", "y"]
    codas = ["", "", "n", "r", "s", "t", "l", "nd", "ng", "st", "ck", "m"]
    words: dict[str, None] = dict.fromkeys(WORDS)
    while len(words) < size:
        n = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        words[
            "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(n))
        ] = None
    return list(words)


def corpus(n_words: int, seed: int = 7, types: int = 40_000) -> list[str]:
    """Sales-like documents: fixed openers with reference words, then Zipf-distributed words."""
    rng = random.Random(seed)
    vocab = vocabulary(rng, types)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf's law, as in real text
    sellers = [f"{rng.choice(['Acme', 'Nova', 'Zen', 'Blue'])}{i}" for i in range(200)]
    customers = [f"Cust{i}" for i in range(500)]
    products = [f"{w}{i}" for i, w in enumerate(rng.choices(WORDS, k=300))]
    docs, words = [], 0
    while words < n_words:
        sents = []
        for _ in range(rng.randint(5, 30)):
            opener = rng.choice(OPENERS).format(
                s=rng.choice(sellers),
                c=rng.choice(customers),
                p=rng.choice(products),
                w=rng.choice(WORDS),
            )
            body = rng.choices(vocab, weights=weights, k=rng.randint(4, 22))
            if rng.random() < 0.3:
                body[rng.randrange(len(body))] += ","
            if rng.random() < 0.2:
                body.append(f"by {rng.randint(2, 95)}%")
            if rng.random() < 0.15:
                body.insert(0, rng.choice(vocab).capitalize())
            end = rng.choice([".", ".", ".", "?", "!", "\n"])
            sents.append(f"{opener.capitalize()} {' '.join(body)}{end}")
        doc = " ".join(sents)
        words += len(doc.split())
        docs.append(doc)
    return docs


def real_corpus(n_words: int) -> list[str]:
    """Real documents: each sales/marketing file's sentences, each persuasion dialogue."""
    from collections import defaultdict

    from custfocus.corpus import corpora_root, pfg_sentences, sales_sentences

    root = corpora_root()
    if root is None:
        raise SystemExit("--real: corpora not found (set CUSTFOCUS_CORPORA)")
    files: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in sales_sentences(root):
        files[(s.source, s.path)].append(s.text)
    for p in pfg_sentences(root, annotated=False):
        files[("pfg", p.dialog_id)].append(p.text)
    base = [" ".join(v) for v in files.values()]
    docs, words = [], 0
    while words < n_words:
        for d in base:
            docs.append(d)
            words += len(d.split())
            if words >= n_words:
                break
    return docs


def measure(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best = float("inf")
    n = 0
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        n = fn()
        best = min(best, time.process_time() - t0)
    return best, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--no-model", action="store_true", help="reference focus only")
    ap.add_argument("--real", action="store_true", help="real corpora instead of generated text")
    args = ap.parse_args()

    texts = real_corpus(args.words) if args.real else corpus(args.words)
    n_words = sum(len(t.split()) for t in texts)
    blank = spacy.blank("en")
    kwargs = {"model": None} if args.no_model else {}
    try:
        analyzer = Analyzer(seller=["Acme1", "Nova2"], customer=["Cust1"], **kwargs)
    except TypeError:  # before the content model existed
        analyzer = Analyzer(seller=["Acme1", "Nova2"], customer=["Cust1"])

    def bare(part: list[str] = texts) -> int:
        return sum(len(d) for d in blank.pipe(part, batch_size=args.batch_size))

    def full(part: list[str] = texts) -> int:
        reports: Iterator[object] = analyzer.pipe(part, batch_size=args.batch_size)
        return sum(1 for _ in reports)

    full()  # warm caches (tokenizer, lexicon load, model load) for both sides fairly
    bare()
    # Interleave the two, a slice of the corpus at a time, so a burst of load on this shared
    # machine hits both alike: each repeat's ratio is over the same moments, and the median
    # repeat is reported (the best time of each side, measured at different moments, can
    # pair a quiet spell with a busy one).
    t_bare = t_full = float("inf")
    ratios = []
    step = max(1, len(texts) // 20)
    for r in range(args.repeat):
        spent = {"bare": 0.0, "full": 0.0}
        for k, a in enumerate(range(0, len(texts), step)):
            part = texts[a : a + step]
            for side in ("bare", "full") if (r + k) % 2 == 0 else ("full", "bare"):
                run = partial(bare if side == "bare" else full, part)
                spent[side] += measure(run, 1)[0]
        t_bare, t_full = min(t_bare, spent["bare"]), min(t_full, spent["full"])
        ratios.append(spent["bare"] / spent["full"])
    tracemalloc.start()
    full()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kind = "real" if args.real else "generated"
    print(f"{kind} corpus: {len(texts)} texts, {n_words:,} words (best of {args.repeat})")
    print(f"bare spacy.blank('en') tokenizer: {n_words / t_bare:>12,.0f} words/CPU-s")
    print(f"custfocus Analyzer.pipe:          {n_words / t_full:>12,.0f} words/CPU-s")
    print(f"ratio (goal >= 0.5):              {statistics.median(ratios):>12.2f}  "
          f"(median of {len(ratios)}: {', '.join(f'{x:.2f}' for x in ratios)})")  # fmt: skip
    print(f"peak Python memory during Analyzer.pipe: {peak / 1e6:,.1f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"max RSS of the process: {rss:,.0f} MB")


if __name__ == "__main__":
    main()

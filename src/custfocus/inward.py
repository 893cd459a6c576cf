"""Inward-out language: does a text talk about our selling, or about the customer's buying?

Sales plans and decks drift into the seller's own process (pipeline, quota, CRM, close
rate) and lose the customer and the customer's own buying process (their evaluation,
approval, budget cycle). Both vocabularies are lexicons (``seller_process.txt``, rule
``process.seller``; ``buyer_process.txt``, rule ``process.buyer``), matched by the
references component in the same pass as the references; this module holds the figures.
Definitions: docs/METHOD.md, "Inward-out language".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .results import Cue, InwardLanguage

__all__ = [
    "BUYER_RULE",
    "MIN_SELLER_TERMS",
    "SELLER_RULE",
    "inward_language",
    "inward_share",
    "per_thousand",
    "selling_without_customer",
]

SELLER_RULE = "process.seller"
BUYER_RULE = "process.buyer"
#: Seller-process terms that make a text "about selling": one stray "funnel" does not.
MIN_SELLER_TERMS = 2


def inward_share(seller: int, buyer: int) -> float | None:
    """Seller-process terms over all process terms; ``None`` when there are none.

    >>> inward_share(3, 1)
    0.75
    >>> inward_share(0, 0) is None
    True
    """
    total = seller + buyer
    return seller / total if total else None


def per_thousand(count: int, words: int) -> float | None:
    """``count`` per 1,000 words; ``None`` for a text without words.

    >>> per_thousand(3, 600)
    5.0
    """
    return 1000.0 * count / words if words > 0 else None


def selling_without_customer(seller: int, buyer: int, customer_references: int) -> bool:
    """A text about selling (``MIN_SELLER_TERMS`` or more seller-process terms) that never
    refers to a customer or buyer: no customer reference and no buyer-process term.

    >>> selling_without_customer(4, 0, 0)
    True
    >>> selling_without_customer(4, 1, 0)  # "their approval process" refers to the buyer
    False
    """
    return seller >= MIN_SELLER_TERMS and buyer == 0 and customer_references == 0


def inward_language(
    rules: Iterable[str],
    words: int,
    customer_references: int,
    evidence: Sequence[Cue] = (),
) -> InwardLanguage:
    """The figures from the rules of the counted cues (other rules are ignored), the scored
    word count and the number of customer references.

    >>> r = inward_language(["process.seller", "process.seller", "plan.industry"], 400, 0)
    >>> r.inward_share, r.seller_process_per_1k, r.selling_without_customer
    (1.0, 5.0, True)
    """
    seller = buyer = 0
    for rule in rules:
        if rule == SELLER_RULE:
            seller += 1
        elif rule == BUYER_RULE:
            buyer += 1
    return InwardLanguage(
        seller_process=seller,
        buyer_process=buyer,
        inward_share=inward_share(seller, buyer),
        seller_process_per_1k=per_thousand(seller, words),
        buyer_process_per_1k=per_thousand(buyer, words),
        customer_references=customer_references,
        selling_without_customer=selling_without_customer(seller, buyer, customer_references),
        evidence=evidence,
    )

"""Quality, signals and the final order / score of candidates (shared by both backends)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import log10

from django.utils.translation import gettext as _

from ..shapes import Document, Figures
from . import outcomes
from .needs import FAST_RESPONSE, REGION_BONUS
from .rules import AnySide, Ctx, Rule, _pct


def factory_quality(doc: Document) -> float:
    """0…1 from the factory's record (shrunk towards the marketplace's prior, outcomes.py) and tier."""
    return outcomes.factory_quality(doc["tier"], doc.get("record") or {})


def buyer_quality(doc: Document) -> float:
    reach = min(1.0, log10(doc["followers"] + 1) / 7)  # 10 million followers = the top
    return outcomes.buyer_quality(reach, doc.get("record") or {})


def _factory_signals(ctx: AnySide, doc: Document) -> list[str]:
    figures = doc.get("record") or {}
    super_tier = doc.get("tier") == "super"
    out = [_("Super factory")] if super_tier else []
    out += outcomes.factory_evidence(figures, super_tier=super_tier)
    answered = figures.get("requests_answered", 0)
    asked = answered + figures.get("requests_expired", 0)
    if asked and answered / asked >= FAST_RESPONSE:
        out.append(_("Answers %(pct)s of requests") % {"pct": _pct(answered / asked)})
    return out


def _buyer_signals(ctx: AnySide, doc: Document) -> list[str]:
    out: list[str] = []
    if doc["followers"] >= 10_000:
        out.append(_("%(n)s followers") % {"n": f"{doc['followers']:,}"})
    return out + outcomes.buyer_evidence(doc.get("record") or {})


def record_breakdown(doc: Document) -> Figures | None:
    """The API's `record` of a match: the figures the score used, the estimates and the score."""
    if "record" not in doc:
        return None
    figures = doc["record"] or {}
    outcome = outcomes.buyer_outcome(figures) if "followers" in doc else outcomes.factory_outcome(figures)
    return outcome.as_dict(figures)


@dataclass
class Fit:
    doc: Document
    misses: int
    rank: float
    score: float
    reasons: list[str]
    record: Figures | None = None

    def sort_key(self) -> tuple[int, float, int]:
        return (self.misses, -self.rank, self.doc["id"])


def region_bonus(ctx: AnySide, doc: Document) -> float:
    return REGION_BONUS if ctx.province and doc.get("province") == ctx.province else 0.0


def evaluate(rules: Iterable[Rule[Ctx]], ctx: Ctx, doc: Document) -> Fit:
    active = [r for r in rules if r.applies(ctx)]
    reasons: list[str] = []
    misses = 0
    for rule in active:
        ok = rule.ok(ctx, doc)
        misses += not ok
        text = rule.reason(ctx, doc, ok)
        if text:
            reasons.append(text)
    signals = _buyer_signals if "followers" in doc else _factory_signals
    reasons.extend(signals(ctx, doc))
    bonus = region_bonus(ctx, doc)
    if bonus:
        reasons.append(_("In %(province)s, like you") % {"province": doc["province"]})
    rank = doc["quality"] + bonus
    normalized = rank / (1 + REGION_BONUS)
    score = 100 * (normalized + len(active) - misses) / (len(active) + 1)
    return Fit(
        doc=doc,
        misses=misses,
        rank=rank,
        score=round(score, 1),
        reasons=reasons,
        record=record_breakdown(doc),
    )


def rank(rules: Sequence[Rule[Ctx]], ctx: Ctx, docs: list[Document]) -> list[Fit]:
    return sorted((evaluate(rules, ctx, d) for d in docs), key=Fit.sort_key)

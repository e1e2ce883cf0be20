"""Quality, signals and the final order / score of candidates (shared by both backends)."""

from dataclasses import dataclass
from math import log10

from django.utils.translation import gettext as _

from .needs import FAST_RESPONSE, GOOD_CONVERSION, LOW_RETURNS, REGION_BONUS
from .rules import _pct


def factory_quality(doc: dict) -> float:
    """0…1 from the factory's record; unknown values count as middling, not as perfect."""
    conversion = doc["trial_conversion_rate"] or 0.0
    returns = doc["return_rate"] if doc["return_rate"] is not None else 0.3
    response = doc["response_rate"] or 0.0
    value = (
        0.4 * (doc["tier"] == "super") + 0.25 * conversion + 0.2 * (1 - min(returns, 1.0)) + 0.15 * response
    )
    return round(value, 6)


def buyer_quality(doc: dict) -> float:
    reach = min(1.0, log10(doc["followers"] + 1) / 7)  # 10 million followers = the top
    on_time = doc["feedback_on_time_rate"] if doc["feedback_on_time_rate"] is not None else 0.5
    follow = doc["sample_followthrough_rate"] if doc["sample_followthrough_rate"] is not None else 0.5
    return round(0.4 * reach + 0.3 * on_time + 0.3 * follow, 6)


def _factory_signals(ctx, doc: dict) -> list[str]:
    out = []
    if doc.get("tier") == "super":
        out.append(_("Super factory"))
    if (doc.get("trial_conversion_rate") or 0) >= GOOD_CONVERSION:
        out.append(_("%(pct)s of trials became bulk orders") % {"pct": _pct(doc["trial_conversion_rate"])})
    if doc.get("return_rate") is not None and doc["return_rate"] <= LOW_RETURNS:
        out.append(_("Low return rate in trials: %(pct)s") % {"pct": _pct(doc["return_rate"])})
    if (doc.get("response_rate") or 0) >= FAST_RESPONSE:
        out.append(_("Answers %(pct)s of requests") % {"pct": _pct(doc["response_rate"])})
    return out


def _buyer_signals(ctx, doc: dict) -> list[str]:
    out = []
    if doc["followers"] >= 10_000:
        out.append(_("%(n)s followers") % {"n": f"{doc['followers']:,}"})
    if (doc.get("feedback_on_time_rate") or 0) >= FAST_RESPONSE:
        out.append(_("Gives trial feedback on time: %(pct)s") % {"pct": _pct(doc["feedback_on_time_rate"])})
    return out


@dataclass
class Fit:
    doc: dict
    misses: int
    rank: float
    score: float
    reasons: list[str]

    def sort_key(self):
        return (self.misses, -self.rank, self.doc["id"])


def region_bonus(ctx, doc: dict) -> float:
    return REGION_BONUS if ctx.province and doc.get("province") == ctx.province else 0.0


def evaluate(rules, ctx, doc: dict) -> Fit:
    active = [r for r in rules if r.applies(ctx)]
    reasons, misses = [], 0
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
    return Fit(doc=doc, misses=misses, rank=rank, score=round(score, 1), reasons=reasons)


def rank(rules, ctx, docs: list[dict]) -> list[Fit]:
    return sorted((evaluate(rules, ctx, d) for d in docs), key=Fit.sort_key)

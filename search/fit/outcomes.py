"""A trial record → a score that knows how much it rests on, and the evidence said in words.

Why shrink: one trial with no returns does not prove a factory good, one trial whose goods came
back does not prove it bad, and a factory with no trials yet is neither. Each rate is estimated as
a Bayesian average (the mean of a Beta posterior):

    estimate = (successes + weight × prior) / (n + weight)

where n is how many trials (or requests) the rate rests on and `weight` counts the prior as that
many trials of evidence. A new factory sits exactly at the prior; three trials with 40% returns
pull the estimate halfway towards 40%; thirty trials almost all the way.

The priors are the marketplace's typical values, fixed here rather than recomputed from live data:
a score then moves only when its own record moves (a moving prior would reindex every product of
every factory at each piece of feedback), and the order stays explainable.

Both backends rank by the score written into each document (`quality`, search/documents.py), and
the API shows the figures and estimates it was made from (`record`).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..shapes import Figures

if TYPE_CHECKING:  # annotations only: the rules and scores load before the app registry is ready
    from buyers.models import BuyerProfile
    from factories.models import Factory


@dataclass(frozen=True)
class Prior:
    mean: float
    weight: float  # how many trials (requests, samples) of evidence the prior counts as


def shrink(successes: float, n: float, prior: Prior) -> float:
    """The Bayesian average of `successes` out of `n` and the prior."""
    return (successes + prior.weight * prior.mean) / (n + prior.weight)


# ---- factories ---------------------------------------------------------------------------------
FACTORY_PRIORS = {
    # Between e-commerce's ~10% and live commerce's ~30% returns (the seed articles, 001).
    "return_rate": Prior(0.15, 3),
    "conversion_rate": Prior(0.30, 3),
    "rating": Prior(4.0, 3),  # stars, 1–5
    "response_rate": Prior(0.80, 5),
    "speed": Prior(0.50, 3),  # 24 / (24 + median hours to answer): 0.5 is a day
}
# Why this order: a trial exists to find goods that sell and stay sold, so returns weigh most (money
# and audience trust the streamer loses); conversion says trials led to business; the rating is the
# streamers' own word, noisier; answering fast is courtesy that matters once the goods are right, so
# it weighs least (a fast factory whose goods come back must not outrank a new one).
FACTORY_WEIGHTS = {"returns": 0.4, "conversion": 0.3, "rating": 0.2, "responsiveness": 0.1}
# A return rate at or above this makes the goods worthless as a trial outcome.
RETURNS_WORTHLESS = 0.5
# The super-factory badge (capacity, certification) counts, but never as much as a bad record
# costs: tests/search/test_outcomes.py holds a super factory with a bad record below a new one.
TIER_WEIGHT = 0.05
SPEED_HOURS = 24.0

# ---- streamers ---------------------------------------------------------------------------------
BUYER_PRIORS = {
    "on_time_rate": Prior(0.70, 3),
    "conversion_rate": Prior(0.30, 3),
    "followthrough_rate": Prior(0.30, 3),
}
# Feedback on time and conversion weigh most: a factory's own record (and so its ranking) is built
# from that feedback, and a bulk order is what a factory takes a trial for; following samples up
# with a trial shows intent, on fewer cases.
BUYER_WEIGHTS = {"on_time": 0.4, "conversion": 0.4, "followthrough": 0.2}
# How far audience reach (followers) counts against the record for a streamer.
REACH_WEIGHT = 0.3


@dataclass(frozen=True)
class Outcome:
    estimates: dict[str, float]  # each rate after shrinking
    parts: dict[str, float]  # each part of the score, 0…1 (1 = best)
    score: float  # Σ weight × part, 0…1

    def as_dict(self, figures: Figures) -> Figures:
        """The API's `record`: the figures used, the estimates made from them and the score."""
        return {
            **figures,
            "estimates": {k: round(v, 4) for k, v in self.estimates.items()},
            "score": round(self.score, 4),
        }


def _weighted(parts: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights[name] * parts[name] for name in weights)


def factory_figures(factory: "Factory") -> Figures:
    """What a factory's score rests on, as plain JSON values (copied into its search documents)."""
    rating = factory.average_rating
    hours = factory.median_response_hours
    return {
        "trials": factory.trials_reported,
        "decided": factory.trials_decided,
        "bulk_orders": factory.trials_converted,
        "units_sold": factory.units_sold,
        "units_returned": factory.units_returned,
        "average_rating": None if rating is None else float(rating),
        "requests_answered": factory.requests_answered,
        "requests_expired": factory.requests_expired,
        "median_response_hours": None if hours is None else float(hours),
    }


def factory_outcome(figures: Figures) -> Outcome:
    p = FACTORY_PRIORS
    trials, sold = figures.get("trials", 0), figures.get("units_sold", 0)
    # Returns are counted in units but weighed by trials: 3 trials of 1,000 units each are 3 trials
    # of evidence, not 3,000. Trials that sold nothing tell nothing about returns.
    return_trials = trials if sold else 0
    observed = figures.get("units_returned", 0) / sold if sold else 0.0
    rating = figures.get("average_rating")
    answered = figures.get("requests_answered", 0)
    hours = figures.get("median_response_hours")
    speed = SPEED_HOURS / (SPEED_HOURS + hours) if hours is not None else 0.0
    estimates = {
        "return_rate": shrink(observed * return_trials, return_trials, p["return_rate"]),
        "conversion_rate": shrink(
            figures.get("bulk_orders", 0), figures.get("decided", 0), p["conversion_rate"]
        ),
        "rating": shrink((rating or 0) * trials, trials if rating is not None else 0, p["rating"]),
        "response_rate": shrink(answered, answered + figures.get("requests_expired", 0), p["response_rate"]),
        "speed": shrink(
            speed * answered if hours is not None else 0, answered if hours is not None else 0, p["speed"]
        ),
    }
    parts = {
        "returns": 1 - min(estimates["return_rate"] / RETURNS_WORTHLESS, 1.0),
        "conversion": estimates["conversion_rate"],
        "rating": (estimates["rating"] - 1) / 4,
        "responsiveness": 0.6 * estimates["response_rate"] + 0.4 * estimates["speed"],
    }
    return Outcome(estimates=estimates, parts=parts, score=_weighted(parts, FACTORY_WEIGHTS))


def factory_quality(tier: str, figures: Figures) -> float:
    """0…1: the record's score, plus the super-factory badge's small share."""
    value = TIER_WEIGHT * (tier == "super") + (1 - TIER_WEIGHT) * factory_outcome(figures).score
    return round(value, 6)


def buyer_figures(buyer: "BuyerProfile") -> Figures:
    return {
        "feedback_due": buyer.feedback_due,
        "feedback_on_time": buyer.feedback_on_time,
        "decided": buyer.trials_decided,
        "bulk_orders": buyer.trials_converted,
        "samples_received": buyer.samples_received,
        "samples_followed": buyer.samples_followed,
    }


def buyer_outcome(figures: Figures) -> Outcome:
    p = BUYER_PRIORS
    estimates = {
        "on_time_rate": shrink(
            figures.get("feedback_on_time", 0), figures.get("feedback_due", 0), p["on_time_rate"]
        ),
        "conversion_rate": shrink(
            figures.get("bulk_orders", 0), figures.get("decided", 0), p["conversion_rate"]
        ),
        "followthrough_rate": shrink(
            figures.get("samples_followed", 0), figures.get("samples_received", 0), p["followthrough_rate"]
        ),
    }
    parts = {
        "on_time": estimates["on_time_rate"],
        "conversion": estimates["conversion_rate"],
        "followthrough": estimates["followthrough_rate"],
    }
    return Outcome(estimates=estimates, parts=parts, score=_weighted(parts, BUYER_WEIGHTS))


def buyer_quality(reach: float, figures: Figures) -> float:
    """0…1: audience reach (0…1) and the streamer's record."""
    return round(REACH_WEIGHT * reach + (1 - REACH_WEIGHT) * buyer_outcome(figures).score, 6)


# ---- the evidence in words ----------------------------------------------------------------------
def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def factory_evidence(figures: Figures, *, super_tier: bool = False) -> list[str]:
    """What the record says, with its numbers: "3 trials, 0 of 600 units returned, 2 turned into
    bulk orders", "Trial return rate 40% (3 trials)", "New factory, no trial record yet"."""
    n = figures.get("trials", 0)
    if not n:
        # A super factory is established elsewhere, only new to trials here.
        return [_("No trial record yet") if super_tier else _("New factory, no trial record yet")]
    sold, returned = figures.get("units_sold", 0), figures.get("units_returned", 0)
    values = {
        "n": n,
        "sold": f"{sold:,}",
        "returned": f"{returned:,}",
        "converted": figures.get("bulk_orders", 0),
    }
    if sold and returned / sold > FACTORY_PRIORS["return_rate"].mean:
        values["pct"] = _pct(returned / sold)
        out = [
            ngettext("Trial return rate %(pct)s (%(n)s trial)", "Trial return rate %(pct)s (%(n)s trials)", n)
            % values
        ]
    elif sold:
        out = [
            ngettext(
                "%(n)s trial, %(returned)s of %(sold)s units returned, %(converted)s turned into bulk orders",
                "%(n)s trials, %(returned)s of %(sold)s units returned, %(converted)s turned into bulk orders",
                n,
            )
            % values
        ]
    else:
        out = [ngettext("%(n)s trial, nothing sold", "%(n)s trials, nothing sold", n) % values]
    if figures.get("average_rating") is not None:
        out.append(_("Average trial rating %(rating).1f / 5") % {"rating": figures["average_rating"]})
    return out


def buyer_evidence(figures: Figures) -> list[str]:
    due, received = figures.get("feedback_due", 0), figures.get("samples_received", 0)
    if not due and not received:
        return [_("New streamer, no trial record yet")]
    out: list[str] = []
    if due:
        out.append(
            _("Trial feedback on time %(on_time)s of %(due)s times")
            % {"on_time": figures.get("feedback_on_time", 0), "due": due}
        )
    decided = figures.get("decided", 0)
    if decided:
        out.append(
            ngettext(
                "%(converted)s of %(decided)s trial turned into bulk orders",
                "%(converted)s of %(decided)s trials turned into bulk orders",
                decided,
            )
            % {"converted": figures.get("bulk_orders", 0), "decided": decided}
        )
    if received:
        out.append(
            _("Followed %(followed)s of %(received)s samples with a trial")
            % {"followed": figures.get("samples_followed", 0), "received": received}
        )
    return out

"""The evaluation itself, at a small scale: matching beats the category-only baseline by far."""

import pytest

from demo.trial_histories import make_trial_histories
from search.evaluation import Scale, bad_share, grade, ndcg_at, precision_at, run


def test_metrics():
    grades = {1: 2, 2: 1, 3: 0, 4: 1}
    assert precision_at([1, 3, 2], grades, k=2) == 0.5
    assert ndcg_at([1, 2, 4], grades, k=3) == 1.0
    assert round(ndcg_at([3, 4, 1], grades, k=3), 3) == 0.516  # (1/log2(3) + 3/2) / (3 + 1/log2(3) + 1/2)


@pytest.mark.django_db
def test_matching_learns_from_trial_outcomes_on_a_generated_market(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # when: a third of the factories have good trial records, a third bad ones (made through the
    # trials services), the rest none
    result = run(
        Scale(factories=60, products_per_factory=20, buyers=30, categories=6),
        seed=3,
        histories=make_trial_histories,
    )
    # then: the targets, far above listing the catalog
    assert result["factories_good"] >= 10 and result["factories_bad"] >= 10
    assert result["streamers_judged"] >= 10
    assert result["precision"] >= 0.95
    assert result["ndcg"] >= 0.95
    assert result["bad_share"] <= 0.05
    assert result["baseline_bad_share"] > result["bad_share"]
    assert result["precision"] >= 2 * result["baseline_precision"]
    assert result["ndcg"] >= 2 * result["baseline_ndcg"]


def test_bad_share_counts_the_top_k_only():
    owners = {1: 10, 2: 11, 3: 10, 4: 12}
    records = {10: "bad", 11: "good"}
    assert bad_share([1, 2, 3, 4], owners, records, k=2) == 0.5
    assert bad_share([2, 4, 1], owners, records, k=2) == 0.0
    assert grade(True, "bad") == 0 and grade(True, None) == 1 and grade(True, "good") == 2
    assert grade(False, "good") == 0

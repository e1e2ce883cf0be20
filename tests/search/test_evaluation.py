"""The evaluation itself, at a small scale: matching beats the category-only baseline by far."""

import pytest

from search.evaluation import Scale, ndcg_at, precision_at, run


def test_metrics():
    grades = {1: 2, 2: 1, 3: 0, 4: 1}
    assert precision_at([1, 3, 2], grades, k=2) == 0.5
    assert ndcg_at([1, 2, 4], grades, k=3) == 1.0
    assert round(ndcg_at([3, 4, 1], grades, k=3), 3) == 0.516  # (1/log2(3) + 3/2) / (3 + 1/log2(3) + 1/2)


@pytest.mark.django_db
def test_matching_beats_the_baseline_on_a_generated_market(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # when
    result = run(Scale(factories=60, products_per_factory=20, buyers=30, categories=6), seed=3)
    # then
    assert result["streamers_judged"] >= 10
    assert result["precision"] >= 0.9
    assert result["precision"] >= 2 * result["baseline_precision"]
    assert result["ndcg"] >= 2 * result["baseline_ndcg"]

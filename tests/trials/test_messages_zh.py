import pytest

from tests.trials.conftest import trial_at

pytestmark = pytest.mark.django_db


def test_a_refused_transition_is_explained_in_chinese(api_zh, product, buyer):
    # given: a trial the factory already declined
    trial = trial_at("declined", product=product, buyer=buyer)
    # when the factory tries to accept it
    response = api_zh.as_user(product.factory.owner).post(f"/api/v1/trials/{trial.pk}/accept/")
    # then
    assert (response.status_code, response.json()) == (409, {"detail": "无法接受:当前状态为“已拒绝”。"})


def test_a_forbidden_transition_names_the_action_in_chinese(api_zh, product, buyer):
    # given
    trial = trial_at("in_trial", product=product, buyer=buyer)
    # when the factory tries to report the buyer's results
    response = api_zh.as_user(product.factory.owner).post(
        f"/api/v1/trials/{trial.pk}/feedback/", {"units_sold": 1, "units_returned": 0, "rating": 5}
    )
    # then
    assert (response.status_code, response.json()) == (403, {"detail": "你无权执行“提交试销反馈”。"})

import pytest

from tests.trials.conftest import trial_at


@pytest.mark.parametrize(
    "model", ["trialorder", "payment", "samplerequest", "customrequest", "quote", "bulkorder", "stripeevent"]
)
def test_staff_see_the_trials_admin(client, staff, product, buyer, model):
    trial = trial_at("converted", product=product, buyer=buyer)
    client.force_login(staff)
    assert client.get(f"/admin/trials/{model}/").status_code == 200
    if model == "trialorder":
        assert client.get(f"/admin/trials/trialorder/{trial.pk}/change/").status_code == 200

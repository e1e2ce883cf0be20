"""Card payments on the trial page, only when Stripe is configured; against a real localstripe."""

import pytest

from tests.frontend.helpers import html, messages_of
from tests.trials.conftest import localstripe_url, snapshot, trial_at  # noqa: F401 - localstripe_url is a fixture
from trials.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_on(settings, localstripe_url):  # noqa: F811 - the imported fixture
    settings.STRIPE_API_KEY = "sk_test_yuantou"
    settings.STRIPE_API_BASE = localstripe_url
    return settings


def test_card_is_offered_only_when_stripe_is_configured(web, product, buyer, settings):
    # given
    trial = trial_at("accepted", product=product, buyer=buyer)
    url = f"/me/trials/{trial.pk}/"
    web.as_user(buyer.user)
    # when
    settings.STRIPE_API_KEY = ""
    without = html(web.get(url))
    settings.STRIPE_API_KEY = "sk_test_yuantou"
    with_stripe = html(web.get(url))
    # then
    assert 'value="stripe"' not in without
    assert '<input type="hidden" name="provider" value="bank_transfer">' in without
    assert '<input type="radio" name="provider" value="stripe">' in with_stripe
    # the partial's note to template readers stays out of the page (a {# #} comment cannot span lines)
    assert "card button's sum" not in without and "card button&#x27;s sum" not in without


def test_paying_by_card_opens_a_payment_intent_and_shows_the_card_form(web, product, buyer, stripe_on):
    # given
    stripe_on.STRIPE_PUBLISHABLE_KEY = "pk_test_yuantou"
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    # when
    response = web.as_user(buyer.user).post(
        f"/me/trials/{trial.pk}/pay/", {"provider": "stripe"}, follow=True
    )
    # then
    payment = Payment.objects.get()
    assert (payment.provider, payment.status, str(payment.amount)) == ("stripe", "pending", "61.80")
    assert payment.provider_reference.startswith("pi_")
    page = html(response)
    assert 'id="pay-card"' in page
    assert 'data-stripe-key="pk_test_yuantou"' in page
    assert "frontend/card-payment.js" in page  # a file: the CSP allows no inline script
    assert payment.client_secret in page
    trial.refresh_from_db()
    assert trial.status == "accepted"  # paid only on Stripe's webhook


def test_stripe_unreachable_is_a_message_not_an_error_page(web, product, buyer, settings):
    # given
    settings.STRIPE_API_KEY = "sk_test_yuantou"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    trial = trial_at("accepted", product=product, buyer=buyer)
    before = snapshot(trial)
    # when
    response = web.as_user(buyer.user).post(
        f"/me/trials/{trial.pk}/pay/", {"provider": "stripe"}, follow=True
    )
    # then
    assert response.status_code == 200
    assert messages_of(response) == [
        "The payment service is unavailable right now; please try again in a moment."
    ]
    assert Payment.objects.count() == 0
    assert snapshot(trial) == before

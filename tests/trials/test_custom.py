from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from factories.models import FactoryTier, VerificationStatus
from marketplace.core.errors import ValidationError
from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import snapshot
from trials.models import CustomRequest, CustomRequestOffer, Quote, TrialOrder
from trials.services import custom, trials


def _request_body(**extra):
    return {
        "title": "便携涂抹式睡眠面膜",
        "requirements": "20 条独立包装, 补水保湿, 温和配方",
        "benchmark_url": "https://detail.1688.com/offer/123.html",
        "target_unit_price": "3.50",
        "quantity": 5000,
        "deadline": (timezone.now() + timedelta(days=7)).isoformat(),
        **extra,
    }


def _quote_body(price="3.20", moq=3000, lead=20, trial_quantity=200):
    return {
        "unit_price": price,
        "moq": moq,
        "lead_time_days": lead,
        "proposal": "涂抹式, 一盒 20 条",
        "trial_quantity": trial_quantity,
    }


@pytest.fixture
def mask_factories(db):
    fit = makers.FactoryMaker(customization="odm", categories=["beauty"])
    super_fit = makers.FactoryMaker(customization="oem", categories=["facial-masks"], tier=FactoryTier.SUPER)
    makers.FactoryMaker(customization="none", categories=["facial-masks"])  # does not customize
    makers.FactoryMaker(
        customization="odm", categories=["facial-masks"], verification_status=VerificationStatus.PENDING
    )
    makers.FactoryMaker(customization="odm", categories=["snacks"])  # other trade
    return super_fit, fit


def test_open_request_is_offered_to_fitting_factories(api, buyer, mask_factories):
    # when
    response = api.as_user(buyer.user).post(
        "/api/v1/custom-requests/", _request_body(category="facial-masks")
    )
    # then
    assert response.status_code == 201, response.json()
    request = CustomRequest.objects.get(pk=response.json()["id"])
    offered = list(CustomRequestOffer.objects.filter(request=request).values_list("factory_id", flat=True))
    assert offered == [f.pk for f in mask_factories]  # super factory first
    for f in mask_factories:
        assert Notification.objects.filter(recipient=f.owner, kind="custom.offered").count() == 1
        assert api.as_user(f.owner).get(f"/api/v1/custom-requests/{request.pk}/").status_code == 200
    outsider = makers.FactoryMaker(customization="odm", categories=["snacks"])
    assert api.as_user(outsider.owner).get(f"/api/v1/custom-requests/{request.pk}/").status_code == 404


def test_directed_request_only_reaches_that_factory(api, buyer, mask_factories):
    target, other = mask_factories
    body = api.as_user(buyer.user).post("/api/v1/custom-requests/", _request_body(factory=target.pk)).json()
    assert body["factory"] == target.pk
    assert (
        api.as_user(other.owner)
        .post(f"/api/v1/custom-requests/{body['id']}/quotes/", _quote_body())
        .status_code
        == 404
    )
    assert (
        api.as_user(target.owner)
        .post(f"/api/v1/custom-requests/{body['id']}/quotes/", _quote_body())
        .status_code
        == 201
    )


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"deadline": "2020-01-01T00:00:00+08:00"}, {"deadline": ["The deadline must be in the future."]}),
        ({"factory": 987654}, {"factory": ["No such factory."]}),
        ({"category": "no-such"}, {"category": ["Unknown category."]}),
    ],
)
def test_request_guards(api, buyer, extra, error):
    response = api.as_user(buyer.user).post("/api/v1/custom-requests/", _request_body(**extra))
    assert (response.status_code, response.json()) == (400, error)
    assert CustomRequest.objects.count() == 0


def test_directed_to_a_factory_that_does_not_customize(api, buyer):
    plain = makers.FactoryMaker(customization="none")
    response = api.as_user(buyer.user).post("/api/v1/custom-requests/", _request_body(factory=plain.pk))
    assert (response.status_code, response.json()) == (
        400,
        {"factory": ["This factory does not take custom orders."]},
    )


def _open_request(api, buyer, factories):
    return CustomRequest.objects.get(
        pk=api.as_user(buyer.user)
        .post("/api/v1/custom-requests/", _request_body(category="facial-masks"))
        .json()["id"]
    )


def test_quotes_side_by_side_normalized(api, buyer, mask_factories):
    # given
    request = _open_request(api, buyer, mask_factories)
    a, b = mask_factories
    api.as_user(a.owner).post(f"/api/v1/custom-requests/{request.pk}/quotes/", _quote_body("3.20", 3000, 20))
    api.as_user(b.owner).post(f"/api/v1/custom-requests/{request.pk}/quotes/", _quote_body("2.90", 8000, 30))
    # when
    rows = api.as_user(buyer.user).get(f"/api/v1/custom-requests/{request.pk}/quotes/").json()
    # then: 3.20 × 5000 = 16000 beats 2.90 × 8000 (its MOQ) = 23200
    assert [
        (r["quote"]["factory"], r["total_for_quantity"], r["units_priced"], r["meets_quantity"]) for r in rows
    ] == [
        (a.pk, "16000.00", 5000, True),
        (b.pk, "23200.00", 8000, False),
    ]
    assert (rows[0]["trial_unit_price"], rows[0]["trial_total"], rows[0]["within_target"]) == (
        "1.60",
        "320.00",
        True,
    )
    # a factory sees only its own quote
    assert [
        r["quote"]["factory"]
        for r in api.as_user(b.owner).get(f"/api/v1/custom-requests/{request.pk}/quotes/").json()
    ] == [b.pk]
    assert Notification.objects.filter(recipient=buyer.user, kind="custom.quoted").count() == 2


def test_quote_guards(api, buyer, mask_factories):
    request = _open_request(api, buyer, mask_factories)
    f = mask_factories[0]
    url = f"/api/v1/custom-requests/{request.pk}/quotes/"
    response = api.as_user(f.owner).post(url, _quote_body(moq=100, trial_quantity=500))
    assert (response.status_code, response.json()) == (
        400,
        {"trial_quantity": ["The trial run can't be larger than the MOQ."]},
    )
    assert api.post(url, _quote_body()).status_code == 201
    response = api.post(url, _quote_body())
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You have already quoted on this request."},
    )
    response = api.as_user(buyer.user).post(url, _quote_body())
    assert (response.status_code, response.json()) == (403, {"detail": "Only factory accounts can do this."})
    assert Quote.objects.count() == 1


def test_tenth_quote_closes_the_request(api, buyer):
    # given
    factories = [makers.FactoryMaker(customization="oem", categories=["facial-masks"]) for _ in range(11)]
    request = _open_request(api, buyer, factories)
    url = f"/api/v1/custom-requests/{request.pk}/quotes/"
    # when
    for f in factories[:10]:
        assert api.as_user(f.owner).post(url, _quote_body()).status_code == 201
    # then
    request.refresh_from_db()
    assert (request.status, request.quotes_count) == ("closed", 10)
    assert Notification.objects.filter(recipient=buyer.user, kind="custom.closed").count() == 1
    response = api.as_user(factories[10].owner).post(url, _quote_body())
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Cannot quote: it is closed for quotes."},
    )
    assert Quote.objects.count() == 10


def test_accepting_a_quote_starts_a_trial_run(api, buyer, mask_factories):
    # given
    request = _open_request(api, buyer, mask_factories)
    a, b = mask_factories
    qa = (
        api.as_user(a.owner)
        .post(f"/api/v1/custom-requests/{request.pk}/quotes/", _quote_body("3.25", 3000))
        .json()
    )
    qb = (
        api.as_user(b.owner)
        .post(f"/api/v1/custom-requests/{request.pk}/quotes/", _quote_body("2.90", 8000))
        .json()
    )
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/custom-requests/{request.pk}/quotes/{qa['id']}/accept/")
    # then
    assert response.status_code == 201, response.json()
    trial = TrialOrder.objects.get(pk=response.json()["id"])
    assert (trial.status, trial.quantity, trial.unit_price, trial.total, trial.factory_id) == (
        "accepted",
        200,
        Decimal("1.63"),  # half of 3.25, half-up
        Decimal("326.00"),
        a.pk,
    )
    assert trial.specification["proposal"] == "涂抹式, 一盒 20 条"
    assert dict(Quote.objects.values_list("pk", "status")) == {qa["id"]: "accepted", qb["id"]: "not_chosen"}
    request.refresh_from_db()
    assert request.status == "accepted"
    assert Notification.objects.filter(recipient=a.owner, kind="custom.quote_accepted").count() == 1
    assert Notification.objects.filter(recipient=b.owner, kind="custom.quote_not_chosen").count() == 1
    # and the trial run converts at the quoted price, MOQ from the quote
    trial.status = "feedback_submitted"
    trial.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="MOQ of 3000"):
        trials.trial_convert(trial=trial, actor=buyer.user, quantity=2999)
    bulk = trials.trial_convert(trial=trial, actor=buyer.user, quantity=3000)
    assert (bulk.unit_price, bulk.total) == (Decimal("3.25"), Decimal("9750.00"))


def test_accept_refusals(api, buyer, mask_factories):
    request = _open_request(api, buyer, mask_factories)
    f = mask_factories[0]
    q = api.as_user(f.owner).post(f"/api/v1/custom-requests/{request.pk}/quotes/", _quote_body()).json()
    url = f"/api/v1/custom-requests/{request.pk}/quotes/{q['id']}/accept/"
    before = snapshot(request)
    # wrong role
    response = api.as_user(f.owner).post(url)
    assert (response.status_code, response.json()) == (403, {"detail": "You are not allowed to accept this."})
    # someone else's request
    assert api.as_user(makers.BuyerMaker().user).post(url).status_code == 404
    # unknown quote
    response = api.as_user(buyer.user).post(f"/api/v1/custom-requests/{request.pk}/quotes/999999/accept/")
    assert (response.status_code, response.json()) == (400, {"quote": ["No such quote on this request."]})
    assert snapshot(request) == before
    # wrong state
    custom.custom_request_cancel(request=request, actor=buyer.user)
    before = snapshot(request)
    response = api.as_user(buyer.user).post(url)
    assert (response.status_code, response.json()) == (409, {"detail": "Cannot accept: it is cancelled."})
    assert snapshot(request) == before
    assert TrialOrder.objects.count() == 0


def test_cancel(api, buyer, mask_factories):
    request = _open_request(api, buyer, mask_factories)
    url = f"/api/v1/custom-requests/{request.pk}/cancel/"
    response = api.as_user(mask_factories[0].owner).post(url)
    assert (response.status_code, response.json()) == (403, {"detail": "You are not allowed to cancel this."})
    assert api.as_user(buyer.user).post(url).json()["status"] == "cancelled"
    assert Event.objects.filter(verb="custom.cancelled", target_id=request.pk).count() == 1
    response = api.post(url)
    assert (response.status_code, response.json()) == (409, {"detail": "Cannot cancel: it is cancelled."})


def test_message_thread(api, buyer, mask_factories):
    # given
    request = _open_request(api, buyer, mask_factories)
    a, b = mask_factories
    url = f"/api/v1/custom-requests/{request.pk}/messages/"
    # when
    assert api.as_user(a.owner).post(url, {"body": "可以做 20 条装"}).status_code == 201
    assert api.as_user(buyer.user).post(url, {"body": "样品多久?", "factory": a.pk}).status_code == 201
    assert api.as_user(b.owner).post(url, {"body": "我们也能做"}).status_code == 201
    # then: each factory sees its own conversation, the buyer all of them
    assert [m["body"] for m in api.as_user(a.owner).get(url).json()] == ["可以做 20 条装", "样品多久?"]
    assert [m["body"] for m in api.as_user(b.owner).get(url).json()] == ["我们也能做"]
    assert len(api.as_user(buyer.user).get(url).json()) == 3
    assert Notification.objects.filter(recipient=a.owner, kind="custom.message").count() == 1
    assert Notification.objects.filter(recipient=buyer.user, kind="custom.message").count() == 2
    response = api.as_user(buyer.user).post(url, {"body": "hi"})
    assert (response.status_code, response.json()) == (
        400,
        {"factory": ["Choose which offered factory you are writing to."]},
    )
    outsider = makers.FactoryMaker(customization="odm", categories=["snacks"])
    assert api.as_user(outsider.owner).post(url, {"body": "hi"}).status_code == 404


def test_no_quotes_after_the_deadline_even_before_the_beat_runs(api, buyer, mask_factories):
    # given
    request = _open_request(api, buyer, mask_factories)
    CustomRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    # when
    response = api.as_user(mask_factories[0].owner).post(
        f"/api/v1/custom-requests/{request.pk}/quotes/", _quote_body()
    )
    # then
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Cannot quote: it is closed for quotes."},
    )
    assert Quote.objects.count() == 0


def test_a_factory_account_without_its_profile_is_refused_a_directed_thread(buyer, mask_factories):
    """A factory-role account that has not made its factory profile yet asked about a request
    directed to a factory: the visibility check read `None.pk` (an AttributeError, a 500)."""
    from marketplace.core.errors import NotAllowed
    from tests.trials.conftest import mask_request

    # given
    request = mask_request(buyer, factory=mask_factories[0])
    newcomer = makers.FactoryUserMaker()
    # when / then
    assert custom.custom_request_visible_to_factory(request, None) is False
    with pytest.raises(NotAllowed):
        custom.custom_message_post(request=request, actor=newcomer, body="你好")
    assert not request.messages.exists()

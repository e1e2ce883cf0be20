"""五折试销 in the browser: requesting from the product page, the trial page's buttons (from the
flow table), each button moving the trial through the same service as the API, and refusals
shown as messages that change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import makers
from tests.frontend.helpers import html, messages_of, verbs
from tests.trials.conftest import snapshot, trial_at
from trials.flows.trial import TABLE
from trials.models import Payment, TrialOrder
from trials.services import payments

pytestmark = pytest.mark.django_db


def test_product_page_offers_sample_and_trial_forms_to_a_streamer(web, product, buyer):
    # when
    response = web.as_user(buyer.user).get(f"/products/{product.pk}/")
    # then
    page = html(response)
    assert response.status_code == 200
    assert "Request a 50%-off trial" in page
    assert 'data-unit-fen="618"' in page
    assert 'max="50"' in page
    assert "Request a sample" in page


def test_product_page_asks_anonymous_visitors_to_sign_in_and_shows_factories_no_forms(web, product, factory):
    # when
    anonymous = html(web.get(f"/products/{product.pk}/"))
    as_factory = html(web.as_user(factory.owner).get(f"/products/{product.pk}/"))
    # then
    assert f'href="/sign-in/?next=/products/{product.pk}/"' in anonymous
    assert "Sign in as a streamer to request a sample or a 50%-off trial" in anonymous
    assert 'id="trial-request"' not in anonymous
    assert 'id="trial-request"' not in as_factory and 'id="sample-request"' not in as_factory


def test_confirm_page_shows_the_frozen_unit_price_and_total_before_anything_is_created(web, product, buyer):
    # when
    response = web.as_user(buyer.user).get(f"/products/{product.pk}/trial/?quantity=10")
    # then
    page = html(response)
    assert response.status_code == 200
    assert '<td class="price" id="trial-unit-price">¥6.18</td>' in page
    assert '<td class="price" id="trial-total">¥61.80</td>' in page
    assert TrialOrder.objects.count() == 0


def test_confirming_creates_the_trial_through_the_service(web, product, buyer):
    # when
    response = web.as_user(buyer.user).post(f"/products/{product.pk}/trial/", {"quantity": 10}, follow=True)
    # then
    trial = TrialOrder.objects.get()
    assert response.redirect_chain == [(f"/me/trials/{trial.pk}/", 302)]
    assert (trial.status, trial.quantity, str(trial.unit_price), str(trial.total)) == (
        "requested",
        10,
        "6.18",
        "61.80",
    )
    assert verbs(trial) == ["trial.requested"]
    assert messages_of(response) == ["Trial requested. The factory has 72 hours to answer."]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (51, "Choose between 1 and 50 units."),
        (0, "Quantity: Ensure this value is greater than or equal to 1."),
        ("", "Quantity: This field is required."),
    ],
)
def test_a_refused_trial_request_shows_why_and_creates_nothing(web, product, buyer, quantity, message):
    # when
    response = web.as_user(buyer.user).post(
        f"/products/{product.pk}/trial/", {"quantity": quantity}, follow=True
    )
    # then
    assert response.redirect_chain == [(f"/products/{product.pk}/", 302)]
    assert messages_of(response) == [message]
    assert TrialOrder.objects.count() == 0


def test_a_second_open_trial_of_the_same_product_is_refused(web, product, buyer):
    # given
    trial_at("requested", product=product, buyer=buyer)
    # when
    response = web.as_user(buyer.user).post(f"/products/{product.pk}/trial/", {"quantity": 5}, follow=True)
    # then
    assert messages_of(response) == ["You already have an open trial of this product."]
    assert TrialOrder.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_and_nothing_is_created(web, product):
    # when
    response = web.post(f"/products/{product.pk}/trial/", {"quantity": 5})
    # then
    assert (response.status_code, response["Location"]) == (
        302,
        f"/sign-in/?next=/products/{product.pk}/trial/",
    )
    assert TrialOrder.objects.count() == 0


def test_trial_page_is_for_its_two_parties_only(web, product, buyer, other_buyer, other_factory):
    # given
    trial = trial_at("requested", product=product, buyer=buyer)
    url = f"/me/trials/{trial.pk}/"
    # then
    assert web.as_user(buyer.user).get(url).status_code == 200
    assert web.as_user(product.factory.owner).get(url).status_code == 200
    assert web.as_user(other_buyer.user).get(url).status_code == 404
    assert web.as_user(other_factory.owner).get(url).status_code == 404
    assert web.as_user(other_buyer.user).post(f"{url}cancel/").status_code == 404
    web.logout()
    assert web.get(url)["Location"] == f"/sign-in/?next={url}"
    assert TrialOrder.objects.get().status == "requested"


@pytest.mark.parametrize(
    ("status", "buyer_buttons", "factory_buttons"),
    [
        ("requested", ["cancel"], ["accept", "decline"]),
        ("accepted", ["cancel", "pay"], []),
        ("paid", [], ["ship"]),
        ("shipped", ["receive"], []),
        ("in_trial", ["feedback"], []),
        ("feedback_submitted", ["convert", "end"], []),
        ("converted", [], []),
        ("declined", [], []),
    ],
)
def test_buttons_are_the_flow_table_transitions_this_person_may_fire(
    web, product, buyer, status, buyer_buttons, factory_buttons
):
    # given
    trial = trial_at(status, product=product, buyer=buyer)
    # when
    as_buyer = html(web.as_user(buyer.user).get(f"/me/trials/{trial.pk}/"))
    as_factory = html(web.as_user(product.factory.owner).get(f"/me/trials/{trial.pk}/"))

    # then
    def buttons(page):
        return sorted(
            n
            for n in ["accept", "decline", "cancel", "pay", "ship", "receive", "feedback", "convert", "end"]
            if f'class="action-{n}"' in page
        )

    assert buttons(as_buyer) == buyer_buttons
    assert buttons(as_factory) == factory_buttons


def test_factory_accepts_and_streamer_sees_pay_instructions_after_paying(web, product, buyer):
    # given
    trial = trial_at("requested", product=product, buyer=buyer, quantity=10)
    # when: the factory accepts
    response = web.as_user(product.factory.owner).post(f"/me/trials/{trial.pk}/accept/", follow=True)
    # then
    trial.refresh_from_db()
    assert trial.status == "accepted"
    assert messages_of(response) == ["Trial accepted."]
    assert verbs(trial) == ["trial.requested", "trial.accepted"]
    assert '<tr data-verb="trial.accepted"><td class="muted">' in html(response)
    assert "</td><td>accepted</td><td>" in html(response)
    assert "</td><td>Trial requested</td><td>" in html(response)
    # when: the streamer pays by bank transfer
    response = web.as_user(buyer.user).post(
        f"/me/trials/{trial.pk}/pay/", {"provider": "bank_transfer"}, follow=True
    )
    # then
    page = html(response)
    payment = Payment.objects.get()
    assert (payment.provider, payment.status, str(payment.amount)) == ("bank_transfer", "pending", "61.80")
    assert f"<strong>YT{trial.pk:06d}-1</strong>" in page
    assert '<td class="price">¥61.80</td>' in page
    assert messages_of(response) == ["Payment started. Follow the instructions below."]
    assert verbs(trial)[-1] == "payment.started"
    trial.refresh_from_db()
    assert trial.status == "accepted"  # paid only when the transfer is seen


def test_card_payment_is_refused_with_a_message_when_stripe_is_not_configured(web, product, buyer, settings):
    # given
    settings.STRIPE_API_KEY = ""
    trial = trial_at("accepted", product=product, buyer=buyer)
    before = snapshot(trial)
    # when
    response = web.as_user(buyer.user).post(
        f"/me/trials/{trial.pk}/pay/", {"provider": "stripe"}, follow=True
    )
    # then
    assert messages_of(response) == ["Card payments are not available here; choose bank_transfer."]
    assert 'value="stripe"' not in html(response)
    assert snapshot(trial) == before
    assert Payment.objects.count() == 0


def test_each_later_button_moves_the_trial_through_its_service(web, product, buyer):
    # given: paid (staff saw the transfer)
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    payment = payments.payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
    payments.payment_confirm_received(payment=payment, actor=makers.StaffUserMaker())
    url = f"/me/trials/{trial.pk}/"
    factory_web, buyer_web = type(web)(), type(web)()
    factory_web.as_user(product.factory.owner)
    buyer_web.as_user(buyer.user)
    steps = [
        (factory_web, "ship", {"carrier": "顺丰", "tracking_number": "SF1234567"}, "shipped"),
        (buyer_web, "receive", {}, "in_trial"),
        (
            buyer_web,
            "feedback",
            {"units_sold": 8, "units_returned": 1, "rating": 5, "comment": "好卖"},
            "feedback_submitted",
        ),
        (buyer_web, "convert", {"quantity": 300}, "converted"),
    ]
    for client, action, data, status in steps:
        # when
        response = client.post(f"{url}{action}/", data)
        # then
        assert (response.status_code, response["Location"]) == (302, url)
        trial.refresh_from_db()
        assert trial.status == status
        assert verbs(trial)[-1] == TABLE.verb(action)
    assert (trial.carrier, trial.tracking_number, trial.units_sold, trial.rating) == (
        "顺丰",
        "SF1234567",
        8,
        5,
    )
    assert (trial.bulk_order.quantity, str(trial.bulk_order.total)) == (300, "3705.00")
    assert "¥3,705.00" in html(buyer_web.get(url))  # money through the cny filter


@pytest.mark.parametrize(
    ("status", "who", "action", "data", "message"),
    [
        ("requested", "buyer", "accept", {}, "You are not allowed to accept this."),
        ("accepted", "factory", "accept", {}, "Cannot accept: it is accepted."),
        ("accepted", "factory", "pay", {"provider": "bank_transfer"}, "You are not allowed to pay this."),
        ("requested", "buyer", "pay", {"provider": "bank_transfer"}, "Cannot pay: it is requested."),
        ("paid", "factory", "ship", {"carrier": "顺丰"}, "Tracking number: This field is required."),
        (
            "paid",
            "factory",
            "ship",
            {"carrier": "顺丰", "tracking_number": "  "},
            "Tracking number: This field is required.",
        ),
        (
            "in_trial",
            "buyer",
            "feedback",
            {"units_sold": 11, "units_returned": 0, "rating": 4},
            "You received 10 units; you cannot have sold more.",
        ),
        (
            "feedback_submitted",
            "buyer",
            "convert",
            {"quantity": 99},
            "A bulk order needs at least the MOQ of 100 units.",
        ),
        ("converted", "buyer", "cancel", {}, "Cannot cancel: it is converted to an order."),
        ("requested", "buyer", "teleport", {}, "Unknown action."),
    ],
)
def test_a_refused_button_shows_the_message_and_changes_nothing(
    web, product, buyer, status, who, action, data, message
):
    # given
    trial = trial_at(status, product=product, buyer=buyer, quantity=10)
    before = snapshot(trial)
    user = buyer.user if who == "buyer" else product.factory.owner
    # when
    response = web.as_user(user).post(f"/me/trials/{trial.pk}/{action}/", data, follow=True)
    # then
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert snapshot(trial) == before


def test_buttons_need_a_csrf_token(product, buyer):
    # given
    from tests.frontend.conftest import Browser

    trial = trial_at("requested", product=product, buyer=buyer)
    web = Browser(enforce_csrf_checks=True).as_user(product.factory.owner)
    before = snapshot(trial)
    # when
    response = web.post(f"/me/trials/{trial.pk}/accept/")
    # then
    assert response.status_code == 403
    assert snapshot(trial) == before


def test_trial_lists_show_open_trials_first_to_both_sides(web, product, buyer, factory):
    # given
    closed = trial_at("declined", product=product, buyer=buyer)
    open_ = trial_at(
        "requested", product=makers.ProductMaker(factory=factory, title="旅行收纳袋"), buyer=buyer
    )
    # when
    for user, heading in [(buyer.user, "My trials"), (factory.owner, "Incoming trials")]:
        page = html(web.as_user(user).get("/me/trials/"))
        # then
        assert f"<h1>{heading}</h1>" in page
        assert page.index(str(open_)) < page.index(str(closed))


def test_trial_page_speaks_chinese(web_zh, product, buyer):
    # given
    trial = trial_at("requested", product=product, buyer=buyer)
    # when
    response = web_zh.as_user(buyer.user).get(f"/me/trials/{trial.pk}/")
    # then
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html(response)


@pytest.mark.parametrize(
    ("url", "queries"), [("/me/trials/", 4), ("/me/samples/", 4), ("/me/custom/", 4), ("/me/", 8)]
)
def test_lists_do_not_query_per_row(web, factory, buyer, url, queries, django_assert_num_queries):
    # given: three of each kind
    from trials.services import custom, samples

    web.as_user(buyer.user)
    for n in range(3):
        product = makers.ProductMaker(factory=factory, title=f"收纳盒{n}")
        trial_at("requested", product=product, buyer=buyer)
        samples.sample_create(actor=buyer.user, product_id=product.pk)
        custom.custom_request_create(
            actor=buyer.user,
            data={
                "factory": factory.pk,
                "title": f"定制{n}",
                "requirements": "x",
                "quantity": 100,
                "deadline": timezone.now() + timedelta(days=3),
            },
        )
    # then: session, user, the header bell's unread count, one query per list (and the dashboard's
    # profile), whatever the number of rows
    with django_assert_num_queries(queries):
        response = web.get(url)
    assert response.status_code == 200
    assert html(response).count("收纳盒") + html(response).count("定制") >= 3


def test_a_refused_form_keeps_what_was_typed(web, product, buyer):
    trial = trial_at("paid", product=product, buyer=buyer, quantity=10)
    response = web.as_user(product.factory.owner).post(
        f"/me/trials/{trial.pk}/ship/", {"carrier": "顺丰速运", "tracking_number": ""}
    )
    assert response.status_code == 200
    assert 'value="顺丰速运"' in html(response)
    trial.refresh_from_db()
    assert trial.status == "paid"

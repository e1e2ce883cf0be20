"""Message topics (conversations/topics.py, registered by trials/topics.py): a message is about a
product, trial, sample, bulk order or custom request of the same streamer and factory; another
pair's object is refused in the JSON shape with nothing written; the thread names the topic with a
label, title and link."""

import pytest

from conversations.models import Message
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import mask_request, trial_at
from trials.models import TrialStatus

pytestmark = pytest.mark.django_db


def _post(api, user, conversation, **data):
    return api.as_user(user).post(f"/api/v1/conversations/{conversation.pk}/messages/", data, format="json")


def test_a_message_about_the_pairs_trial(api, buyer, factory, conversation):
    # given
    product = makers.ProductMaker(factory=factory, title="补水面膜")
    trial = trial_at(TrialStatus.REQUESTED, product=product, buyer=buyer)
    # when
    sent = _post(api, buyer.user, conversation, body="试销能否加量?", topic_kind="trial", topic_id=trial.pk)
    # then
    topic = {
        "kind": "trial",
        "id": trial.pk,
        "label": "50%-off trial",
        "title": f"T{trial.pk:06d} · 补水面膜",
        "url": f"/me/trials/{trial.pk}/",
    }
    assert (sent.status_code, sent.json()["topic"]) == (201, topic)
    page = api.as_user(factory.owner).get(f"/api/v1/conversations/{conversation.pk}/messages/").json()
    assert [m["topic"] for m in page["results"]] == [topic]
    message = Message.objects.get()
    assert (message.topic_kind, message.topic_id) == ("trial", trial.pk)


def test_zh_hans_label(api, buyer, factory, conversation):
    product = makers.ProductMaker(factory=factory, title="收纳盒")
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    sent = _post(
        api, buyer.user, conversation, body="这款有现货吗", topic_kind="product", topic_id=product.pk
    )
    assert (sent.status_code, sent.json()["topic"]) == (
        201,
        {
            "kind": "product",
            "id": product.pk,
            "label": "商品",
            "title": "收纳盒",
            "url": f"/products/{product.pk}/",
        },
    )


@pytest.mark.parametrize("kind", ["trial", "product", "custom_request"])
def test_another_pairs_object_is_refused_and_nothing_written(api, buyer, factory, conversation, kind):
    # given: the same streamer's trial / request with another factory, and that factory's product
    other = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    other_product = makers.ProductMaker(factory=other)
    theirs = {
        "trial": lambda: trial_at(TrialStatus.REQUESTED, product=other_product, buyer=buyer).pk,
        "product": lambda: other_product.pk,
        "custom_request": lambda: mask_request(buyer, factory=other).pk,
    }[kind]()
    messages, notifications = Message.objects.count(), Notification.objects.count()
    label = {"trial": "50%-off trial", "product": "product", "custom_request": "custom request"}[kind]
    # when
    refused = _post(api, buyer.user, conversation, body="这个呢", topic_kind=kind, topic_id=theirs)
    # then
    assert (refused.status_code, refused.json()) == (400, {"topic_id": [f"No such {label} between you two."]})
    assert (Message.objects.count(), Notification.objects.count()) == (messages, notifications)


def test_another_streamers_trial_with_this_factory_is_refused(api, buyer, factory, conversation):
    product = makers.ProductMaker(factory=factory)
    theirs = trial_at(TrialStatus.REQUESTED, product=product, buyer=makers.BuyerMaker())
    refused = _post(api, factory.owner, conversation, body="发货了", topic_kind="trial", topic_id=theirs.pk)
    assert (refused.status_code, refused.json()) == (
        400,
        {"topic_id": ["No such 50%-off trial between you two."]},
    )
    assert Message.objects.count() == 0


def test_missing_unknown_or_half_a_topic(api, buyer, factory, conversation):
    missing = _post(api, buyer.user, conversation, body="x", topic_kind="sample", topic_id=999999)
    unknown = _post(api, buyer.user, conversation, body="x", topic_kind="invoice", topic_id=1)
    half = _post(api, buyer.user, conversation, body="x", topic_kind="trial")
    assert (missing.status_code, missing.json()) == (400, {"topic_id": ["No such sample between you two."]})
    assert (unknown.status_code, unknown.json()) == (
        400,
        {
            "topic_kind": [
                "Unknown topic; choose one of: product, trial, sample, bulk_order, custom_request, tour_booking."
            ]
        },
    )
    assert (half.status_code, half.json()) == (400, {"topic_id": ["Give topic_kind and topic_id together."]})
    assert Message.objects.count() == 0


def test_a_third_party_gets_404_with_a_topic(api, buyer, factory, conversation, outsider_buyer):
    product = makers.ProductMaker(factory=factory)
    response = _post(
        api, outsider_buyer.user, conversation, body="x", topic_kind="product", topic_id=product.pk
    )
    assert response.status_code == 404
    assert Message.objects.count() == 0


def test_an_open_request_offered_to_the_factory_is_theirs_to_talk_about(buyer, factory, conversation):
    from conversations.topics import topic_check
    from trials.models import CustomRequestOffer

    request = mask_request(buyer)
    CustomRequestOffer.objects.filter(request=request).delete()
    args = {"kind": "custom_request", "topic_id": request.pk, "buyer_id": buyer.pk, "factory_id": factory.pk}
    with pytest.raises(Exception, match="No such custom request"):
        topic_check(**args)
    CustomRequestOffer.objects.create(request=request, factory=factory)
    assert topic_check(**args) == request

"""GET conversations/{id}/topics/: what a message of the pair can be about, to the two sides only
(a third party 404, a partner key with conversations:read), per kind the newest first; and the
notification of a message about a topic names it, in the recipient's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification, NotificationSettings
from marketplace.notifications.services import notification_email
from partners.models import Scope
from tests import makers
from tests.trials.conftest import bulk_at, mask_request, trial_at
from tours.models import TourBooking, TourStatus
from trials.models import TrialStatus

pytestmark = pytest.mark.django_db


def booking(factory, buyer, *, days: int = 3) -> TourBooking:
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return TourBooking.objects.create(
        factory=factory,
        buyer=buyer,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        requested_starts_at=starts_at,
        place=1,
        status=TourStatus.REQUESTED,
    )


def _url(conversation, query: str = "") -> str:
    return f"/api/v1/conversations/{conversation.pk}/topics/{query}"


@pytest.fixture
def pair_objects(buyer, factory):
    """One of each kind for the pair (two products), and another pair's of each beside them."""
    box = makers.ProductMaker(factory=factory, title="折叠收纳箱")
    rack = makers.ProductMaker(factory=factory, title="桌面收纳盒")
    bulk = bulk_at("placed", product=box, buyer=buyer)  # from a converted trial of the box
    trial = bulk.trial
    request = mask_request(
        buyer, factory=makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    )
    request.factory = factory
    request.save(update_fields=["factory"])
    tour = booking(factory, buyer)
    # another pair's: the same factory with another streamer, the same streamer with another factory
    other_buyer = makers.BuyerMaker()
    trial_at(TrialStatus.REQUESTED, product=rack, buyer=other_buyer)
    booking(factory, other_buyer, days=4)
    trial_at(TrialStatus.REQUESTED, product=makers.ProductMaker(title="别家的杯子"), buyer=buyer)
    return {"box": box, "rack": rack, "trial": trial, "bulk": bulk, "request": request, "tour": tour}


def _expected(o) -> list[dict]:
    trial, bulk, tour = o["trial"], o["bulk"], o["tour"]
    when = timezone.localtime(tour.starts_at, timezone.get_fixed_timezone(8 * 60)).strftime("%Y-%m-%d %H:%M")
    return [
        {
            "kind": "product",
            "id": o["rack"].pk,
            "label": "product",
            "title": "桌面收纳盒",
            "url": f"/products/{o['rack'].pk}/",
        },
        {
            "kind": "product",
            "id": o["box"].pk,
            "label": "product",
            "title": "折叠收纳箱",
            "url": f"/products/{o['box'].pk}/",
        },
        {
            "kind": "trial",
            "id": trial.pk,
            "label": "50%-off trial",
            "title": f"T{trial.pk:06d} · 折叠收纳箱",
            "url": f"/me/trials/{trial.pk}/",
        },
        {
            "kind": "bulk_order",
            "id": bulk.pk,
            "label": "bulk order",
            "title": f"B{bulk.pk:06d} · 折叠收纳箱",
            "url": f"/me/bulk-orders/{bulk.pk}/",
        },
        {
            "kind": "custom_request",
            "id": o["request"].pk,
            "label": "custom request",
            "title": "便携涂抹式睡眠面膜",
            "url": f"/me/custom/{o['request'].pk}/",
        },
        {
            "kind": "tour_booking",
            "id": tour.pk,
            "label": "video factory tour",
            "title": f"V{tour.pk:06d} · {when} (Asia/Shanghai)",
            "url": f"/me/tours/{tour.pk}/",
        },
    ]


def test_both_sides_list_the_pairs_topics(api, buyer, factory, conversation, pair_objects):
    expected = _expected(pair_objects)
    for user in (buyer.user, factory.owner):
        response = api.as_user(user).get(_url(conversation))
        assert (response.status_code, response.json()) == (200, {"results": expected})


def test_one_kind_and_a_limit(api, buyer, factory, conversation, pair_objects):
    client = api.as_user(buyer.user)
    products = client.get(_url(conversation, "?kind=product&limit=1")).json()["results"]
    tours = client.get(_url(conversation, "?kind=tour_booking")).json()["results"]
    assert [(t["kind"], t["id"]) for t in products] == [("product", pair_objects["rack"].pk)]
    assert [(t["kind"], t["id"]) for t in tours] == [("tour_booking", pair_objects["tour"].pk)]


def test_bad_queries_are_400_in_the_json_shape(api, buyer, conversation):
    client = api.as_user(buyer.user)
    unknown = client.get(_url(conversation, "?kind=invoice"))
    zero = client.get(_url(conversation, "?limit=0"))
    huge = client.get(_url(conversation, "?limit=101"))
    long_kind = client.get(_url(conversation, "?kind=" + "x" * 33))
    assert (unknown.status_code, unknown.json()) == (
        400,
        {
            "kind": [
                "Unknown topic; choose one of: product, trial, sample, bulk_order, custom_request, tour_booking."
            ]
        },
    )
    assert (zero.status_code, zero.json()) == (
        400,
        {"limit": ["Ensure this value is greater than or equal to 1."]},
    )
    assert (huge.status_code, huge.json()) == (
        400,
        {"limit": ["Ensure this value is less than or equal to 100."]},
    )
    assert long_kind.status_code == 400 and list(long_kind.json()) == ["kind"]


def test_labels_in_zh_hans(api, buyer, factory, conversation):
    tour = booking(factory, buyer)
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    (listed,) = api.as_user(factory.owner).get(_url(conversation, "?kind=tour_booking")).json()["results"]
    assert (listed["id"], listed["label"]) == (tour.pk, "视频看厂")


def test_a_third_party_gets_404(api, conversation, pair_objects, outsider_buyer, outsider_factory):
    for user in (outsider_buyer.user, outsider_factory.owner, makers.UserMaker()):
        response = api.as_user(user).get(_url(conversation))
        assert (response.status_code, response.json()) == (
            404,
            {"detail": "No Conversation matches the given query."},
        )


def test_anonymous_is_401(api, conversation):
    assert api.get(_url(conversation)).status_code == 401


def test_a_partner_key_reads_them_with_conversations_read(factory):
    from conversations.services import conversation_start
    from partners import services as partners
    from tests.conftest import Client
    from tests.partners.conftest import make_key

    owner = makers.UserMaker(username="mcn_owner")
    organization = partners.organization_create(actor=owner, name="星河 MCN")
    streamer = makers.BuyerMaker()
    link = partners.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=streamer.pk)
    partners.link_accept(link=link, actor=streamer.user)
    outsider = makers.BuyerMaker()
    ours = conversation_start(actor=streamer.user, buyer=streamer, factory=factory)
    theirs = conversation_start(actor=outsider.user, buyer=outsider, factory=factory)
    tour = booking(factory, streamer)

    def client(scopes):
        _row, raw = make_key(organization, owner, scopes=scopes)
        c = Client()
        c.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return c

    reader = client([Scope.CONVERSATIONS_READ.value])
    read = reader.get(_url(ours, f"?buyer={streamer.pk}&kind=tour_booking"))
    other = reader.get(_url(theirs, f"?buyer={streamer.pk}"))
    unscoped = client([Scope.CATALOG_READ.value]).get(_url(ours, f"?buyer={streamer.pk}"))
    assert (read.status_code, [t["id"] for t in read.json()["results"]]) == (200, [tour.pk])
    assert other.status_code == 404
    assert (unscoped.status_code, unscoped.json()) == (
        403,
        {"detail": "This API key lacks the scope conversations:read."},
    )


def _notice(user):
    (notice,) = Notification.objects.filter(recipient=user, kind__startswith="conversation.message")
    return notice


def test_the_notification_names_the_topic_in_both_languages(api, buyer, factory, conversation):
    # given: the factory reads mail in English, the streamer in zh-hans
    product = makers.ProductMaker(factory=factory, title="补水面膜")
    trial = trial_at(TrialStatus.REQUESTED, product=product, buyer=buyer)
    NotificationSettings.objects.create(user=factory.owner, language="en")
    NotificationSettings.objects.create(user=buyer.user, language="zh-hans")
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    # when: each writes about the trial
    api.as_user(buyer.user).post(
        url, {"body": "能加量吗", "topic_kind": "trial", "topic_id": trial.pk}, format="json"
    )
    api.as_user(factory.owner).post(
        url, {"body": "可以", "topic_kind": "trial", "topic_id": trial.pk}, format="json"
    )
    # then
    ref = f"T{trial.pk:06d} · 补水面膜"
    to_factory, to_buyer = _notice(factory.owner), _notice(buyer.user)
    assert (to_factory.kind, to_factory.data["topic"]) == ("conversation.message.trial", ref)
    name = buyer.display_name
    assert render(to_factory.kind, to_factory.data) == (
        f"New message from {name} about the 50%-off trial {ref}",
        f"{name} wrote about the 50%-off trial {ref}: 能加量吗 (more messages may follow in the conversation)",
    )
    mail.outbox.clear()
    assert notification_email(notification_id=to_buyer.pk) is True
    (sent,) = mail.outbox
    assert sent.subject == f"{factory.name} 发来关于五折试销 {ref} 的新消息"
    assert sent.body == f"{factory.name} 就五折试销 {ref} 写道:可以(会话中可能还有更多消息)"


def test_a_tour_and_a_plain_message_are_worded_as_such(api, buyer, factory, conversation):
    from django.utils import translation

    tour = booking(factory, buyer)
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    api.as_user(buyer.user).post(
        url, {"body": "准备哪些产品?", "topic_kind": "tour_booking", "topic_id": tour.pk}, format="json"
    )
    api.as_user(factory.owner).post(url, {"body": "好的"}, format="json")
    to_factory, to_buyer = _notice(factory.owner), _notice(buyer.user)
    title = f"V{tour.pk:06d} · "
    assert to_factory.kind == "conversation.message.tour_booking"
    assert to_factory.data["topic"].startswith(title) and to_factory.data["topic"].endswith(
        " (Asia/Shanghai)"
    )
    with translation.override("zh-hans"):
        subject, _body = render(to_factory.kind, to_factory.data)
    assert subject == f"{buyer.display_name} 发来关于视频看厂 {to_factory.data['topic']} 的新消息"
    assert (to_buyer.kind, "topic" in to_buyer.data) == ("conversation.message", False)
    assert render(to_buyer.kind, to_buyer.data)[0] == f"New message from {factory.name}"


def test_a_refused_topic_notifies_nobody(api, buyer, factory, conversation):
    theirs = booking(factory, makers.BuyerMaker())
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    refused = api.as_user(buyer.user).post(
        url, {"body": "x", "topic_kind": "tour_booking", "topic_id": theirs.pk}, format="json"
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {"topic_id": ["No such video factory tour between you two."]},
    )
    assert not Notification.objects.exists()


def test_the_list_costs_one_query_per_kind_whatever_the_count(api, buyer, factory, conversation):
    """No query per object (a title reading its product, a link): 1 and 3 of each kind cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_one_of_each():
        product = makers.ProductMaker(factory=factory)
        bulk_at("placed", product=product, buyer=buyer)  # and its trial
        booking(factory, buyer, days=3 + TourBooking.objects.count())
        request = mask_request(buyer, factory=factory)
        assert request.factory_id == factory.pk

    client = api.as_user(buyer.user)
    add_one_of_each()
    client.get(_url(conversation))  # warm: authentication caches
    with CaptureQueriesContext(connection) as one:
        first = client.get(_url(conversation)).json()["results"]
    add_one_of_each()
    add_one_of_each()
    with CaptureQueriesContext(connection) as three:
        listed = client.get(_url(conversation)).json()["results"]
    kinds = ["product", "trial", "bulk_order", "custom_request", "tour_booking"]
    assert [t["kind"] for t in first] == kinds
    assert [t["kind"] for t in listed] == [k for k in kinds for _ in range(3)]
    assert len(three.captured_queries) == len(one.captured_queries)

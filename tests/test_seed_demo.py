import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from buyers.models import BuyerProfile, Channel
from conversations.models import Message
from demo.data.activity import REJECTED_TITLE, REJECTION
from demo.data.factories import FACTORIES
from demo.data.generate import product_specs
from demo.data.seed import LOGINS
from demo.data.streamers import STREAMERS
from factories.models import Factory, Product, ProductImage, ProductRevision
from marketplace.accounts.models import User
from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tours.models import TourAvailability, TourBooking
from trials.models import BulkOrder, CustomRequest, SampleRequest, TrialOrder

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (User, Token, Factory, Product, ProductImage, BuyerProfile, Channel, Event)
    }


def test_seed_demo_creates_realistic_volumes_and_statuses():
    # when
    seed("--no-images")
    # then
    factories = Factory.objects.all()
    assert factories.count() == len(FACTORIES) >= 40
    assert factories.exclude(industrial_belt=None).values("industrial_belt").distinct().count() == 22
    assert sorted(factories.order_by().values_list("verification_status", "tier").distinct()) == [
        ("pending", "standard"),
        ("rejected", "standard"),
        ("verified", "standard"),
        ("verified", "super"),
    ]
    assert factories.filter(verification_status="verified").count() == 54
    assert factories.filter(tier="super").count() == 4
    assert factories.filter(verification_status="rejected").count() == 1
    # The catalogue, plus the one listing the demo factory had rejected (demo/data/activity.py).
    expected_products = sum(len(product_specs(f, accepts_trials=True)) for f in FACTORIES) + 1
    products = Product.objects.all()
    assert products.count() == expected_products >= 400
    assert set(products.values_list("status", flat=True)) == {"active", "pending_review", "rejected"}
    assert products.filter(status="active").count() > 3 * products.filter(status="pending_review").count()
    # Nothing of an unverified factory is public.
    assert not products.filter(status="active").exclude(factory__verification_status="verified").exists()
    assert products.filter(factory_price__lt=1).exists() and products.filter(factory_price__gt=500).exists()
    assert all("产地" in attributes for attributes in products.values_list("attributes", flat=True))
    assert products.filter(trial_eligible=True).exists() and products.filter(customizable=True).exists()
    assert BuyerProfile.objects.count() == len(STREAMERS) >= 30
    assert set(Channel.objects.values_list("platform", flat=True)) == {
        "douyin",
        "kuaishou",
        "taobao_live",
        "wechat_channels",
        "xiaohongshu",
    }
    followers = sorted(Channel.objects.values_list("followers", flat=True))
    assert followers[0] < 50_000 and followers[-1] > 5_000_000
    assert Event.objects.filter(verb="product.created").count() == expected_products
    assert Event.objects.filter(verb="factory.verified").count() == 54
    assert not ProductImage.objects.exists()


def test_seed_demo_twice_creates_nothing_new():
    # given
    seed()
    before = counts()
    assert before["ProductImage"] > 100
    # when
    output = seed()
    # then
    assert counts() == before
    assert "Created 0 users, 0 factories, 0 products, 0 streamers, 0 images" in output


def test_printed_accounts_and_other_demo_accounts_can_sign_in(api):
    # when
    output = seed("--no-images")
    # then
    for role, (username, password) in LOGINS.items():
        assert f"{role:8} {username:16} {password}" in output
        response = api.post("/api/v1/auth/token/", {"username": username, "password": password})
        assert response.status_code == 200, username
        assert response.json() == {"token": Token.objects.get(user__username=username).key}
    assert User.objects.get(username="demo_factory").factory.tier == "super"
    assert User.objects.get(username="demo_streamer").buyer_profile.channels.count() == 2
    assert User.objects.get(username="demo_staff").is_staff_member
    assert "uses the password Yuantou-demo-2026" in output
    response = api.post("/api/v1/auth/token/", {"username": "gz_meiyan", "password": "Yuantou-demo-2026"})
    assert response.status_code == 200


def test_each_printed_login_finds_work_waiting(mailoutbox):
    # when
    output = seed("--no-images")
    # then: the factory has incoming trials and samples in every state, a listing in review and a rejected one
    factory = Factory.objects.get(owner__username="demo_factory")
    assert sorted(TrialOrder.objects.filter(factory=factory).values_list("status", flat=True)) == sorted(
        ["requested", "accepted", "paid", "shipped", "in_trial", "feedback_submitted", "converted"]
    )
    assert sorted(SampleRequest.objects.filter(factory=factory).values_list("status", flat=True)) == [
        "accepted",
        "received",
        "requested",
        "shipped",
    ]
    assert factory.products.filter(status="pending_review").exists()
    assert factory.products.get(title=REJECTED_TITLE).status_reason == REJECTION
    # and a live listing whose new price waits for staff
    assert ProductRevision.objects.filter(product__factory=factory, status="pending").count() == 1
    assert BulkOrder.objects.filter(factory=factory).count() == 1
    waiting = CustomRequest.objects.get(factory=factory)
    assert (waiting.status, waiting.quotes_count) == ("open", 0)
    # the streamer has trials at several stages and an open request with three quotes to compare
    streamer = BuyerProfile.objects.get(user__username="demo_streamer")
    assert sorted(TrialOrder.objects.filter(buyer=streamer).values_list("status", flat=True)) == [
        "accepted",
        "converted",
        "feedback_submitted",
        "in_trial",
        "paid",
        "requested",
    ]
    # and a bulk order of theirs in production, its deposit paid
    (order,) = BulkOrder.objects.filter(buyer=streamer)
    assert (order.status, order.payments.get().purpose) == ("in_production", "deposit")
    compare = CustomRequest.objects.get(buyer=streamer)
    assert (compare.status, compare.factory, compare.quotes.count()) == ("open", None, 3)
    # video tours: weekday afternoons published; the streamer's request waits, another is confirmed
    availability = TourAvailability.objects.get(factory=factory)
    assert (availability.slot_minutes, availability.parallel_calls, availability.windows.count()) == (
        30,
        2,
        5,
    )
    tours = TourBooking.objects.filter(factory=factory).order_by("starts_at")
    assert [(t.buyer.user.username, t.status) for t in tours] == [
        ("demo_streamer", "requested"),
        ("s_laozhang", "confirmed"),
    ]
    assert tours[0].starts_at.weekday() < 5 and tours[0].starts_at > timezone.now() + timedelta(days=1)
    # conversations: with the demo factory (agreed to talk: its WeChat and phone as written, its card
    # shown) and with a factory not agreed with (the same kind of details masked), as the streamer reads them
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(streamer.user)
    listed = {c["factory"]: c for c in client.get("/api/v1/conversations/").json()["results"]}
    agreed = listed[factory.pk]
    assert (
        agreed["preview"] == "好的！大货 15 天可以出。细节加我微信 dehua_chen88，或者打电话 138 0013 8000。"
    )
    detail = client.get(f"/api/v1/conversations/{agreed['id']}/").json()
    assert (detail["agreement"], detail["contact"]["wechat"]) == ("trial", "dehua_chen88")
    (masked,) = [
        c
        for c in listed.values()
        if "yiwu_box2026" not in c["preview"] and "[contact hidden]" in c["preview"]
    ]
    assert (
        masked["preview"]
        == "您好，起订量 500 件，打样 7 天。方便的话加微信 [contact hidden] 详谈，电话 [contact hidden]。"
    )
    detail = client.get(f"/api/v1/conversations/{masked['id']}/").json()
    assert (detail["agreement"], detail["contact"]) == (None, None)
    stored = (
        Message.objects.filter(conversation_id=masked["id"]).order_by("id").values_list("body", flat=True)
    )
    assert (
        list(stored)[-1]
        == "您好，起订量 500 件，打样 7 天。方便的话加微信 yiwu_box2026 详谈，电话 139 0000 1111。"
    )
    for username in ("demo_factory", "demo_streamer"):
        assert Notification.objects.filter(recipient__username=username, read_at=None).count() >= 10
    assert "10 trials, 4 samples, 2 custom requests, 3 quotes" in output
    assert mailoutbox == []  # made-up addresses: the seed sends no e-mail


def test_seed_demo_refuses_known_passwords_with_debug_off(settings):
    # given
    settings.DEBUG = False
    # when
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    # then
    assert (
        str(error.value)
        == "DEBUG is off: refusing to create demo accounts with known passwords (use --force)."
    )
    assert counts() == dict.fromkeys(counts(), 0)

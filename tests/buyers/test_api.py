"""buyers/: streamer profiles — create, read, edit, who may see them."""

import pytest

from buyers.models import BuyerProfile, Channel
from buyers.services import buyer_update
from marketplace.core.errors import NotAllowed
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db


def payload(**overrides):
    return {
        "display_name": "小杨哥家居好物",
        "channels": [
            {"platform": "douyin", "handle": "xiaoyang_home", "followers": 1_200_000},
            {"platform": "kuaishou", "handle": "xiaoyang_home", "followers": 300_000},
        ],
        "categories": ["storage", "tableware"],
        "price_min": "19.90",
        "price_max": "99.00",
        "monthly_gmv": "2500000.00",
        "units_per_session": 3000,
        "province": "浙江",
        "city": "杭州",
        "needs_customization": True,
        "audience": {"age_min": 25, "age_max": 40, "female_share": 0.72},
    } | overrides


def test_buyer_creates_profile(api, buyer_user):
    # when
    response = api.as_user(buyer_user).post("/api/v1/buyers/", payload())
    # then
    assert response.status_code == 201
    profile = BuyerProfile.objects.get()
    body = response.json()
    assert body == {
        "id": profile.id,
        "display_name": "小杨哥家居好物",
        "channels": [
            {"platform": "douyin", "handle": "xiaoyang_home", "followers": 1_200_000},
            {"platform": "kuaishou", "handle": "xiaoyang_home", "followers": 300_000},
        ],
        "categories": ["storage", "tableware"],
        "price_min": "19.90",
        "price_max": "99.00",
        "monthly_gmv": "2500000.00",
        "units_per_session": 3000,
        "province": "浙江",
        "city": "杭州",
        "needs_customization": True,
        "audience": {"age_min": 25, "age_max": 40, "female_share": 0.72},
        "record": {
            "trials_count": 0,
            "feedback_on_time_rate": None,
            "sample_followthrough_rate": None,
            "cancellations_count": 0,
            "feedback_due": 0,
            "feedback_on_time": 0,
            "trials_decided": 0,
            "trials_converted": 0,
            "samples_received": 0,
            "samples_followed": 0,
        },
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert profile.user == buyer_user
    assert list(Event.objects.values_list("verb", "actor")) == [("buyer.created", buyer_user.id)]


def test_minimal_profile(api, buyer_user):
    body = {k: payload()[k] for k in ("display_name", "categories", "price_min", "price_max")}
    response = api.as_user(buyer_user).post("/api/v1/buyers/", body)
    assert response.status_code == 201
    data = response.json()
    assert (data["channels"], data["monthly_gmv"], data["units_per_session"]) == ([], "0.00", 0)
    assert data["audience"] == {"age_min": None, "age_max": None, "female_share": None}


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"price_min": "100.00", "price_max": "50.00"},
            {"price_max": ["The top of your price band must not be below its bottom."]},
        ),
        ({"price_max": "0"}, {"price_max": ["Ensure this value is greater than or equal to 0.01."]}),
        (
            {"audience": {"age_min": 40, "age_max": 20}},
            {"audience": ["The audience's top age must not be below its lowest age."]},
        ),
        (
            {"audience": {"female_share": 1.5}},
            {"audience": {"female_share": ["Ensure this value is less than or equal to 1."]}},
        ),
        (
            {"audience": {"age_max": 130}},
            {"audience": {"age_max": ["Ensure this value is less than or equal to 120."]}},
        ),
        ({"categories": ["unicorns"]}, {"categories": ["Unknown category: unicorns."]}),
        ({"categories": []}, {"categories": ["This list may not be empty."]}),
        (
            {"channels": [{"platform": "tiktok", "handle": "x"}]},
            {"channels": {"0": {"platform": ['"tiktok" is not a valid choice.']}}},
        ),
        (
            {"channels": [{"platform": "douyin", "handle": "x", "followers": -1}]},
            {"channels": {"0": {"followers": ["Ensure this value is greater than or equal to 0."]}}},
        ),
        (
            {
                "channels": [
                    {"platform": "douyin", "handle": "Same"},
                    {"platform": "douyin", "handle": "same"},
                ]
            },
            {"channels": ["The same account is listed twice: same."]},
        ),
        ({"display_name": ""}, {"display_name": ["This field may not be blank."]}),
    ],
)
def test_create_refuses_bad_input_and_creates_nothing(api, buyer_user, overrides, errors):
    response = api.as_user(buyer_user).post("/api/v1/buyers/", payload(**overrides))
    assert response.status_code == 400
    assert response.json() == errors
    assert BuyerProfile.objects.count() == 0
    assert Channel.objects.count() == 0
    assert Event.objects.count() == 0


def test_channel_of_another_streamer_is_refused_case_insensitively(api, buyer_user):
    # given
    other = makers.BuyerMaker()
    Channel.objects.create(buyer=other, platform="douyin", handle="XiaoYang_Home")
    # when
    response = api.as_user(buyer_user).post("/api/v1/buyers/", payload())
    # then
    assert response.status_code == 400
    assert response.json() == {
        "channels": ["Douyin (抖音) account @XiaoYang_Home is already registered by another streamer."]
    }
    assert BuyerProfile.objects.count() == 1


def test_same_handle_on_another_platform_is_fine(api, buyer_user):
    # given: someone owns @xiaoyang_home on xiaohongshu only
    other = makers.BuyerMaker()
    Channel.objects.create(buyer=other, platform="xiaohongshu", handle="xiaoyang_home")
    # when: our streamer registers douyin + kuaishou accounts with that handle
    response = api.as_user(buyer_user).post("/api/v1/buyers/", payload())
    # then
    assert response.status_code == 201


def test_one_profile_per_user(api):
    profile = makers.BuyerMaker()
    response = api.as_user(profile.user).post("/api/v1/buyers/", payload())
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You already have a streamer profile; edit it instead."},
    )
    assert BuyerProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("factory", 403, {"detail": "Only streamer (buyer) accounts can do this."}),
        ("staff", 403, {"detail": "Only streamer (buyer) accounts can do this."}),
    ],
)
def test_only_buyers_create_profiles(api, who, status, body):
    user = {"anonymous": lambda: None, "factory": makers.FactoryUserMaker, "staff": makers.StaffUserMaker}[
        who
    ]()
    response = api.as_user(user).post("/api/v1/buyers/", payload())
    assert (response.status_code, response.json()) == (status, body)
    assert BuyerProfile.objects.count() == 0


# --- who may read ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("staff", 200),
        ("verified_factory", 200),
        ("pending_factory", 404),
        ("factory_without_profile", 404),
        ("other_buyer", 404),
        ("anonymous", 401),
    ],
)
def test_profile_is_not_public(api, who, status):
    profile = makers.BuyerMaker()
    user = {
        "owner": lambda: profile.user,
        "staff": makers.StaffUserMaker,
        "verified_factory": lambda: makers.FactoryMaker().owner,
        "pending_factory": lambda: makers.FactoryMaker(verification_status="pending").owner,
        "factory_without_profile": makers.FactoryUserMaker,
        "other_buyer": lambda: makers.BuyerMaker().user,
        "anonymous": lambda: None,
    }[who]()
    response = api.as_user(user).get(f"/api/v1/buyers/{profile.id}/")
    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == profile.id
    elif status == 404:
        assert response.json() == {"detail": "No BuyerProfile matches the given query."}


@pytest.mark.parametrize(
    ("who", "count"), [("owner", 1), ("other_buyer", 1), ("verified_factory", 3), ("staff", 3)]
)
def test_list_shows_what_the_caller_may_read(api, who, count):
    profiles = makers.BuyerMaker.create_batch(2)
    user = {
        "owner": lambda: profiles[0].user,
        "other_buyer": lambda: makers.BuyerMaker().user,
        "verified_factory": lambda: (makers.BuyerMaker(), makers.FactoryMaker().owner)[1],
        "staff": lambda: (makers.BuyerMaker(), makers.StaffUserMaker())[1],
    }[who]()
    response = api.as_user(user).get("/api/v1/buyers/")
    assert (response.status_code, response.json()["count"]) == (200, count)
    if who == "owner":
        assert [r["id"] for r in response.json()["results"]] == [profiles[0].id]


def test_list_needs_sign_in(api):
    assert api.get("/api/v1/buyers/").status_code == 401


def test_buyer_list_query_count_does_not_grow_with_page_size(api, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(12):
        profile = makers.BuyerMaker(categories=["storage", "snacks"])
        Channel.objects.create(buyer=profile, platform="kuaishou", handle=f"k{profile.pk}")
    api.as_user(makers.StaffUserMaker())
    with CaptureQueriesContext(connection) as small:
        api.get("/api/v1/buyers/?page_size=2")
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = api.get("/api/v1/buyers/?page_size=12").json()
    assert len(body["results"]) == 12


# --- editing ---------------------------------------------------------------------------------------


def test_owner_edits_one_end_of_the_band_and_audience(api):
    # given
    profile = makers.BuyerMaker()  # band 20.00–80.00
    url = f"/api/v1/buyers/{profile.id}/"
    # when
    response = api.as_user(profile.user).patch(url, {"price_max": "120.00", "audience": {"age_min": 18}})
    # then
    assert response.status_code == 200
    assert (response.json()["price_min"], response.json()["price_max"]) == ("20.00", "120.00")
    assert response.json()["audience"]["age_min"] == 18
    event = Event.objects.get()
    assert (event.verb, event.data) == ("buyer.updated", {"fields": ["price_max", "audience_age_min"]})


def test_patch_checks_the_band_as_it_will_be(api):
    profile = makers.BuyerMaker()  # band 20.00–80.00
    response = api.as_user(profile.user).patch(f"/api/v1/buyers/{profile.id}/", {"price_min": "90.00"})
    assert (response.status_code, response.json()) == (
        400,
        {"price_max": ["The top of your price band must not be below its bottom."]},
    )
    profile.refresh_from_db()
    assert str(profile.price_min) == "20.00"
    assert Event.objects.count() == 0


def test_patch_replaces_channels_and_keeps_own_handle(api):
    # given
    profile = makers.BuyerMaker()
    own = profile.channels.get()
    # when: keep the douyin account (different case), add a WeChat one
    response = api.as_user(profile.user).patch(
        f"/api/v1/buyers/{profile.id}/",
        {
            "channels": [
                {"platform": "douyin", "handle": own.handle.upper(), "followers": 130_000},
                {"platform": "wechat_channels", "handle": "wx_home", "followers": 5000},
            ]
        },
    )
    # then
    assert response.status_code == 200
    assert response.json()["channels"] == [
        {"platform": "douyin", "handle": own.handle.upper(), "followers": 130_000},
        {"platform": "wechat_channels", "handle": "wx_home", "followers": 5000},
    ]


def test_patch_refuses_another_streamers_channel_and_changes_nothing(api):
    profile = makers.BuyerMaker()
    other = makers.BuyerMaker()
    taken = other.channels.get()
    before = list(profile.channels.values_list("platform", "handle"))
    response = api.as_user(profile.user).patch(
        f"/api/v1/buyers/{profile.id}/",
        {"display_name": "新名字", "channels": [{"platform": "douyin", "handle": taken.handle}]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "channels": [f"Douyin (抖音) account @{taken.handle} is already registered by another streamer."]
    }
    profile.refresh_from_db()
    assert profile.display_name != "新名字"
    assert list(profile.channels.values_list("platform", "handle")) == before


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("verified_factory", 403, {"detail": "Only the owner can change this."}),
        ("other_buyer", 404, {"detail": "No BuyerProfile matches the given query."}),
        ("pending_factory", 404, {"detail": "No BuyerProfile matches the given query."}),
    ],
)
def test_only_owner_or_staff_edit(api, who, status, body):
    profile = makers.BuyerMaker()
    user = {
        "anonymous": lambda: None,
        "verified_factory": lambda: makers.FactoryMaker().owner,
        "other_buyer": lambda: makers.BuyerMaker().user,
        "pending_factory": lambda: makers.FactoryMaker(verification_status="pending").owner,
    }[who]()
    response = api.as_user(user).patch(f"/api/v1/buyers/{profile.id}/", {"display_name": "抢注"})
    assert (response.status_code, response.json()) == (status, body)
    profile.refresh_from_db()
    assert profile.display_name != "抢注"


def test_staff_can_edit(api, staff):
    profile = makers.BuyerMaker()
    response = api.as_user(staff).patch(f"/api/v1/buyers/{profile.id}/", {"display_name": "更正"})
    assert (response.status_code, response.json()["display_name"]) == (200, "更正")


def test_resending_the_same_channels_is_not_a_change(api):
    profile = makers.BuyerMaker()
    own = profile.channels.get()
    response = api.as_user(profile.user).patch(
        f"/api/v1/buyers/{profile.id}/",
        {"channels": [{"platform": own.platform, "handle": own.handle, "followers": own.followers}]},
    )
    assert response.status_code == 200
    assert Event.objects.count() == 0
    assert profile.channels.get().pk == own.pk


def test_the_edit_service_itself_refuses_a_stranger():
    profile = makers.BuyerMaker()
    with pytest.raises(NotAllowed) as info:
        buyer_update(profile=profile, actor=makers.UserMaker(), data={"display_name": "抢注"})
    assert info.value.message == "Only the owner can change this."
    assert BuyerProfile.objects.get(pk=profile.pk).display_name == profile.display_name

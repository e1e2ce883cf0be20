"""POST/GET/PATCH factories/ and the permission matrix around them (docs/api.md, "Factories and products")."""

from datetime import datetime

import pytest

from factories.models import Factory, VerificationStatus
from factories.services import factory_update
from marketplace.core.errors import NotAllowed
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db

CODE = "91350100M000100Y43"
METRICS_EMPTY = {
    "response_rate": None,
    "median_response_hours": None,
    "trial_conversion_rate": None,
    "return_rate": None,
    "average_rating": None,
    "trials_completed": 0,
    "trials_reported": 0,
    "trials_decided": 0,
    "trials_converted": 0,
    "units_sold": 0,
    "units_returned": 0,
    "requests_answered": 0,
    "requests_expired": 0,
    "trials_failed_to_ship": 0,
    "tour_rating": None,
    "tours_rated": 0,
}


def payload(**overrides):
    return {
        "name": "景德镇青花瓷厂",
        "province": "江西",
        "city": "景德镇",
        "industrial_belt": "jingdezhen-ceramics",
        "categories": ["tableware", "tea-sets"],
        "description": "手工青花瓷，三代传承",
        "established_year": 1998,
        "staff_count": 120,
        "monthly_capacity": 50000,
        "customization": "odm",
        "accepts_trials": True,
        "max_trial_quantity": 200,
        "trial_days": 45,
        "credit_code": CODE,
    } | overrides


def test_factory_user_registers_a_pending_factory(api, factory_user):
    # when
    response = api.as_user(factory_user).post("/api/v1/factories/", payload(credit_code=CODE.lower()))
    # then
    assert response.status_code == 201
    factory = Factory.objects.get()
    body = response.json()
    assert body == {
        "id": factory.id,
        "name": "景德镇青花瓷厂",
        "province": "江西",
        "city": "景德镇",
        "industrial_belt": "jingdezhen-ceramics",
        "industrial_belt_name": "Jingdezhen ceramics",
        "categories": ["tableware", "tea-sets"],
        "description": "手工青花瓷，三代传承",
        "established_year": 1998,
        "staff_count": 120,
        "monthly_capacity": 50000,
        "customization": "odm",
        "accepts_trials": True,
        "max_trial_quantity": 200,
        "trial_days": 45,
        "deposit_percent": 30,
        "credit_code": CODE,
        "verification_status": "pending",
        "tier": "standard",
        "status_reason": "",
        "verified_at": None,
        "verification_checks": [],
        "verification_expires_at": None,
        "verification_current": False,
        "metrics": METRICS_EMPTY,
        "video_url": "",
        "photos": [],
        "licence_uploaded": False,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None  # ISO 8601 with offset
    assert factory.owner == factory_user
    assert list(Event.objects.values_list("verb", "actor", "target_id")) == [
        ("factory.created", factory_user.id, factory.id)
    ]


def test_minimal_factory_gets_defaults(api, factory_user):
    body = {k: payload()[k] for k in ("name", "province", "city", "categories", "credit_code")}
    response = api.as_user(factory_user).post("/api/v1/factories/", body)
    assert response.status_code == 201
    data = response.json()
    assert (data["industrial_belt"], data["customization"], data["accepts_trials"]) == (None, "none", True)
    assert (data["max_trial_quantity"], data["trial_days"], data["established_year"]) == (100, 30, None)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"credit_code": "91350100M000100Y44"},
            {
                "credit_code": [
                    "The unified social credit code's check character is wrong; please check it for typos."
                ]
            },
        ),
        (
            {"credit_code": "91350100M000100Y4"},
            {"credit_code": ["A unified social credit code has 18 characters."]},
        ),
        (
            {"credit_code": "91350100M000100Y4O"},
            {"credit_code": ["The unified social credit code contains characters that are not allowed: O."]},
        ),
        (
            {"categories": ["tableware", "no-such", "nope"]},
            {"categories": ["Unknown category: no-such, nope."]},
        ),
        ({"categories": []}, {"categories": ["This list may not be empty."]}),
        ({"industrial_belt": "atlantis"}, {"industrial_belt": ["Unknown industrial belt: atlantis."]}),
        ({"customization": "full"}, {"customization": ['"full" is not a valid choice.']}),
        ({"trial_days": 3}, {"trial_days": ["Ensure this value is greater than or equal to 7."]}),
        (
            {"max_trial_quantity": 0},
            {"max_trial_quantity": ["Ensure this value is greater than or equal to 1."]},
        ),
        (
            {"established_year": 1850},
            {"established_year": ["Ensure this value is greater than or equal to 1900."]},
        ),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
    ],
)
def test_create_refuses_bad_input_and_creates_nothing(api, factory_user, overrides, errors):
    response = api.as_user(factory_user).post("/api/v1/factories/", payload(**overrides))
    assert response.status_code == 400
    assert response.json() == errors
    assert Factory.objects.count() == 0
    assert Event.objects.count() == 0


def test_missing_required_fields_are_all_named(api, factory_user):
    response = api.as_user(factory_user).post("/api/v1/factories/", {})
    assert response.status_code == 400
    assert response.json() == {
        f: ["This field is required."] for f in ("name", "province", "city", "categories", "credit_code")
    }


def test_one_factory_per_user(api):
    # given
    existing = makers.FactoryMaker()
    # when
    response = api.as_user(existing.owner).post("/api/v1/factories/", payload())
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "You have already registered a factory; edit it instead."}
    assert Factory.objects.count() == 1


def test_credit_code_can_be_registered_only_once(api, factory_user):
    # given
    makers.FactoryMaker(credit_code=CODE)
    # when: the same code, typed in lower case
    response = api.as_user(factory_user).post("/api/v1/factories/", payload(credit_code=CODE.lower()))
    # then
    assert response.status_code == 400
    assert response.json() == {
        "credit_code": ["A factory with this unified social credit code is already registered."]
    }
    assert Factory.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("buyer", 403, {"detail": "Only factory accounts can do this."}),
        ("staff", 403, {"detail": "Only factory accounts can do this."}),
    ],
)
def test_only_factory_users_register_factories(api, who, status, body):
    user = {"anonymous": None, "buyer": makers.UserMaker(), "staff": makers.StaffUserMaker()}[who]
    response = api.as_user(user).post("/api/v1/factories/", payload())
    assert response.status_code == status
    assert response.json() == body
    assert Factory.objects.count() == 0


# --- reading: only verified factories are public --------------------------------------------------


@pytest.fixture
def factories_by_status(db):
    return {s: makers.FactoryMaker(verification_status=s) for s in VerificationStatus.values}


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("anonymous", {"verified"}),
        ("buyer", {"verified"}),
        ("other_factory", {"verified"}),
        ("staff", {"pending", "verified", "rejected", "suspended"}),
    ],
)
def test_list_shows_only_verified_factories_except_to_staff(api, factories_by_status, who, visible):
    user = {
        "anonymous": lambda: None,
        "buyer": makers.UserMaker,
        "other_factory": lambda: makers.FactoryMaker(verification_status="pending").owner,
        "staff": makers.StaffUserMaker,
    }[who]()
    response = api.as_user(user).get("/api/v1/factories/?page_size=100")
    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    own = {f.id for f in Factory.objects.filter(owner=user)} if user else set()
    assert ids - own == {factories_by_status[s].id for s in visible}


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_owner_sees_own_unverified_factory_others_get_404(api, status):
    # given
    factory = makers.FactoryMaker(verification_status=status)
    url = f"/api/v1/factories/{factory.id}/"
    # then
    assert api.as_user(factory.owner).get(url).json()["verification_status"] == status
    assert api.as_user(makers.StaffUserMaker()).get(url).status_code == 200
    for stranger in (None, makers.UserMaker(), makers.FactoryMaker().owner):
        response = api.as_user(stranger).get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No Factory matches the given query."}


def test_verified_factory_is_public(api):
    factory = makers.FactoryMaker()
    response = api.as_user(None).get(f"/api/v1/factories/{factory.id}/")
    assert response.status_code == 200
    assert response.json()["id"] == factory.id


def test_list_filters(api):
    # given
    jdz = makers.FactoryMaker(province="江西", categories=["tableware"])
    makers.FactoryMaker(province="浙江", categories=["storage"])
    # when
    by_province = api.get("/api/v1/factories/?province=江西").json()
    by_category = api.get("/api/v1/factories/?category=tableware").json()
    # then
    assert [r["id"] for r in by_province["results"]] == [jdz.id]
    assert [r["id"] for r in by_category["results"]] == [jdz.id]


# --- editing ---------------------------------------------------------------------------------------


def test_owner_edits_profile_and_event_lists_changed_fields(api):
    # given
    factory = makers.FactoryMaker(categories=["storage"])
    # when
    response = api.as_user(factory.owner).patch(
        f"/api/v1/factories/{factory.id}/", {"staff_count": 80, "categories": ["storage", "cleaning"]}
    )
    # then
    assert response.status_code == 200
    assert (response.json()["staff_count"], response.json()["categories"]) == (80, ["storage", "cleaning"])
    factory.refresh_from_db()
    assert factory.staff_count == 80
    assert factory.verification_status == "verified"
    event = Event.objects.get()
    assert (event.verb, event.data) == ("factory.updated", {"fields": ["staff_count", "categories"]})


def test_patch_without_changes_records_nothing(api):
    factory = makers.FactoryMaker()
    response = api.as_user(factory.owner).patch(f"/api/v1/factories/{factory.id}/", {"name": factory.name})
    assert response.status_code == 200
    assert Event.objects.count() == 0


def test_rejected_factory_that_edits_goes_back_to_review(api):
    # given
    factory = makers.FactoryMaker(verification_status="rejected", status_reason="licence unreadable")
    # when
    response = api.as_user(factory.owner).patch(f"/api/v1/factories/{factory.id}/", {"description": "新执照"})
    # then
    assert response.status_code == 200
    assert (response.json()["verification_status"], response.json()["status_reason"]) == ("pending", "")
    assert list(Event.objects.order_by("id").values_list("verb", flat=True)) == [
        "factory.updated",
        "factory.resubmitted",
    ]


def test_verified_factory_cannot_swap_its_credit_code(api):
    # given
    factory = makers.FactoryMaker()
    old = factory.credit_code
    # when
    response = api.as_user(factory.owner).patch(f"/api/v1/factories/{factory.id}/", {"credit_code": CODE})
    # then
    assert response.status_code == 400
    assert response.json() == {
        "credit_code": ["Your factory is verified under this credit code; ask staff to change it."]
    }
    factory.refresh_from_db()
    assert factory.credit_code == old
    assert Event.objects.count() == 0


def test_staff_can_correct_a_credit_code(api, staff):
    factory = makers.FactoryMaker()
    response = api.as_user(staff).patch(f"/api/v1/factories/{factory.id}/", {"credit_code": CODE})
    assert response.status_code == 200
    assert response.json()["credit_code"] == CODE


def test_pending_factory_changes_credit_code_but_not_to_a_taken_one(api):
    # given
    factory = makers.FactoryMaker(verification_status="pending")
    taken = makers.FactoryMaker(credit_code=CODE)
    url = f"/api/v1/factories/{factory.id}/"
    # when
    response = api.as_user(factory.owner).patch(url, {"credit_code": taken.credit_code})
    # then
    assert response.status_code == 400
    assert response.json() == {
        "credit_code": ["A factory with this unified social credit code is already registered."]
    }
    fresh = makers.valid_credit_code()
    assert api.as_user(factory.owner).patch(url, {"credit_code": fresh}).json()["credit_code"] == fresh


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("buyer", 403, {"detail": "Only the owner can change this."}),
        ("other_factory", 403, {"detail": "Only the owner can change this."}),
    ],
)
def test_only_owner_or_staff_edit_a_verified_factory(api, who, status, body):
    factory = makers.FactoryMaker()
    user = {"anonymous": None, "buyer": makers.UserMaker(), "other_factory": makers.FactoryMaker().owner}[who]
    response = api.as_user(user).patch(f"/api/v1/factories/{factory.id}/", {"name": "抢注"})
    assert response.status_code == status
    assert response.json() == body
    factory.refresh_from_db()
    assert factory.name != "抢注"


def test_someone_elses_pending_factory_is_404_on_edit(api):
    factory = makers.FactoryMaker(verification_status="pending")
    response = api.as_user(makers.FactoryMaker().owner).patch(
        f"/api/v1/factories/{factory.id}/", {"name": "x"}
    )
    assert response.status_code == 404


def test_industrial_belts_are_listed_for_the_profile_form(api):
    response = api.get("/api/v1/industrial-belts/")
    assert response.status_code == 200
    by_slug = {belt["slug"]: belt for belt in response.json()}
    assert by_slug["jingdezhen-ceramics"] == {
        "slug": "jingdezhen-ceramics",
        "name": "景德镇陶瓷",
        "name_en": "Jingdezhen ceramics",
        "province": "江西",
        "city": "景德镇",
    }
    assert len(by_slug) == 22


def test_the_edit_service_itself_refuses_a_stranger():
    factory = makers.FactoryMaker()
    with pytest.raises(NotAllowed) as info:
        factory_update(factory=factory, actor=makers.FactoryMaker().owner, data={"name": "抢注"})
    assert info.value.message == "Only the owner can change this."
    assert Factory.objects.get(pk=factory.pk).name == factory.name

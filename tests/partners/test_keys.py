"""Organization keys (issue 12, point 2): shown once and stored hashed, acting only for the
organization's streamers, revoked and rotated, last use recorded without a write per request,
and a per-key rate limit. Every refusal also asserts that nothing was written."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.core.models import Event
from partners import services
from partners.models import PartnerKey
from tests import makers
from tests.conftest import REDIS_URL, Client
from trials.models import TrialOrder

from .conftest import make_key, member_join

pytestmark = pytest.mark.django_db


def _client(raw):
    client = Client()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_created_key_is_shown_once_and_only_its_hash_is_stored(api, organization, owner):
    # when
    response = api.as_user(owner).post(
        f"/api/v1/organizations/{organization.pk}/keys/",
        {"name": "ERP", "scopes": ["trials:write", "catalog:read"]},
    )
    # then
    assert response.status_code == 201
    body = response.json()
    key = PartnerKey.objects.get()
    assert body["key"].startswith(f"{key.prefix}.")
    assert body["scopes"] == ["catalog:read", "trials:write"]
    assert key.key_hash == PartnerKey.hash(body["key"])
    assert body["key"] not in str(list(PartnerKey.objects.values()))
    assert body["key"] not in str(list(Event.objects.values()))
    # listed afterwards without the secret
    listed = api.get(f"/api/v1/organizations/{organization.pk}/keys/").json()["results"]
    assert [sorted(k) for k in listed] == [
        sorted(
            [
                "id",
                "name",
                "prefix",
                "scopes",
                "rate_per_minute",
                "created_at",
                "last_used_at",
                "revoked_at",
                "expires_at",
                "replaced_by",
            ]
        )
    ]
    event = Event.objects.get(verb="partner_key.created")
    assert (event.actor, event.data["address"], event.data["before"]) == (owner, "127.0.0.1", None)
    assert event.data["after"]["scopes"] == ["catalog:read", "trials:write"]


def test_a_member_who_is_not_an_owner_cannot_issue_keys(api, organization, owner):
    # given
    member = makers.UserMaker()
    member_join(organization=organization, owner=owner, username=member.username, role="member")
    # when
    response = api.as_user(member).post(
        f"/api/v1/organizations/{organization.pk}/keys/", {"name": "x", "scopes": ["catalog:read"]}
    )
    # then
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only owners of the organization can do this."},
    )
    assert PartnerKey.objects.count() == 0
    assert not Event.objects.filter(verb="partner_key.created").exists()


def test_key_acts_for_a_streamer_of_its_organization(partner, streamer, product):
    # when
    response = partner.post("/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5})
    # then
    assert response.status_code == 201, response.json()
    trial = TrialOrder.objects.get()
    assert (trial.buyer, trial.quantity) == (streamer, 5)
    # and reads it back for that streamer with ?buyer=
    listed = partner.get("/api/v1/trials/", {"buyer": streamer.pk}).json()
    assert [t["id"] for t in listed["results"]] == [trial.pk]


def test_a_streamer_outside_the_organization_is_404_and_nothing_is_created(partner, outsider, product):
    # when
    created = partner.post("/api/v1/trials/", {"buyer": outsider.pk, "product": product.pk, "quantity": 5})
    listed = partner.get("/api/v1/trials/", {"buyer": outsider.pk})
    profile = partner.get(f"/api/v1/buyers/{outsider.pk}/", {"buyer": outsider.pk})
    # then
    assert (created.status_code, created.json()) == (
        404,
        {"detail": "No such streamer in this organization."},
    )
    assert (listed.status_code, profile.status_code) == (404, 404)
    assert TrialOrder.objects.count() == 0


def test_a_streamer_who_left_is_outside_at_once(partner, streamer, product):
    # given
    link = streamer.organization_links.get()
    services.link_end(link=link, actor=streamer.user)
    # when
    response = partner.post("/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5})
    # then
    assert response.status_code == 404
    assert TrialOrder.objects.count() == 0


def test_another_streamers_object_is_404_even_through_an_own_streamer(partner, streamer, product):
    # given: a trial of another streamer of the same organization
    other = makers.BuyerMaker()
    link = services.streamer_invite(
        organization_id=partner.key.organization_id, actor=partner.key.created_by, buyer_id=other.pk
    )
    services.link_accept(link=link, actor=other.user)
    trial_id = partner.post(
        "/api/v1/trials/", {"buyer": other.pk, "product": product.pk, "quantity": 5}
    ).json()["id"]
    # when: acting for `streamer`, touching `other`'s trial
    response = partner.post(f"/api/v1/trials/{trial_id}/cancel/", {"buyer": streamer.pk})
    # then
    assert response.status_code == 404
    assert TrialOrder.objects.get().status == "requested"


def test_an_operation_for_a_streamer_without_naming_one_is_400(partner, product):
    response = partner.post("/api/v1/trials/", {"product": product.pk, "quantity": 5})
    assert (response.status_code, response.json()) == (
        400,
        {"buyer": ["Name the streamer this request acts for: ?buyer=<id> or a buyer field."]},
    )
    assert TrialOrder.objects.count() == 0


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "９", "1" * 30])
def test_a_streamer_id_that_is_not_a_number_is_400(partner, value):
    response = partner.get("/api/v1/trials/", {"buyer": value})
    assert (response.status_code, response.json()) == (400, {"buyer": ["A streamer id is a whole number."]})


def test_query_and_body_naming_different_streamers_is_400(partner, streamer, outsider, product):
    response = partner.post(
        f"/api/v1/trials/?buyer={streamer.pk}", {"buyer": outsider.pk, "product": product.pk, "quantity": 5}
    )
    assert response.status_code == 400
    assert TrialOrder.objects.count() == 0


def test_catalogue_reads_need_no_streamer(partner, product):
    response = partner.get("/api/v1/products/")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [product.pk]


def test_partner_endpoint_says_what_the_key_is(partner, streamer, organization):
    response = partner.get("/api/v1/partner/")
    assert response.status_code == 200
    body = response.json()
    assert body["organization"] == {"id": organization.pk, "name": "星河 MCN"}
    assert body["streamers"] == [{"id": streamer.pk, "display_name": streamer.display_name}]
    assert body["key"]["prefix"] == partner.key.prefix


def test_revoked_key_is_401_and_does_nothing(api, organization, owner, streamer, product):
    # given
    key, raw = make_key(organization, owner)
    response = api.as_user(owner).post(f"/api/v1/organizations/{organization.pk}/keys/{key.pk}/revoke/")
    assert response.status_code == 200
    # when
    refused = _client(raw).post(
        "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
    )
    # then
    assert (refused.status_code, refused.json()) == (401, {"detail": "Invalid, revoked or expired API key."})
    assert TrialOrder.objects.count() == 0
    assert Event.objects.filter(verb="partner_key.revoked").count() == 1
    # revoking twice is a conflict, not a second row
    again = api.post(f"/api/v1/organizations/{organization.pk}/keys/{key.pk}/revoke/")
    assert (again.status_code, again.json()) == (409, {"detail": "This key is already revoked."})
    assert Event.objects.filter(verb="partner_key.revoked").count() == 1


def test_wrong_secret_with_a_real_prefix_is_401(organization, owner):
    _key, raw = make_key(organization, owner)
    response = _client(raw + "x").get("/api/v1/products/")
    assert response.status_code == 401


def test_rotated_key_works_for_the_grace_period_then_only_its_successor(api, organization, owner, settings):
    # given
    settings.PARTNER_KEY_ROTATION_GRACE = timedelta(hours=24)
    old, old_raw = make_key(organization, owner, scopes=["catalog:read"])
    now = timezone.now()
    # when
    with time_machine.travel(now, tick=False):
        response = api.as_user(owner).post(f"/api/v1/organizations/{organization.pk}/keys/{old.pk}/rotate/")
    # then
    assert response.status_code == 201
    new_raw = response.json()["key"]
    new = PartnerKey.objects.get(prefix=new_raw.split(".")[0])
    old.refresh_from_db()
    assert (old.replaced_by, new.scopes, new.name) == (new, ["catalog:read"], old.name)
    assert old.expires_at == now + timedelta(hours=24)
    assert _client(old_raw).get("/api/v1/products/").status_code == 200
    assert _client(new_raw).get("/api/v1/products/").status_code == 200
    with time_machine.travel(old.expires_at + timedelta(seconds=1)):
        assert _client(old_raw).get("/api/v1/products/").status_code == 401
        assert _client(new_raw).get("/api/v1/products/").status_code == 200
    # a rotated key is not rotated again: its successor is
    again = api.post(f"/api/v1/organizations/{organization.pk}/keys/{old.pk}/rotate/")
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "This key was already rotated: rotate its successor."},
    )
    assert PartnerKey.objects.count() == 2


def test_last_use_is_written_at_most_once_a_minute(organization, owner):
    # given
    key, raw = make_key(organization, owner)
    client = _client(raw)
    start = timezone.now()
    # when
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/categories/")
        with CaptureQueriesContext(connection) as second:
            client.get("/api/v1/categories/")
    # then
    key.refresh_from_db()
    assert key.last_used_at == start
    assert not any(q["sql"].startswith("UPDATE") for q in second.captured_queries)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/api/v1/categories/")
    key.refresh_from_db()
    assert key.last_used_at == start + timedelta(seconds=61)


def test_rate_limit_is_429_with_retry_after_and_the_write_does_not_happen(
    organization, owner, streamer, product
):
    # given
    _key, raw = make_key(organization, owner, rate_per_minute=3)
    client = _client(raw)
    start = timezone.now().replace(second=10, microsecond=0)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert client.get("/api/v1/categories/").status_code == 200
        # when
        response = client.post(
            "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
        )
    # then
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert response.json() == {"detail": "Too many requests with this API key. Try again in 50 seconds."}
    assert TrialOrder.objects.count() == 0
    # the next minute is a new window
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        assert client.get("/api/v1/categories/").status_code == 200


def test_rate_limit_is_shared_across_processes_through_redis(organization, owner, settings):
    # given: the cache is Redis, as in production (CACHE_URL)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yt",
        }
    }
    key, raw = make_key(organization, owner, rate_per_minute=5)
    cache.delete_many([f"partner-key-rate:{key.pk}:{w}" for w in _windows()])  # an earlier run's count
    # when: another process spends the whole minute's budget of this key
    script = (
        "import django; django.setup(); from partners.ratelimit import rate_limit_hit; "
        f"print([rate_limit_hit(key_id={key.pk}, per_minute=5) for _ in range(5)])"
    )
    env = {**os.environ, "CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "marketplace.settings"}
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert out.stdout.strip() == "[None, None, None, None, None]", out.stderr
    # then: this process sees the budget spent (unless the minute turned in between: then a fresh one)
    response = _client(raw).get("/api/v1/categories/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def _windows():
    now = int(time.time()) // 60 * 60
    return [now - 60, now, now + 60]

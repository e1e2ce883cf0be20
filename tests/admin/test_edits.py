"""Edits made in change forms go through the services (which record an event), not raw saves."""

import pytest

from buyers.models import BuyerProfile
from factories.models import Category, Factory
from marketplace.core.models import Event
from tests.makers import BuyerMaker, FactoryMaker, category

from .helpers import change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db


def test_factory_profile_edit_goes_through_factory_update(staff_client, staff):
    # given
    factory = FactoryMaker(categories=["home"])
    page = staff_client.get(change_url(factory))

    # when
    response = staff_client.post(
        change_url(factory),
        form_data(page, city="义乌", categories=[category("home").pk, category("beauty").pk]),
    )

    # then
    assert response.status_code == 302
    factory.refresh_from_db()
    assert factory.city == "义乌"
    assert set(factory.categories.values_list("slug", flat=True)) == {"home", "beauty"}
    event = Event.objects.get(verb="factory.updated")
    assert (event.actor, event.target, sorted(event.data["fields"])) == (
        staff,
        factory,
        ["categories", "city"],
    )


def test_posting_a_status_field_changes_nothing(staff_client):
    # given
    factory = FactoryMaker(verification_status="pending")
    page = staff_client.get(change_url(factory))

    # when: a hand-made POST tries to set the read-only status
    response = staff_client.post(
        change_url(factory), form_data(page, verification_status="verified", tier="super")
    )

    # then
    assert response.status_code == 302
    factory.refresh_from_db()
    assert (factory.verification_status, factory.tier) == ("pending", "standard")
    assert not Event.objects.filter(target_id=factory.pk, verb__startswith="factory.").exists()


def test_buyer_profile_and_channels_edit_goes_through_buyer_update(staff_client, staff):
    # given
    profile = BuyerMaker()
    page = staff_client.get(change_url(profile))

    # when: change the price band and the follower count of the existing channel
    response = staff_client.post(
        change_url(profile), form_data(page, price_max="120.00", **{"channels-0-followers": "150000"})
    )

    # then
    assert response.status_code == 302
    profile = BuyerProfile.objects.get(pk=profile.pk)
    assert str(profile.price_max) == "120.00"
    assert list(profile.channels.values_list("platform", "followers")) == [("douyin", 150000)]
    event = Event.objects.get(verb="buyer.updated")
    # a staff edit carries the client address, as every staff action does
    assert (event.actor, event.data) == (staff, {"fields": ["price_max", "channels"], "address": "127.0.0.1"})


def test_categories_are_listed_as_a_tree(staff_client):
    # when
    response = staff_client.get(changelist_url(Category))

    # then: every sub-category comes after its parent and before the next top-level category
    rows = list(response.context["cl"].result_list)
    assert len(rows) == Category.objects.count()
    current_top = None
    for row in rows:
        if row.parent_id is None:
            current_top = row.pk
        else:
            assert row.parent_id == current_top, row.slug
    assert "\u3000└ " in response.content.decode()


def test_factory_cannot_be_added_by_staff(staff_client):
    # when
    response = staff_client.get(changelist_url(Factory).replace("/factory/", "/factory/add/"))

    # then: factories register themselves; staff review them
    assert response.status_code == 403

"""Users and API keys in the admin."""

import re

import pytest

from marketplace.accounts.models import ApiKey, Role, User
from marketplace.core.models import Event
from tests.makers import UserMaker

from .helpers import change_url, changelist_url, shown_messages

pytestmark = pytest.mark.django_db


def test_create_api_key_shows_the_raw_key_once_and_stores_only_its_hash(staff_client, staff):
    # given
    owner = UserMaker()
    add_url = changelist_url(ApiKey).replace("/apikey/", "/apikey/add/")

    # when
    response = staff_client.post(
        add_url, {"user": owner.pk, "name": "达人管理系统", "read_only": "on", "_save": "Save"}, follow=True
    )

    # then
    key = ApiKey.objects.get()
    (warning, added) = shown_messages(response)
    match = re.fullmatch(r"Copy this API key now; it will not be shown again: (\S+)", warning)
    assert match is not None
    raw = match.group(1)
    assert raw.startswith(f"{key.prefix}.")
    assert (key.user, key.name, key.read_only) == (owner, "达人管理系统", True)
    assert key.key_hash == ApiKey.hash(raw)
    assert raw not in str(list(ApiKey.objects.values()))
    assert added == (f'The API key “<a href="{change_url(key)}">{key}</a>” was added successfully.')
    event = Event.objects.get(verb="api_key.created")
    assert event.target == key
    assert event.actor == staff
    # and it is never shown again
    assert raw not in staff_client.get(change_url(key)).content.decode()


def test_user_role_is_listed_and_filterable(staff_client):
    # given
    factory_owner = UserMaker(role=Role.FACTORY)
    UserMaker(role=Role.BUYER)

    # when
    response = staff_client.get(changelist_url(User), {"role__exact": "factory"})

    # then
    assert response.status_code == 200
    assert [u.pk for u in response.context["cl"].result_list] == [factory_owner.pk]


def test_staff_can_create_a_user_with_a_role(staff_client):
    # given
    add_url = changelist_url(User).replace("/user/", "/user/add/")

    # when
    response = staff_client.post(
        add_url,
        {
            "username": "ops-lily",
            "email": "lily@example.com",
            "role": "staff",
            "password1": "Kz8!river-lantern",
            "password2": "Kz8!river-lantern",
            "_save": "Save",
        },
    )

    # then
    assert response.status_code == 302
    user = User.objects.get(username="ops-lily")
    assert (user.role, user.email) == (Role.STAFF, "lily@example.com")

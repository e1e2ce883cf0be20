"""The audit log in the admin (issue 12, point 6): staff actions are filterable as such, each row shows
the address it came from, and the admin refuses to add, edit or delete a row (nothing changes)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from factories.models import Factory, VerificationStatus
from marketplace.core.models import Event
from tests.makers import FactoryMaker

from .helpers import run_action

pytestmark = pytest.mark.django_db

LIST = "/admin/core/event/"


@pytest.fixture
def staff_event(staff_client):
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)
    run_action(staff_client, Factory, "reject", [factory], reason="执照过期", address="198.51.100.7")
    return Event.objects.get(verb="factory.rejected")


def test_staff_actions_are_filterable_and_show_their_address(staff_client, staff_event):
    # given: an event someone else caused (a factory registering itself)
    FactoryMaker()
    owner_event = Event.objects.create(
        actor=FactoryMaker().owner, verb="factory.created", target_type=staff_event.target_type, target_id=1
    )

    # when
    staff_only = staff_client.get(LIST, {"by": "staff"})
    others = staff_client.get(LIST, {"by": "others"})
    by_address = staff_client.get(LIST, {"q": "198.51.100.7"})

    # then
    assert [e.pk for e in staff_only.context["cl"].result_list] == [staff_event.pk]
    assert owner_event.pk in [e.pk for e in others.context["cl"].result_list]
    assert staff_event.pk not in [e.pk for e in others.context["cl"].result_list]
    assert [e.pk for e in by_address.context["cl"].result_list] == [staff_event.pk]
    assert "198.51.100.7" in staff_only.content.decode()


def test_changelist_takes_a_fixed_number_of_queries(staff_client, staff_event, django_assert_max_num_queries):
    # given: more rows by other staff on other factories
    for _ in range(5):
        factory = FactoryMaker(verification_status=VerificationStatus.PENDING)
        run_action(staff_client, Factory, "reject", [factory], reason="x")
    # when / then: the same queries for 6 rows as for 1 (actor and type are joined, not fetched per row)
    with django_assert_max_num_queries(12):
        response = staff_client.get(LIST)
    assert len(response.context["cl"].result_list) == 6


def test_the_admin_refuses_to_edit_or_delete_a_row(staff_client, staff_event):
    # given
    before = Event.objects.values().get(pk=staff_event.pk)
    change = reverse("admin:core_event_change", args=[staff_event.pk])
    delete = reverse("admin:core_event_delete", args=[staff_event.pk])

    # when
    edited = staff_client.post(change, {"verb": "factory.verified", "data": "{}"})
    deleted = staff_client.post(delete, {"post": "yes"})
    bulk = staff_client.post(
        LIST, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [staff_event.pk], "post": "yes"}
    )
    added = staff_client.post(reverse("admin:core_event_add"), {"verb": "x", "target_id": 1})

    # then: refused, and the row is exactly as it was
    assert (edited.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    assert staff_client.get(LIST).context["action_form"] is None  # no bulk action, delete included
    assert bulk.status_code == 200  # the list again: there is no such action here
    assert Event.objects.values().get(pk=staff_event.pk) == before
    assert Event.objects.count() == 1

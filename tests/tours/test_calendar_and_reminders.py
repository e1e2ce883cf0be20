"""The confirmation e-mail's calendar file, parsed back, and the reminder 30 minutes before."""

from datetime import timedelta

import pytest
from django.core import mail

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tours.services import bookings
from tours.tasks import tours_send_reminders

from .conftest import MEETING, MONDAY, at

pytestmark = pytest.mark.django_db


def _unfold(text: str) -> dict[str, str]:
    lines = text.replace("\r\n ", "").split("\r\n")
    return dict(line.split(":", 1) for line in lines if line)


def _confirmed(factory, buyer, product, django_capture_on_commit_callbacks):
    booking = bookings.tour_book(
        actor=buyer.user,
        factory_id=factory.pk,
        starts_at=at(MONDAY, 14),
        product_ids=[product.pk],
        agenda="看注塑车间, 包装线; 还有样品间",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return bookings.tour_confirm(booking=booking, actor=factory.owner)


def test_both_sides_get_the_call_as_a_calendar_file(
    factory, product, buyer, availability, django_capture_on_commit_callbacks
):
    # when
    booking = _confirmed(factory, buyer, product, django_capture_on_commit_callbacks)
    # then one e-mail each, both with the same calendar entry (the request's e-mail is relayed too)
    confirmed = [m for m in mail.outbox if ":confirmed:" in m.extra_headers["X-Yuantou-Notification"]]
    assert sorted(m.to[0] for m in confirmed) == sorted([buyer.user.email, factory.owner.email])
    assert [m.attachments for m in mail.outbox if m not in confirmed] == [[]]
    parsed = []
    for message in confirmed:
        ((name, content, mimetype),) = message.attachments
        assert name == f"tour-{booking.pk}.ics"
        assert mimetype.startswith("text/calendar")
        assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
        parsed.append(_unfold(content))
    first, second = parsed
    assert first["UID"] == second["UID"] == f"tour-{booking.pk}@yuantou"
    # 14:00 in Shanghai is 06:00 UTC
    assert (first["DTSTART"], first["DTEND"]) == ("20270301T060000Z", "20270301T063000Z")
    assert first["URL"] == MEETING
    assert first["SUMMARY"] == f"视频看厂 Factory tour: {factory.name} × {buyer.display_name}"
    assert first["DESCRIPTION"] == f"看注塑车间\\, 包装线\\; 还有样品间\\n{product.title}\\n{MEETING}"
    assert first["STATUS"] == "CONFIRMED"
    assert content.startswith("BEGIN:VCALENDAR\r\n") and content.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_cancelling_a_confirmed_call_removes_it_from_both_calendars(
    factory, product, buyer, other_buyer, availability, django_capture_on_commit_callbacks
):
    # given: a confirmed call (in both calendars) and a request never confirmed (in none)
    booking = _confirmed(factory, buyer, product, django_capture_on_commit_callbacks)
    (published,) = {
        _unfold(m.attachments[0][1])["UID"]: _unfold(m.attachments[0][1])
        for m in mail.outbox
        if ":confirmed:" in m.extra_headers["X-Yuantou-Notification"]
    }.values()
    unconfirmed = bookings.tour_book(
        actor=other_buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 15), product_ids=[]
    )
    mail.outbox.clear()
    # when: both are cancelled
    with django_capture_on_commit_callbacks(execute=True):
        bookings.tour_cancel(booking=booking, actor=factory.owner, reason="停电检修")
        bookings.tour_cancel(booking=unconfirmed, actor=other_buyer.user, reason="改期")
    # then: the confirmed call's two e-mails cancel the same calendar entry, at a higher sequence
    cancelled = {
        m.to[0]: m for m in mail.outbox if f"tour:{booking.pk}:" in m.extra_headers["X-Yuantou-Notification"]
    }
    assert sorted(cancelled) == sorted([buyer.user.email, factory.owner.email])
    for message in cancelled.values():
        ((name, content, mimetype),) = message.attachments
        assert (name, mimetype) == (
            f"tour-{booking.pk}-cancelled.ics",
            "text/calendar; charset=utf-8; method=CANCEL",
        )
        entry = _unfold(content)
        assert (entry["METHOD"], entry["STATUS"]) == ("CANCEL", "CANCELLED")
        assert (entry["UID"], entry["DTSTART"]) == (published["UID"], published["DTSTART"])
        assert (int(published["SEQUENCE"]), int(entry["SEQUENCE"])) == (0, 1)
    # and the request nobody confirmed was never in a calendar: its e-mails carry no file
    others = [
        m for m in mail.outbox if f"tour:{unconfirmed.pk}:" in m.extra_headers["X-Yuantou-Notification"]
    ]
    assert others and all(m.attachments == [] for m in others)


def test_reminder_is_sent_once_thirty_minutes_before(
    factory, product, buyer, availability, clock, django_capture_on_commit_callbacks
):
    booking = _confirmed(factory, buyer, product, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # 31 minutes before: not yet
    clock.move_to(at(MONDAY, 14) - timedelta(minutes=31))
    assert tours_send_reminders() == 0
    # 30 minutes before: sent, and a second beat run sends nothing
    clock.move_to(at(MONDAY, 14) - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert tours_send_reminders() == 1
        assert tours_send_reminders() == 0
    booking.refresh_from_db()
    assert booking.reminded_at == at(MONDAY, 13, 30)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([buyer.user.email, factory.owner.email])
    assert Notification.objects.filter(kind="tour.reminded").count() == 2
    assert Event.objects.filter(verb="tour.reminded").count() == 1


def test_no_reminder_for_a_cancelled_or_unconfirmed_call(
    factory, buyer, other_buyer, product, availability, clock
):
    cancelled = bookings.tour_book(
        actor=buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 14), product_ids=[]
    )
    bookings.tour_cancel(booking=cancelled, actor=buyer.user, reason="改期")
    bookings.tour_book(
        actor=other_buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 14), product_ids=[]
    )
    clock.move_to(at(MONDAY, 13, 45))
    assert tours_send_reminders() == 0
    assert Notification.objects.filter(kind="tour.reminded").count() == 0

from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models.signals import post_save, pre_save

from marketplace.core.models import OutboxMessage
from marketplace.notifications import services
from marketplace.notifications.models import Notification
from marketplace.notifications.tasks import notification_email_send
from tests import makers

DATA = {"ref": "T000042", "title": "补水睡眠面膜", "factory": "测试工厂", "total": "¥43.26"}


def _notify(user, key="trial:42:accept"):
    return services.notification_create(recipient=user, kind="trial.accepted", key=key, data=DATA)


def test_an_event_notifies_once(db, django_capture_on_commit_callbacks):
    # given
    user = makers.UserMaker()
    # when: the same event is notified twice (a retried service call)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _notify(user)
        second = _notify(user)
    # then
    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_a_notice_is_one_insert_and_a_repeat_writes_nothing(db, django_assert_num_queries):
    # given
    user = makers.UserMaker()
    with django_assert_num_queries(2):  # the notice (INSERT … ON CONFLICT) and its outbox row
        first = _notify(user)
    # when: the same event again, saying something else
    with django_assert_num_queries(1):
        second = services.notification_create(
            recipient=user, kind="trial.declined", key="trial:42:accept", data={}
        )
    # then: the first stays as it was written, with the one e-mail it owes
    assert second is None
    stored = Notification.objects.get(recipient=user)
    assert (stored.pk, stored.kind, stored.key, stored.data, stored.created_at) == (
        first.pk,
        "trial.accepted",
        "trial:42:accept",
        DATA,
        first.created_at,
    )
    assert (stored.read_at, stored.emailed_at, stored.email_attempts) == (None, None, 0)
    assert [m.payload for m in OutboxMessage.objects.all()] == [{"notification_id": first.pk}]
    # and nothing listens for a notice's saves, which this INSERT does not signal
    assert not pre_save.has_listeners(Notification) and not post_save.has_listeners(Notification)


def test_the_email_task_reads_the_notice_its_recipient_and_settings_at_once(db, django_assert_num_queries):
    # given: a recipient with settings
    user = makers.UserMaker(email="li@example.com")
    services.notification_settings_set(user=user, language="en")
    notification = Notification.objects.create(recipient=user, kind="trial.accepted", key="k", data=DATA)
    # when: two savepoints and their releases, the row with its recipient and settings, the stamp
    with django_assert_num_queries(6):
        sent = notification_email_send(notification.pk)
    # then: the settings read with the row were honoured
    assert sent is True
    (message,) = mail.outbox
    assert (message.to, message.extra_headers["Content-Language"]) == (["li@example.com"], "en")


def test_email_is_sent_only_after_commit(db, django_capture_on_commit_callbacks):
    user = makers.UserMaker()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(user)
    assert mail.outbox == []  # nothing before the commit
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_email_in_the_users_language(db, django_capture_on_commit_callbacks):
    # given
    user = makers.UserMaker(email="zhang@example.com")
    services.notification_settings_set(user=user, language="en")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(user)
    # then
    (message,) = mail.outbox
    assert message.to == ["zhang@example.com"]
    assert message.subject == "Trial accepted: 补水睡眠面膜"
    assert message.body == "测试工厂 accepted your trial T000042. Pay ¥43.26 to start it."
    assert message.extra_headers["Content-Language"] == "en"
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email_attempts == 1


def test_default_language_is_chinese(db, django_capture_on_commit_callbacks):
    user = makers.UserMaker()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user)
    assert mail.outbox[0].extra_headers["Content-Language"] == "zh-hans"


def test_delivering_twice_sends_one_email(db):
    # given: acks_late means a task may run again after a worker dies
    user = makers.UserMaker()
    notification = Notification.objects.create(recipient=user, kind="trial.accepted", key="k", data=DATA)
    # when
    results = [notification_email_send(notification.pk), notification_email_send(notification.pk)]
    # then
    assert results == [True, False]
    assert len(mail.outbox) == 1


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("relay down")


def test_failed_send_leaves_it_unsent_for_a_retry(db, settings):
    # given
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    user = makers.UserMaker()
    notification = Notification.objects.create(recipient=user, kind="trial.accepted", key="k", data=DATA)
    # when
    with pytest.raises(SMTPException):
        services.notification_email(notification_id=notification.pk)
    # then
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_attempts) == (None, 0)
    # and the task retries such failures with exponential backoff
    assert notification_email_send.autoretry_for == (SMTPException, OSError)
    assert notification_email_send.retry_backoff is True
    assert notification_email_send.max_retries == 8


def test_no_email_address_or_email_off_sends_nothing(db):
    silent = makers.UserMaker(email="")
    opted_out = makers.UserMaker()
    services.notification_settings_set(user=opted_out, email_enabled=False)
    for user in (silent, opted_out):
        n = Notification.objects.create(recipient=user, kind="trial.accepted", key="k", data=DATA)
        assert notification_email_send(n.pk) is False
        n.refresh_from_db()
        assert n.emailed_at is not None
    assert mail.outbox == []


def test_inbox_lists_my_notifications_in_my_language(api, db):
    # given
    me, someone = makers.UserMaker(), makers.UserMaker()
    mine = Notification.objects.create(recipient=me, kind="trial.accepted", key="a", data=DATA)
    Notification.objects.create(recipient=someone, kind="trial.accepted", key="a", data=DATA)
    # when
    body = api.as_user(me).get("/api/v1/notifications/").json()
    # then
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["id"] == mine.pk
    assert (item["kind"], item["title"], item["read"]) == (
        "trial.accepted",
        "Trial accepted: 补水睡眠面膜",
        False,
    )
    assert item["body"] == "测试工厂 accepted your trial T000042. Pay ¥43.26 to start it."


def test_mark_read(api, db):
    # given
    me = makers.UserMaker()
    n = Notification.objects.create(recipient=me, kind="trial.accepted", key="a", data=DATA)
    # when
    response = api.as_user(me).post(f"/api/v1/notifications/{n.pk}/read/")
    # then
    assert response.status_code == 200
    assert response.json()["read"] is True
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    # reading again keeps the first read time
    first = Notification.objects.get(pk=n.pk).read_at
    api.post(f"/api/v1/notifications/{n.pk}/read/")
    assert Notification.objects.get(pk=n.pk).read_at == first


def test_someone_elses_notification_is_not_found(api, db):
    n = Notification.objects.create(recipient=makers.UserMaker(), kind="trial.accepted", key="a", data=DATA)
    response = api.as_user(makers.UserMaker()).post(f"/api/v1/notifications/{n.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_inbox_needs_sign_in(api, db):
    assert api.get("/api/v1/notifications/").status_code == 401


def test_unknown_kind_still_renders(db):
    from marketplace.notifications.messages import render

    assert render("trial.something_new", {"ref": "T1", "title": "x"}) == (
        "Update: x",
        "T1: trial.something_new",
    )


def test_inbox_query_count_does_not_grow(api, db, django_assert_max_num_queries):
    me = makers.UserMaker()
    for i in range(10):
        Notification.objects.create(recipient=me, kind="trial.accepted", key=f"k{i}", data=DATA)
    client = api.as_user(me)
    with django_assert_max_num_queries(3):  # token auth, count, page
        assert client.get("/api/v1/notifications/").json()["count"] == 10


def test_two_apps_claiming_one_kind_is_refused_at_start_up():
    from django.core.exceptions import ImproperlyConfigured

    from marketplace.notifications.messages import MESSAGES, notification_texts_register

    before = dict(MESSAGES)
    # the same texts again (a second ready()) are accepted; different texts for a kind are not
    notification_texts_register({"trial.paid": MESSAGES["trial.paid"]})
    with pytest.raises(ImproperlyConfigured, match=r"\['trial.paid'\]"):
        notification_texts_register({"trial.paid": ("x", "y"), "new.kind": ("a", "b")})
    assert before == MESSAGES  # nothing of the refused set was added

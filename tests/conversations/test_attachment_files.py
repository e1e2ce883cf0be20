"""An attachment's file is written only once the message is committed: a rolled-back post, whoever's
transaction it is, leaves no file in storage (real commits: transactional test)."""

import os

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from conversations import services
from conversations.attachments import attachment_check
from conversations.models import Attachment, Message

from .conftest import PDF, pdf


def _stored_files() -> list[str]:
    root = os.path.join(settings.PRIVATE_MEDIA_ROOT, "conversations")
    return sorted(
        os.path.relpath(os.path.join(d, f), settings.PRIVATE_MEDIA_ROOT)
        for d, _, fs in os.walk(root)
        for f in fs
    )


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_post_leaves_no_file_and_a_committed_one_has_its_file(buyer, factory, conversation):
    # when: the caller's transaction fails after the post (as an idempotent request's can)
    with pytest.raises(Boom), transaction.atomic():
        services.message_post(
            conversation=conversation, actor=buyer.user, body="报价单", attachment=attachment_check(pdf())
        )
        raise Boom
    # then
    assert (Message.objects.count(), Attachment.objects.count()) == (0, 0)
    assert _stored_files() == []
    # when: committed
    message = services.message_post(
        conversation=conversation, actor=buyer.user, body="报价单", attachment=attachment_check(pdf())
    )
    # then: exactly its file, with the content
    (attachment,) = message.attachments.all()
    assert _stored_files() == [attachment.file.name]
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.django_db(transaction=True)
def test_a_file_that_cannot_be_written_after_commit_still_answers_201_and_serves_404(
    api, buyer, conversation, monkeypatch
):
    # given: storage fails (a full disk) — after the message has committed
    def disk_full(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    # when
    response = api.as_user(buyer.user).post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"body": "报价单", "attachment": pdf()},
        format="multipart",
    )
    # then: the client is told it was sent (it was); the missing file answers 404, never a 500
    assert response.status_code == 201, response.content
    (shown,) = response.json()["attachments"]
    assert Message.objects.count() == 1 and Attachment.objects.count() == 1
    assert _stored_files() == []
    served = api.as_user(buyer.user).get(shown["url"])
    assert served.status_code == 404

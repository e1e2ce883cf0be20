"""/api/v1/conversations/…: start, list with unread counts, messages, read markers, attachments,
contact details behind agreement; a third party gets 404 for all of it; refusals in the JSON shape."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Attachment, ContactCard, Conversation, Message
from marketplace.notifications.models import Notification
from tests import makers

from .conftest import PDF, pdf, png


def _post_message(api, user, conversation, **data):
    fmt = "multipart" if "attachment" in data else "json"
    return api.as_user(user).post(f"/api/v1/conversations/{conversation.pk}/messages/", data, format=fmt)


def test_start_list_write_read(api, buyer, factory):
    # when: the streamer starts it, twice
    response = api.as_user(buyer.user).post("/api/v1/conversations/", {"factory": factory.pk}, format="json")
    again = api.as_user(buyer.user).post("/api/v1/conversations/", {"factory": factory.pk}, format="json")
    # then
    assert response.status_code == 201
    assert (again.status_code, again.json()["id"]) == (200, response.json()["id"])
    pk = response.json()["id"]
    conversation = Conversation.objects.get(pk=pk)
    assert response.json() == {
        "id": pk,
        "buyer": buyer.pk,
        "buyer_name": buyer.display_name,
        "factory": factory.pk,
        "factory_name": factory.name,
        "side": "buyer",
        "unread": 0,
        "preview": "",
        "created_at": response.json()["created_at"],
        "last_message_at": None,
    }
    # when: the factory writes twice
    first = _post_message(api, factory.owner, conversation, body="您好,欢迎看厂")
    _post_message(api, factory.owner, conversation, body="第二条")
    # then
    assert first.status_code == 201
    assert first.json() == {
        "id": first.json()["id"],
        "side": "factory",
        "author": factory.name,
        "body": "您好,欢迎看厂",
        "topic": None,
        "attachments": [],
        "created_at": first.json()["created_at"],
    }
    listed = api.as_user(buyer.user).get("/api/v1/conversations/").json()
    assert [(c["id"], c["unread"], c["preview"]) for c in listed["results"]] == [(pk, 2, "第二条")]
    assert api.as_user(buyer.user).get("/api/v1/conversations/unread/").json() == {"unread": 2}
    assert api.as_user(factory.owner).get("/api/v1/conversations/unread/").json() == {"unread": 0}
    page = api.as_user(buyer.user).get(f"/api/v1/conversations/{pk}/messages/").json()
    assert [m["body"] for m in page["results"]] == ["第二条", "您好,欢迎看厂"]  # newest first
    # when
    read = api.as_user(buyer.user).post(f"/api/v1/conversations/{pk}/read/")
    # then
    assert read.json() == {"read_upto": Message.objects.latest("id").pk, "unread": 0}
    assert api.as_user(buyer.user).get("/api/v1/conversations/?unread=1").json()["count"] == 0


def test_a_factory_starts_with_a_streamer(api, buyer, factory):
    response = api.as_user(factory.owner).post("/api/v1/conversations/", {"buyer": buyer.pk}, format="json")
    assert (response.status_code, response.json()["side"]) == (201, "factory")
    missing = api.as_user(factory.owner).post("/api/v1/conversations/", {"buyer": 999999}, format="json")
    assert (missing.status_code, missing.json()) == (400, {"buyer": ["No such streamer."]})


def test_a_third_party_gets_404_everywhere(
    api, buyer, factory, conversation, outsider_buyer, outsider_factory, staff
):
    # given
    message = _post_message(api, buyer.user, conversation, body="看附件", attachment=png()).json()
    attachment_id = message["attachments"][0]["id"]
    base = f"/api/v1/conversations/{conversation.pk}"
    reads = [f"{base}/", f"{base}/messages/", f"{base}/attachments/{attachment_id}/"]
    for outsider in (outsider_buyer.user, outsider_factory.owner, staff):
        client = api.as_user(outsider)
        # when / then
        for url in reads:
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(f"{base}/messages/", {"body": "hi"}, format="json").status_code == 404
        assert client.post(f"{base}/read/").status_code == 404
        assert client.get("/api/v1/conversations/").json()["count"] == 0
    assert Message.objects.count() == 1
    assert api.as_user(None).get(f"{base}/").status_code == 401


def test_image_and_pdf_attachments_are_served_to_both_sides(
    api, buyer, factory, conversation, django_capture_on_commit_callbacks
):
    # when (files are written once the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        image = _post_message(api, buyer.user, conversation, body="", attachment=png(64, 48))
        document = _post_message(api, factory.owner, conversation, body="报价单", attachment=pdf())
    # then
    assert image.status_code == 201, image.json()
    (shown,) = image.json()["attachments"]
    assert {k: shown[k] for k in ("kind", "name", "content_type", "width", "height")} == {
        "kind": "image",
        "name": "样品.png",
        "content_type": "image/png",
        "width": 64,
        "height": 48,
    }
    (doc,) = document.json()["attachments"]
    assert (doc["kind"], doc["content_type"], doc["size"]) == ("pdf", "application/pdf", len(PDF))
    for user in (buyer.user, factory.owner):
        response = api.as_user(user).get(doc["url"])
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
    # the file is stored under a random name outside the public media folder
    stored = Attachment.objects.get(pk=doc["id"]).file.name
    assert stored.startswith("conversations/") and stored.endswith(".pdf") and "报价单" not in stored


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            ("notes.txt", b"hello, just text", "text/plain"),
            "Attach a JPEG, PNG or WebP image or a PDF file; other files are refused.",
        ),
        (
            ("cut.png", png(64, 48).read()[:80], "image/png"),
            "The image file is damaged or incomplete; export it again and upload the new file.",
        ),
        (
            ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
            "Attach a JPEG, PNG or WebP image or a PDF file; other files are refused.",
        ),
        (
            ("page.html", b"<html><script>alert(1)</script></html>", "application/pdf"),
            "Attach a JPEG, PNG or WebP image or a PDF file; other files are refused.",
        ),
        (
            ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
            "Attach a JPEG, PNG or WebP image or a PDF file; other files are refused.",
        ),
    ],
)
def test_other_files_are_refused_in_the_json_shape(api, buyer, conversation, upload, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    name, content, content_type = upload
    response = _post_message(
        api, buyer.user, conversation, body="看看", attachment=SimpleUploadedFile(name, content, content_type)
    )
    assert (response.status_code, response.json()) == (400, {"attachment": [message]})
    assert Message.objects.count() == 0
    assert Notification.objects.count() == 0


def test_size_and_pixel_limits(api, buyer, conversation, settings):
    settings.CONVERSATION_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = pdf(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    response = _post_message(api, buyer.user, conversation, attachment=big)
    assert (response.status_code, response.json()) == (
        400,
        {"attachment": ["The file is larger than 1 MB; attach at most 1 MB."]},
    )
    settings.IMAGE_MAX_PIXELS = 1_000_000
    response = _post_message(api, buyer.user, conversation, attachment=png(1200, 1000))
    assert (response.status_code, response.json()) == (
        400,
        {
            "attachment": [
                "The image is 1200×1000 pixels (1.2 megapixels); the limit is 1 megapixels. Resize it and upload again."
            ]
        },
    )
    assert Message.objects.count() == 0


def test_too_many_messages_is_429_in_the_json_shape_and_writes_nothing(
    api, buyer, factory, conversation, settings
):
    # given
    settings.CONVERSATION_MESSAGES_PER_MINUTE = 2
    for n in range(2):
        assert _post_message(api, buyer.user, conversation, body=f"第{n}条").status_code == 201
    api.as_user(factory.owner).post(f"/api/v1/conversations/{conversation.pk}/read/")
    notified = Notification.objects.count()
    # when
    response = _post_message(api, buyer.user, conversation, body="第三条")
    # then
    assert response.status_code == 429
    assert response.json() == {"detail": response.json()["detail"]}
    assert response.json()["detail"].startswith("You are sending messages too fast; wait ")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert list(Message.objects.values_list("body", flat=True)) == ["第0条", "第1条"]
    assert Notification.objects.count() == notified


def test_bodies_are_bounded_in_the_json_shape(api, buyer, conversation):
    response = _post_message(api, buyer.user, conversation, body="x" * 4001)
    assert (response.status_code, response.json()) == (
        400,
        {"body": ["Ensure this field has no more than 4000 characters."]},
    )
    response = _post_message(api, buyer.user, conversation, body="a\x1bb")
    assert (response.status_code, response.json()) == (
        400,
        {"body": ["The message contains control characters; remove them and send again."]},
    )
    assert Message.objects.count() == 0


def test_contact_details_only_once_both_sides_agreed(api, buyer, factory, conversation):
    from tests.trials.conftest import trial_at

    # given: both sides entered contact details
    api.as_user(factory.owner).put(
        "/api/v1/conversations/contact-card/",
        {"name": "王厂长", "phone": "13900001111", "wechat": "wang-mask"},
        format="json",
    )
    api.as_user(buyer.user).put("/api/v1/conversations/contact-card/", {"wechat": "lu-live"}, format="json")
    url = f"/api/v1/conversations/{conversation.pk}/"
    # then: a requested trial is not agreement
    product = makers.ProductMaker(factory=factory, moq=100)
    trial = trial_at("requested", product=product, buyer=buyer)
    shown = api.as_user(buyer.user).get(url).json()
    assert (shown["agreement"], shown["contact"]) == (None, None)
    # when the factory accepts it
    from trials.services import trials as trial_services

    trial_services.trial_accept(trial=trial, actor=factory.owner)
    # then each side sees the other's card
    shown = api.as_user(buyer.user).get(url).json()
    assert shown["agreement"] == "trial"
    assert {k: shown["contact"][k] for k in ("name", "phone", "wechat", "email")} == {
        "name": "王厂长",
        "phone": "13900001111",
        "wechat": "wang-mask",
        "email": "",
    }
    assert api.as_user(factory.owner).get(url).json()["contact"]["wechat"] == "lu-live"


def test_contact_card_is_bounded(api, buyer):
    response = api.as_user(buyer.user).put(
        "/api/v1/conversations/contact-card/", {"phone": "138\n0000", "email": "not-an-email"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"phone", "email"}
    assert ContactCard.objects.count() == 0


def test_custom_request_messages_keep_their_api(api, buyer):
    """The fixed contract (docs/api.md): GET/POST custom-requests/{id}/messages/ with id, author,
    factory, body, created_at; the message lands in the pair's conversation."""
    from tests.trials.conftest import mask_request

    maker = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = mask_request(buyer, factory=maker)
    url = f"/api/v1/custom-requests/{request.pk}/messages/"
    posted = api.as_user(maker.owner).post(url, {"body": "可以做"}, format="json")
    assert posted.status_code == 201
    body = posted.json()
    assert {k: body[k] for k in ("author", "factory", "body")} == {
        "author": maker.name,
        "factory": maker.pk,
        "body": "可以做",
    }
    conversation = Conversation.objects.get(buyer=buyer, factory=maker)
    assert body["conversation"] == conversation.pk
    listed = api.as_user(buyer.user).get(f"/api/v1/conversations/{conversation.pk}/messages/").json()
    assert listed["results"][0]["topic"] == {
        "kind": "custom_request",
        "id": request.pk,
        "label": "custom request",
        "title": request.title,
        "url": f"/me/custom/{request.pk}/",
    }
    assert timezone.now() - Message.objects.get().created_at < timedelta(minutes=1)

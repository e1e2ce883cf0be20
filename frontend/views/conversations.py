"""Conversations between a streamer and a factory (me/conversations/…), through the conversations
services behind /api/v1/conversations/. Opening a conversation marks it read."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buyers.models import BuyerProfile
from conversations import moderation, selectors, services
from conversations.api.views import attachment_response
from conversations.attachments import attachment_check, max_bytes
from conversations.models import Attachment, ContactCard, Conversation, Message
from conversations.topics import topic_choices, topic_option, topic_parse, topic_value, with_topics
from factories.models import Factory
from marketplace.accounts.models import User

from .. import forms
from ..acting import current_streamer
from ..auth import SignedInRequest
from ..forms.conversation_reports import ConversationReportForm
from .common import form_refused, service_call, signed_in

PAGE_SIZE = 30
THREAD_SIZE = 60  # messages on one thread page


@signed_in
@require_GET
def conversation_list(request: SignedInRequest) -> HttpResponse:
    page = Paginator(selectors.conversations_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_previews(page.object_list, user=request.user)
    card = ContactCard.objects.filter(user=request.user).first()
    return render(
        request,
        "frontend/conversation_list.html",
        {
            "page": page,
            "card_form": forms.ContactCardForm(instance=card),
            "can_talk": _can_talk(request.user),
        },
    )


def _can_talk(user: User) -> bool:
    return user.is_buyer or user.is_factory


@signed_in
@require_GET
def conversation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(selectors.conversations_of(request.user), pk=pk)
    unread_before = conversation.unread  # type: ignore[attr-defined]  # annotated by conversations_of
    services.conversation_mark_read(conversation=conversation, actor=request.user)
    before = _int(request.GET.get("before"))
    newest_first, earlier = selectors.messages_before(conversation, before=before, limit=THREAD_SIZE)
    thread = with_topics(selectors.with_shown_bodies(newest_first[::-1], user=request.user))
    agreement, card = selectors.other_contact(conversation, request.user)
    is_buyer = conversation.buyer.user_id == request.user.pk
    return render(
        request,
        "frontend/conversation_detail.html",
        {
            "conversation": conversation,
            "thread": thread,
            # Keyset paging by id, as the API: the link to older messages carries the oldest shown.
            "earlier_before": thread[0].pk if earlier else None,
            "paged": before is not None,
            "unread_before": unread_before,
            "is_buyer": is_buyer,
            "other_name": conversation.factory.name if is_buyer else conversation.buyer.display_name,
            "agreement": agreement,
            "card": card,
            "form": forms.ConversationMessageForm(),
            **_topic_picker(conversation, request.GET.get("topic")),
            "report_form": ConversationReportForm(),
            "max_mb": max_bytes() // (1024 * 1024),
        },
    )


def _topic_picker(conversation: Conversation, chosen: str | None) -> dict[str, Any]:
    """The writing form's topics: the pair's newest of each kind, and the one a "message … about
    this" link chose (?topic=trial:12) even when it is older than those — if it is the pair's."""
    groups = topic_choices(buyer_id=conversation.buyer_id, factory_id=conversation.factory_id)
    topic = topic_parse(chosen)
    if topic is None:
        return {"topic_groups": groups, "topic_chosen": ""}
    value = topic_value(*topic)
    if not any(value == v for _label, options in groups for v, _title in options):
        option = topic_option(
            kind=topic[0],
            topic_id=topic[1],
            buyer_id=conversation.buyer_id,
            factory_id=conversation.factory_id,
        )
        if option is None:  # not the pair's: offer nothing chosen (the service would refuse it)
            return {"topic_groups": groups, "topic_chosen": ""}
        label, value, title = option
        groups.insert(0, (label, [(value, title)]))
    return {"topic_groups": groups, "topic_chosen": value}


@signed_in
@require_POST
def message_post(request: SignedInRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(selectors.conversations_of(request.user), pk=pk)
    form = forms.ConversationMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:conversation", pk=pk)
    upload = form.cleaned_data.get("attachment")
    topic = topic_parse(form.cleaned_data["topic"])
    if form.cleaned_data["topic"] and topic is None:
        messages.error(request, _("Choose what the message is about from the list."))
        return redirect("frontend:conversation", pk=pk)

    def post() -> Message:
        checked = attachment_check(upload) if upload else None
        return services.message_post(
            conversation=conversation,
            actor=request.user,
            body=form.cleaned_data["body"],
            topic=topic,
            attachment=checked,
        )

    service_call(request, post)
    return redirect("frontend:conversation", pk=pk)


@signed_in
@require_POST
def conversation_start(request: SignedInRequest) -> HttpResponse:
    """From a factory's page (a streamer) or a streamer's match (a factory)."""
    user = request.user
    if user.is_buyer:
        buyer = current_streamer(request)
        factory_id = _int(request.POST.get("factory"))
        factory = Factory.objects.filter(pk=factory_id).first() if factory_id is not None else None
    elif user.is_factory:
        factory = Factory.objects.filter(owner=user).first()
        buyer_id = _int(request.POST.get("buyer"))
        buyer = BuyerProfile.objects.filter(pk=buyer_id).first() if buyer_id is not None else None
    else:
        buyer = factory = None
    if buyer is None or factory is None:
        messages.error(request, _("Make your profile first, then choose whom to write to."))
        return redirect("frontend:conversations")
    outcome = service_call(
        request, lambda: services.conversation_start(actor=user, buyer=buyer, factory=factory)
    )
    if outcome.ok:
        target = reverse("frontend:conversation", args=[outcome.result.pk])
        topic = topic_parse(request.POST.get("topic"))
        if topic is not None:  # "message … about this": the picker opens on that topic
            target += "?" + urlencode({"topic": topic_value(*topic)})
        return redirect(target)
    return redirect("frontend:conversations")


def _int(value: str | None) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 12 else None


@signed_in
@require_POST
def contact_card_save(request: SignedInRequest) -> HttpResponse:
    form = forms.ContactCardForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:conversations")
    service_call(
        request,
        lambda: services.contact_card_set(actor=request.user, data=form.cleaned_data),
        success=_("Contact details saved. They are shown to the other side once you have agreed to talk."),
    )
    return redirect("frontend:conversations")


@signed_in
@require_GET
def attachment_download(request: SignedInRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    conversation = get_object_or_404(selectors.conversations_of(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, message__conversation=conversation)
    return attachment_response(attachment)


@signed_in
@require_POST
def conversation_report(request: SignedInRequest, pk: int) -> HttpResponse:
    """Report the other side's message (the form's `message`) or the whole conversation to staff."""
    conversation = get_object_or_404(selectors.conversations_of(request.user), pk=pk)
    form = ConversationReportForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:conversation", pk=pk)
    message = None
    if form.cleaned_data.get("message"):
        message = get_object_or_404(Message, pk=form.cleaned_data["message"], conversation=conversation)
    service_call(
        request,
        lambda: moderation.conversation_report_create(
            conversation=conversation,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            detail=form.cleaned_data["detail"],
            message=message,
        ),
        success=_("Thank you. Staff will look at your report; the other side is not told who reported."),
    )
    return redirect("frontend:conversation", pk=pk)

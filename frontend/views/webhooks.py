"""Webhooks on the web (issue 12, point 3): an organization's (events about its streamers) and a
factory's own (`product.*` events about its products). Each page lists the subscriptions, each
with its recent deliveries and their attempts; a manager subscribes (the secret shown once),
rotates the secret (the new one shown once), deletes, enables again and redelivers. The same services as the API: an organization's owners
manage and its members read; a factory's webhooks are its owner's alone."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from factories.models import Factory
from partners import selectors
from partners.models import WebhookSubscription
from partners.webhooks import services
from partners.webhooks.sources import FACTORY_PATTERNS, PATTERNS

from ..auth import SignedInRequest
from .common import service_call, signed_in
from .organizations import _signed_in

RECENT = 20  # deliveries shown per subscription; the API pages through all of them


@dataclass
class Page:
    """Whose webhooks a request manages, and where its forms post to."""

    owner: Any  # an Organization or a Factory
    owner_field: str  # "organization" or "factory": the services' keyword
    can_manage: bool
    patterns: tuple[str, ...]
    url_prefix: str  # "organization-webhook" or "factory-webhook"
    url_args: tuple[int, ...]  # the organization's id; nothing for one's own factory
    limit: int  # how many subscriptions the owner may have (the service enforces it)

    def url(self, action: str = "s", *ids: int) -> str:
        return reverse(f"frontend:{self.url_prefix}{action}", args=(*self.url_args, *ids))

    def back(self) -> HttpResponseRedirect:
        return redirect(self.url())


def _organization_page(request: SignedInRequest, pk: int) -> Page:
    organization = get_object_or_404(selectors.organizations_of(request.user), pk=pk)
    return Page(
        owner=organization,
        owner_field="organization",
        can_manage=selectors.is_owner(organization=organization, user=request.user),
        patterns=PATTERNS,
        url_prefix="organization-webhook",
        url_args=(pk,),
        limit=settings.WEBHOOK_MAX_PER_ORGANIZATION,
    )


def _factory_page(request: SignedInRequest) -> Page:
    # Only a factory's owner reaches its workspace; anyone else has no factory here → 404.
    factory = get_object_or_404(Factory.objects.filter(owner=request.user))
    return Page(
        owner=factory,
        owner_field="factory",
        can_manage=True,
        patterns=FACTORY_PATTERNS,
        url_prefix="factory-webhook",
        url_args=(),
        limit=settings.WEBHOOK_MAX_PER_FACTORY,
    )


def _list_and_create(request: SignedInRequest, page: Page) -> HttpResponse:
    if request.method == "POST":
        outcome = service_call(
            request,
            lambda: services.webhook_create(
                **{page.owner_field: page.owner},
                actor=request.user,
                url=request.POST.get("url", "")[:600],
                event_types=[t for t in request.POST.getlist("event_types") if t in page.patterns],
                address=get_client_ip_address(request),
            ),
        )
        if outcome.ok:
            _subscription, secret = outcome.result
            messages.success(
                request,
                _("Subscribed. Your signing secret, shown this once: %(secret)s") % {"secret": secret},
            )
        return page.back()
    subscriptions = list(page.owner.webhooks.order_by("-pk"))
    for subscription in subscriptions:
        subscription.recent = list(
            subscription.deliveries.order_by("-pk").prefetch_related("attempt_rows")[:RECENT]
        )
        # The forms' addresses, worked out here: the two pages' URLs take different arguments.
        subscription.delete_url = page.url("-delete", subscription.pk)
        subscription.enable_url = page.url("-enable", subscription.pk)
        subscription.rotate_url = page.url("-rotate-secret", subscription.pk)
        for delivery in subscription.recent:
            delivery.redeliver_url = page.url("-redeliver", subscription.pk, delivery.pk)
    context = {
        "owner": page.owner,
        "is_factory": page.owner_field == "factory",
        "list_url": page.url(),
        "subscriptions": subscriptions,
        "patterns": page.patterns,
        "can_manage": page.can_manage,
        "room": len(subscriptions) < page.limit,
        "limit": page.limit,
        "title": _("Webhooks"),
        "now": timezone.now(),
        "grace_hours": int(settings.WEBHOOK_SECRET_ROTATION_GRACE.total_seconds() // 3600),
    }
    return render(request, "frontend/webhooks.html", context)


def _subscription(page: Page, webhook_id: int) -> WebhookSubscription:
    subscription: WebhookSubscription = get_object_or_404(page.owner.webhooks, pk=webhook_id)
    return subscription


def _act(
    request: SignedInRequest, page: Page, call: Callable[[str | None], object], success: str
) -> HttpResponse:
    service_call(request, lambda: call(get_client_ip_address(request)), success=success)
    return page.back()


def _delete(request: SignedInRequest, page: Page, webhook_id: int) -> HttpResponse:
    subscription = _subscription(page, webhook_id)
    return _act(
        request,
        page,
        lambda address: services.webhook_delete(
            subscription=subscription, actor=request.user, address=address
        ),
        _("Webhook deleted."),
    )


def _enable(request: SignedInRequest, page: Page, webhook_id: int) -> HttpResponse:
    subscription = _subscription(page, webhook_id)
    return _act(
        request,
        page,
        lambda address: services.webhook_enable(
            subscription=subscription, actor=request.user, address=address
        ),
        _("Webhook enabled again."),
    )


def _rotate_secret(request: SignedInRequest, page: Page, webhook_id: int) -> HttpResponse:
    subscription = _subscription(page, webhook_id)
    outcome = service_call(
        request,
        lambda: services.webhook_rotate_secret(
            subscription=subscription, actor=request.user, address=get_client_ip_address(request)
        ),
    )
    if outcome.ok:
        rotated, secret = outcome.result
        messages.success(
            request,
            _(
                "New signing secret, shown this once: %(secret)s. Until %(until)s deliveries are "
                "signed with the old secret as well, so switch your receiver before then."
            )
            % {
                "secret": secret,
                "until": timezone.localtime(rotated.previous_secret_until).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return page.back()


def _redeliver(request: SignedInRequest, page: Page, webhook_id: int, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(_subscription(page, webhook_id).deliveries, pk=delivery_id)
    return _act(
        request,
        page,
        lambda address: services.webhook_redeliver(delivery=delivery, actor=request.user, address=address),
        _("The event will be sent again."),
    )


# An organization's webhooks: me/organizations/<pk>/webhooks/…
@_signed_in
@require_http_methods(["GET", "POST"])
def webhooks(request: SignedInRequest, pk: int) -> HttpResponse:
    return _list_and_create(request, _organization_page(request, pk))


@_signed_in
@require_POST
def webhook_delete(request: SignedInRequest, pk: int, webhook_id: int) -> HttpResponse:
    return _delete(request, _organization_page(request, pk), webhook_id)


@_signed_in
@require_POST
def webhook_enable(request: SignedInRequest, pk: int, webhook_id: int) -> HttpResponse:
    return _enable(request, _organization_page(request, pk), webhook_id)


@_signed_in
@require_POST
def webhook_rotate_secret(request: SignedInRequest, pk: int, webhook_id: int) -> HttpResponse:
    return _rotate_secret(request, _organization_page(request, pk), webhook_id)


@_signed_in
@require_POST
def webhook_redeliver(request: SignedInRequest, pk: int, webhook_id: int, delivery_id: int) -> HttpResponse:
    return _redeliver(request, _organization_page(request, pk), webhook_id, delivery_id)


# A factory's own webhooks in its workspace: me/factory/webhooks/…
@signed_in
@require_http_methods(["GET", "POST"])
def factory_webhooks(request: SignedInRequest) -> HttpResponse:
    return _list_and_create(request, _factory_page(request))


@signed_in
@require_POST
def factory_webhook_delete(request: SignedInRequest, webhook_id: int) -> HttpResponse:
    return _delete(request, _factory_page(request), webhook_id)


@signed_in
@require_POST
def factory_webhook_enable(request: SignedInRequest, webhook_id: int) -> HttpResponse:
    return _enable(request, _factory_page(request), webhook_id)


@signed_in
@require_POST
def factory_webhook_rotate_secret(request: SignedInRequest, webhook_id: int) -> HttpResponse:
    return _rotate_secret(request, _factory_page(request), webhook_id)


@signed_in
@require_POST
def factory_webhook_redeliver(request: SignedInRequest, webhook_id: int, delivery_id: int) -> HttpResponse:
    return _redeliver(request, _factory_page(request), webhook_id, delivery_id)

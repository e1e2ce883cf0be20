"""An organization's webhooks on the web (issue 12, point 3): its subscriptions, each with its
recent deliveries and their attempts; owners subscribe (the secret shown once), delete, enable
again and redeliver. The same services as the API; members read."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partners import selectors
from partners.models import WebhookSubscription
from partners.webhooks import services
from partners.webhooks.sources import PATTERNS

from .common import service_call
from .organizations import _signed_in

RECENT = 20  # deliveries shown per subscription; the API pages through all of them


def _organization(request, pk: int):
    return get_object_or_404(selectors.organizations_of(request.user), pk=pk)


@_signed_in
@require_http_methods(["GET", "POST"])
def webhooks(request, pk: int):
    organization = _organization(request, pk)
    if request.method == "POST":
        outcome = service_call(
            request,
            lambda: services.webhook_create(
                organization=organization,
                actor=request.user,
                url=request.POST.get("url", "")[:600],
                event_types=[t for t in request.POST.getlist("event_types") if t in PATTERNS],
                address=get_client_ip_address(request),
            ),
        )
        if outcome.ok:
            _subscription, secret = outcome.result
            messages.success(
                request,
                _("Subscribed. Your signing secret, shown this once: %(secret)s") % {"secret": secret},
            )
        return redirect("frontend:organization-webhooks", pk=pk)
    subscriptions = list(organization.webhooks.order_by("-pk"))
    for subscription in subscriptions:
        subscription.recent = list(
            subscription.deliveries.order_by("-pk").prefetch_related("attempt_rows")[:RECENT]
        )
    context = {
        "organization": organization,
        "subscriptions": subscriptions,
        "patterns": PATTERNS,
        "is_owner": selectors.is_owner(organization=organization, user=request.user),
        "title": _("Webhooks"),
    }
    return render(request, "frontend/webhooks.html", context)


def _subscription(request, pk: int, webhook_id: int) -> WebhookSubscription:
    return get_object_or_404(_organization(request, pk).webhooks, pk=webhook_id)


@_signed_in
@require_POST
def webhook_delete(request, pk: int, webhook_id: int):
    subscription = _subscription(request, pk, webhook_id)
    service_call(
        request,
        lambda: services.webhook_delete(
            subscription=subscription, actor=request.user, address=get_client_ip_address(request)
        ),
        success=_("Webhook deleted."),
    )
    return redirect("frontend:organization-webhooks", pk=pk)


@_signed_in
@require_POST
def webhook_enable(request, pk: int, webhook_id: int):
    subscription = _subscription(request, pk, webhook_id)
    service_call(
        request,
        lambda: services.webhook_enable(
            subscription=subscription, actor=request.user, address=get_client_ip_address(request)
        ),
        success=_("Webhook enabled again."),
    )
    return redirect("frontend:organization-webhooks", pk=pk)


@_signed_in
@require_POST
def webhook_redeliver(request, pk: int, webhook_id: int, delivery_id: int):
    delivery = get_object_or_404(_subscription(request, pk, webhook_id).deliveries, pk=delivery_id)
    service_call(
        request,
        lambda: services.webhook_redeliver(
            delivery=delivery, actor=request.user, address=get_client_ip_address(request)
        ),
        success=_("The event will be sent again."),
    )
    return redirect("frontend:organization-webhooks", pk=pk)

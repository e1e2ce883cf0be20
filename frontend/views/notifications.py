"""GET me/notifications/ (the inbox) and the two POSTs that mark read, through the notification
services (the same ones behind POST /api/v1/notifications/{id}/read/)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from marketplace.notifications import selectors, services

from .. import inbox
from ..auth import SignedInRequest
from .common import signed_in_as_self

PAGE_SIZE = 20


@signed_in_as_self
@require_GET
def notification_list(request: SignedInRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/notifications.html",
        {"page": page, "entries": inbox.entries(page.object_list), "unread_only": unread_only},
    )


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Where the form came from (the inbox page it was on), or the object it opens; only our own URLs."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("frontend:notifications")


@signed_in_as_self
@require_POST
def notification_read(request: SignedInRequest, pk: int) -> HttpResponse:
    # Someone else's notification is a 404, as in the API: its existence is not disclosed.
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    return _back(request)


@signed_in_as_self
@require_POST
def notification_read_all(request: SignedInRequest) -> HttpResponse:
    changed = services.notification_mark_all_read(user=request.user)
    if changed:
        messages.success(
            request,
            ngettext("Marked %(n)d notification as read.", "Marked %(n)d notifications as read.", changed)
            % {"n": changed},
        )
    else:
        messages.info(request, _("Nothing unread."))
    return _back(request)

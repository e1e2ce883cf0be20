"""The staff moderation dashboard in the admin (issue 12, point 4): each queue of trials/moderation.py
with its count and its oldest item, linked to the changelist that lists exactly that queue (where
the bulk approve / reject / suspend actions are). Two queries per queue, however long the queues."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Model
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from trials.moderation import QUEUES, Queue


def _admin_url(obj: Model, view: str, *args: object) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=args)


def queue_summary(queue: Queue) -> dict[str, Any]:
    rows = queue.rows()
    count = rows.count()
    oldest = rows.order_by(queue.age_field, "pk").first() if count else None
    since = getattr(oldest, queue.age_field) if oldest else None
    changelist = reverse(f"admin:{rows.model._meta.app_label}_{rows.model._meta.model_name}_changelist")
    return {
        "key": queue.key,
        "label": queue.label,
        "count": count,
        "url": f"{changelist}?{urlencode(queue.params)}",
        "oldest": oldest,
        "oldest_url": _admin_url(oldest, "change", oldest.pk) if oldest else "",
        "oldest_since": since,
        # An expiry still ahead (the verifications queue) is a date, not an age.
        "oldest_ahead": since is not None and since > timezone.now(),
    }


@staff_member_required
def moderation_dashboard(request: HttpRequest) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Moderation"),
        "queues": [queue_summary(queue) for queue in QUEUES],
    }
    return TemplateResponse(request, "admin/moderation_dashboard.html", context)

"""The audit log in the admin, and the two pieces every other ModelAdmin shares:

- `EventHistoryMixin` shows an object's events on its change page;
- `StaffActionsMixin` runs staff decisions (verify, reject, …) through the services, so each one
  is checked against its transition table and recorded as an event. Decisions that need a reason
  or a tier go through an intermediate form page, both from the changelist (an admin action) and
  from a button on the change page.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import NotAllowed, TransitionNotAllowed, ValidationError
from .events import acting_from, events_for
from .models import Event
from .transitions import FlowTable, allowed_actions

HISTORY_LIMIT = 50


class ReadOnlyAdminMixin:
    """Rows only services write (the audit log, the outbox): staff look, nobody adds, edits or deletes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


def json_summary(data: Any) -> str:  # a JSON column's value
    """A JSON column on one changelist line."""
    return json.dumps(data, ensure_ascii=False)[:120]


class StaffActorFilter(admin.SimpleListFilter):
    """Staff actions only (moderation, verification, suspension, report handling), or the rest."""

    title = _("acted by")
    parameter_name = "by"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> tuple[tuple[str, Any], ...]:
        return (("staff", _("staff")), ("system", _("the system (timed)")), ("others", _("other people")))

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Event]) -> models.QuerySet[Event]:
        if self.value() == "staff":
            return queryset.filter(models.Q(actor__is_staff=True) | models.Q(actor__role="staff"))
        if self.value() == "system":
            return queryset.filter(actor__isnull=True)
        if self.value() == "others":
            return queryset.filter(actor__isnull=False, actor__is_staff=False).exclude(actor__role="staff")
        return queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by services and is evidence, so nobody edits or deletes it."""

    list_display = ("created_at", "verb", "actor", "address", "target_type", "target_id", "data_summary")
    list_filter = (StaffActorFilter, "target_type", "verb", "created_at")
    search_fields = ("verb", "actor__username", "=target_id", "data__address")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "target_type")
    readonly_fields = ("created_at", "verb", "actor", "target_type", "target_id", "data")
    fields = readonly_fields

    @admin.display(description=_("address"))
    def address(self, obj: Event) -> str:
        return (obj.data or {}).get("address") or "—"

    @admin.display(description=_("data"))
    def data_summary(self, obj: Event) -> str:
        return json_summary(obj.data)


def _by(event: Event) -> str:
    """Who acted: the account, or the organization member who acted for it (its data["member"])."""
    by = event.actor.username if event.actor else "—"
    member = (event.data or {}).get("member")
    if member:
        return gettext("%(member)s for %(streamer)s") % {"member": member.get("name"), "streamer": by}
    return by


class EventHistoryMixin:
    """Adds a read-only `event_history` field: who did what to this object, newest first."""

    @admin.display(description=_("event history"))
    def event_history(self, obj: models.Model | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (
                date_format(localtime(e.created_at), "DATETIME_FORMAT"),
                e.verb,
                _by(e),
                json.dumps(e.data, ensure_ascii=False),
            )
            for e in events_for(self.history_target(obj))[:HISTORY_LIMIT]
        ]
        if not rows:
            return gettext("No events yet.")
        return format_html(
            '<table class="event-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            gettext("When"),
            gettext("Event"),
            gettext("By"),
            gettext("Details"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def history_target(self, obj: Any) -> models.Model:
        """The object whose events are shown; a report shows its product's history. (`obj` is
        the admin's own model, which each admin narrows.)"""
        target: models.Model = obj
        return target


def staff_address(request: HttpRequest) -> str | None:
    """The staff member's client address for the audit rows (read as sign-in throttling reads it,
    behind a proxy from X-Forwarded-For when PROXY_COUNT is set), as the partners API does."""
    return get_client_ip_address(request) or None


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("The factory reads this."),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 60})
    )


@dataclass(frozen=True)
class StaffAction:
    """One staff decision. `apply(obj, actor, cleaned_data)` calls the service; `form` asks first."""

    name: str
    label: Any
    done: Any  # "Verified: %(objects)s."
    apply: Callable[[Any, Any, dict], Any]
    form: type[forms.Form] | None = None
    # Which buttons to show: for an action outside the admin's flow table (`staff_flow`), alone;
    # for one of its transitions, on top of what the table allows this person now.
    available: Callable[[Any], bool] = lambda obj: True
    # How an object the table refuses in its state is reported (it is skipped, nothing written);
    # bulk actions on the stuck lists say "Skipped …", where a selection mixes states.
    skipped: Any = "%(object)s: %(reason)s"


# The mixin runs inside a ModelAdmin (get_object, opts, message_user …): say so to the type checker.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class StaffActionsMixin(_AdminBase):
    staff_actions: tuple[StaffAction, ...] = ()
    # The flow the staff actions fire: an action named after one of its transitions shows when
    # `allowed_actions` says this person may fire it now, as the API and the pages ask.
    staff_flow: FlowTable | None = None
    change_form_template = "admin/core/change_form.html"

    # --- changelist: each staff action is an admin action ---
    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)
        if self.has_change_permission(request):
            for action in self.staff_actions:
                actions[action.name] = (self._as_admin_action(action), action.name, action.label)
        return actions

    def _as_admin_action(self, action: StaffAction) -> Callable[..., HttpResponse | None]:
        def run(
            modeladmin: "StaffActionsMixin", request: HttpRequest, queryset: models.QuerySet[Any]
        ) -> HttpResponse | None:
            return modeladmin.staff_action_run(request, queryset, action, from_changelist=True)

        return run

    # --- change page: one button per action that applies in the object's state ---
    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/staff-action/<str:name>/",
                self.admin_site.admin_view(self.staff_action_view),
                name="{}_{}_staff_action".format(*info),
            ),
            *super().get_urls(),
        ]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Staff edits saved through the services are audited with the address too.
        with acting_from(staff_address(request)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_change_permission(request, obj):
            url_name = f"admin:{self.opts.app_label}_{self.opts.model_name}_staff_action"
            extra_context["staff_actions"] = [
                {"label": a.label, "url": reverse(url_name, args=[obj.pk, a.name])}
                for a in self.staff_actions
                if self.staff_action_available(a, obj, request.user)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def staff_action_available(self, action: StaffAction, obj: models.Model, user: Any) -> bool:
        if self.staff_flow is not None and action.name in self.staff_flow.flow.transitions:
            may = allowed_actions(self.staff_flow, obj, user, in_admin=True)
            return action.name in may and action.available(obj)
        return action.available(obj)

    def staff_action_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        action = next((a for a in self.staff_actions if a.name == name), None)
        obj = self.get_object(request, object_id)
        if action is None or obj is None:
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        if not self.has_change_permission(request, obj):
            raise NotAllowed(gettext("You are not allowed to change this."))
        queryset = self.get_queryset(request).filter(pk=obj.pk)
        response = self.staff_action_run(request, queryset, action, from_changelist=False)
        if response is None:
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            )
        return response

    # --- the one place that runs a decision ---
    def staff_action_run(
        self,
        request: HttpRequest,
        queryset: models.QuerySet[Any],
        action: StaffAction,
        *,
        from_changelist: bool,
    ) -> HttpResponse | None:
        """Show the form, or apply the action to each object; None means "done, go back"."""
        posted = request.method == "POST" and request.POST.get("apply") == "yes"
        form = None
        if action.form is not None or not from_changelist:
            form = (action.form or forms.Form)(request.POST if posted else None)
            if not posted or not form.is_valid():
                return self._action_page(request, queryset, action, form, from_changelist)
        data = form.cleaned_data if form is not None else {}
        done, failed = [], []
        with acting_from(staff_address(request)):
            for obj in queryset:
                try:
                    action.apply(obj, request.user, data)
                except TransitionNotAllowed as error:
                    # Not in a state for it: skipped, a warning (a mixed selection is normal).
                    skipped = action.skipped % {"object": obj, "reason": error.message}
                    failed.append((messages.WARNING, skipped))
                except NotAllowed as error:
                    failed.append((messages.ERROR, f"{obj}: {error.message}"))
                except ValidationError as error:
                    failed.append((messages.ERROR, f"{obj}: {' '.join(error.messages)}"))
                else:
                    done.append(str(obj))
        if done:
            self.message_user(request, action.done % {"objects": ", ".join(done)}, messages.SUCCESS)
        for level, message in failed:
            self.message_user(request, message, level)
        return None

    def _action_page(
        self,
        request: HttpRequest,
        queryset: models.QuerySet[Any],
        action: StaffAction,
        form: forms.Form,
        from_changelist: bool,
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": action.label,
            "opts": self.opts,
            "queryset": queryset,
            "form": form,
            "media": self.media + form.media,
            "submit_label": action.label,
            "action_name": action.name if from_changelist else "",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/action_form.html", context)


def object_link(obj: models.Model | None, label: str | None = None) -> str:
    """A link to an object's admin change page (used in list displays)."""
    if obj is None:
        return "—"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


__all__ = [
    "EventAdmin",
    "EventHistoryMixin",
    "OptionalReasonForm",
    "ReasonForm",
    "StaffAction",
    "StaffActionsMixin",
    "object_link",
]


from . import admin_outbox  # noqa: E402, F401 - registers the outbox's ModelAdmin

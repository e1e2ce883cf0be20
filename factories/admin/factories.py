"""Factories in the admin: staff verify (choosing the tier), reject or suspend them with a reason.

Status, tier and the metrics are read-only here: they change only through the services, which
check the verification flow and record an event. Profile edits go through `factory_update`.
"""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.admin import admin_user
from marketplace.core.admin import EventHistoryMixin, ReasonForm, StaffAction, StaffActionsMixin

from ..flows import FACTORY_TABLE
from ..models import Factory, FactoryTier, VerificationCheck, VerificationStatus
from ..services import factory_reject, factory_suspend, factory_update, factory_verify
from ..services.factories import PROFILE_FIELDS


class VerifyForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=FactoryTier.choices, initial=FactoryTier.STANDARD)
    checks = forms.MultipleChoiceField(
        label=_("Checked"),
        choices=VerificationCheck.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What you checked for this verification; it holds for a year."),
    )


class VerificationFreshnessFilter(admin.SimpleListFilter):
    title = _("verification freshness")
    parameter_name = "freshness"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Iterable[tuple[str, Any]]:
        return (("expiring", _("expiring within 30 days")), ("lapsed", _("lapsed")))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Factory]) -> QuerySet[Factory]:
        if self.value() == "expiring":
            horizon = timezone.now() + timedelta(days=settings.FACTORY_VERIFICATION_REMIND_DAYS)
            return queryset.filter(
                verification_status=VerificationStatus.VERIFIED,
                verification_lapsed_at__isnull=True,
                verification_expires_at__lte=horizon,
            )
        if self.value() == "lapsed":
            return queryset.filter(verification_lapsed_at__isnull=False)
        return queryset


STATUS_FIELDS = (
    "verification_status",
    "tier",
    "status_reason",
    "verified_at",
    "verification_checks",
    "verification_expires_at",
    "verification_reminded_at",
    "verification_lapsed_at",
)
METRIC_FIELDS = (
    "response_rate",
    "median_response_hours",
    "trial_conversion_rate",
    "return_rate",
    "average_rating",
    "trials_completed",
    "trials_failed_to_ship",
)


@admin.register(Factory)
class FactoryAdmin(StaffActionsMixin, EventHistoryMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "owner",
        "province",
        "city",
        "industrial_belt",
        "verification_status",
        "tier",
        "customization",
        "created_at",
    )
    list_filter = (
        "verification_status",
        VerificationFreshnessFilter,
        "tier",
        "customization",
        "accepts_trials",
        "industrial_belt",
    )
    search_fields = ("name", "credit_code", "owner__username", "owner__email", "city")
    list_select_related = ("owner", "industrial_belt")
    autocomplete_fields = ("industrial_belt",)
    filter_horizontal = ("categories",)
    # A link typed without a scheme is https (the tour video must be; Django 6's default too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = (
        "owner",
        "licence",
        *STATUS_FIELDS,
        *METRIC_FIELDS,
        "created_at",
        "updated_at",
        "event_history",
    )
    fieldsets = (
        (
            None,
            {"fields": ("owner", "name", "credit_code", "licence", "province", "city", "industrial_belt")},
        ),
        (_("Status"), {"fields": STATUS_FIELDS}),
        (
            _("Profile"),
            {
                "fields": (
                    "categories",
                    "description",
                    "established_year",
                    "staff_count",
                    "monthly_capacity",
                    "customization",
                    "accepts_trials",
                    "max_trial_quantity",
                    "trial_days",
                    "video_url",
                )
            },
        ),
        (_("Record"), {"fields": METRIC_FIELDS}),
        (_("History"), {"fields": ("created_at", "updated_at", "event_history")}),
    )
    staff_flow = FACTORY_TABLE
    staff_actions = (
        StaffAction(
            name="verify",
            label=_("Verify"),
            done=_("Verified: %(objects)s."),
            apply=lambda f, actor, data: factory_verify(
                factory=f, actor=actor, tier=data["tier"], checks=data["checks"]
            ),
            form=VerifyForm,
        ),
        StaffAction(
            name="reject",
            label=_("Reject"),
            done=_("Rejected: %(objects)s."),
            apply=lambda f, actor, data: factory_reject(factory=f, actor=actor, reason=data["reason"]),
            form=ReasonForm,
        ),
        StaffAction(
            name="suspend",
            label=_("Suspend"),
            done=_("Suspended: %(objects)s."),
            apply=lambda f, actor, data: factory_suspend(factory=f, actor=actor, reason=data["reason"]),
            form=ReasonForm,
        ),
    )

    @admin.display(description=_("business licence"))
    def licence(self, factory: Factory) -> str:
        """The licence image next to the credit code it must match (staff only: the admin)."""
        if not factory.licence_image:
            return str(_("not uploaded yet"))
        url = reverse("factory-licence", args=[factory.pk])
        return format_html(
            '<a href="{}" target="_blank"><img src="{}" alt="" style="max-width:480px"></a>', url, url
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Factories register themselves (one per factory account); staff only review them.
        return False

    def save_model(self, request: HttpRequest, obj: Factory, form: Any, change: bool) -> None:
        data: dict[str, Any] = {}
        for name in form.changed_data:
            if name not in PROFILE_FIELDS:
                continue
            value = form.cleaned_data[name]
            if name == "industrial_belt":
                value = value.slug if value else None
            elif name == "categories":
                value = [c.slug for c in value]
            data[name] = value
        if data:
            factory_update(factory=obj, actor=admin_user(request), data=data)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Categories were set by factory_update (with its event); nothing else is related.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.admin import admin_user
from marketplace.accounts.models import User
from marketplace.core.admin import StaffAction, StaffActionsMixin, staff_address
from marketplace.core.errors import NotAllowed, TransitionNotAllowed
from marketplace.core.events import acting_from

from . import moderation
from .flows import bulk as bulk_flow
from .flows import custom as custom_flow
from .flows import payment as payment_flow
from .flows import sample as sample_flow
from .flows import trial as trial_flow
from .flows.bulk import REASON_MAX_LENGTH
from .models import (
    BulkOrder,
    CustomRequest,
    CustomRequestOffer,
    CustomStatus,
    Payment,
    PaymentProvider,
    PaymentStatus,
    Quote,
    Refund,
    RefundStatus,
    SampleRequest,
    StripeEvent,
    TrialOrder,
)
from .services.bulk import bulk_cancel, bulk_cancel_with_refund, bulk_resume
from .services.payments import payment_confirm_received
from .services.refunds import REFERENCE_MAX_LENGTH, refund_mark_settled
from .services.staff import (
    TRIAL_QUEUES,
    custom_request_close_stuck,
    payment_expire_stuck,
    sample_expire_stuck,
    trial_resolve_stuck,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff look, filter and act through actions; rows change only through the services."""

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str] | tuple[str, ...]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class StuckFilter(admin.SimpleListFilter):
    """The stuck flows of the moderation dashboard (trials/moderation.py): the same queryset, so
    the dashboard's count is what this filter lists."""

    title = _("stuck")
    parameter_name = "stuck"
    options: dict = {}  # value -> (label, the queue's rows)

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Iterable[tuple[str, Any]]:
        return [(value, label) for value, (label, _rows) in self.options.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in self.options:
            return queryset.filter(pk__in=self.options[self.value()][1]().values("pk"))
        return queryset


def stuck_filter(**options: tuple[Any, Callable[[], QuerySet[Any]]]) -> type[StuckFilter]:
    return type("StuckFilter", (StuckFilter,), {"options": options})


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (both sides read it)"),
        max_length=trial_flow.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


def stuck_action(
    name: str,
    label: Any,
    done: Any,
    apply: Callable[[Any, Any, dict], Any],
    rows: Callable[[], QuerySet[Any]],
    form: type[forms.Form] | None = None,
) -> StaffAction:  # label, done, apply: as StaffAction takes them; rows: the queue's rows now
    """A staff action on a stuck list: a transition of the admin's flow table, offered on the
    change page of a row in its moderation queue only (the service checks it again under the
    row lock), and a row in another state or not stuck is reported "Skipped …"."""
    return StaffAction(
        name=name,
        label=label,
        done=done,
        apply=apply,
        form=form,
        available=lambda obj: rows().filter(pk=obj.pk).exists(),
        skipped=_("Skipped %(object)s: %(reason)s"),
    )


def _trial_action(name: str, label: Any, done: Any, form: type[forms.Form] | None = None) -> StaffAction:
    def apply(trial: TrialOrder, actor: User, data: dict[str, Any]) -> TrialOrder:
        return trial_resolve_stuck(trial=trial, actor=actor, name=name, reason=data.get("reason", ""))

    return stuck_action(name, label, done, apply, TRIAL_QUEUES[name], form)


@admin.register(TrialOrder)
class TrialOrderAdmin(StaffActionsMixin, ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status",
        "buyer",
        "factory",
        "product",
        "quantity",
        "unit_price",
        "total",
        "created_at",
    ]
    list_filter = [
        stuck_filter(
            unanswered=(_("unanswered past the deadline"), moderation.trials_unanswered),
            overdue=(_("overdue"), moderation.trials_overdue),
        ),
        "status",
    ]
    search_fields = ["buyer__display_name", "factory__name", "product__title"]
    # The stuck lists' way out, each a transition of the trial table that staff may fire.
    staff_flow = trial_flow.TABLE
    staff_actions = (
        _trial_action(
            "expire", _("Expire (unanswered past the deadline)"), _("Expired, both sides told: %(objects)s.")
        ),
        _trial_action(
            "cancel_with_refund",
            _("Cancel and refund (paid, never shipped)"),
            _("Cancelled, payment to refund, both sides told: %(objects)s."),
            form=StaffReasonForm,
        ),
        _trial_action(
            "end", _("End (feedback given, window long over)"), _("Ended, both sides told: %(objects)s.")
        ),
        _trial_action(
            "end_unreported",
            _("Close without feedback (window long over)"),
            _("Closed without feedback, both sides told: %(objects)s."),
        ),
    )


@admin.register(Payment)
class PaymentAdmin(StaffActionsMixin, ReadOnlyAdmin):
    list_display = [
        "id",
        "trial",
        "bulk_order",
        "purpose",
        "provider",
        "status",
        "amount",
        "reference_code",
        "created_at",
    ]
    list_filter = [
        stuck_filter(**{"1": (_("pending too long"), moderation.payments_pending_too_long)}),
        "provider",
        "purpose",
        "status",
    ]
    search_fields = ["reference_code", "provider_reference"]
    actions = ["mark_received"]
    staff_flow = payment_flow.TABLE
    staff_actions = (
        stuck_action(
            "expire",
            _("Expire (pending too long; the buyer may pay again)"),
            _("Expired, the buyer told: %(objects)s."),
            lambda o, actor, data: payment_expire_stuck(payment=o, actor=actor),
            moderation.payments_pending_too_long,
        ),
    )

    @admin.action(description=_("Mark bank transfer received"))
    def mark_received(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = 0
        # A transfer that arrives for a cancelled trial is confirmed too: it becomes a refund due.
        late = Q(status=PaymentStatus.CANCELED, provider=PaymentProvider.BANK_TRANSFER)
        payments = queryset.filter(Q(status__in=[PaymentStatus.PENDING, PaymentStatus.PROCESSING]) | late)
        # A staff action: its audit rows carry the staff member's address, as StaffActionsMixin's do.
        with acting_from(staff_address(request)):
            for payment in payments:
                try:
                    payment_confirm_received(payment=payment, actor=admin_user(request))
                    done += 1
                except (ValidationError, NotAllowed, TransitionNotAllowed) as exc:
                    self.message_user(request, f"{payment}: {getattr(exc, 'message', exc)}", messages.ERROR)
        self.message_user(request, _("%(n)d payment(s) marked received.") % {"n": done})


@admin.register(SampleRequest)
class SampleRequestAdmin(StaffActionsMixin, ReadOnlyAdmin):
    list_display = ["__str__", "status", "buyer", "factory", "product", "created_at"]
    list_filter = [
        stuck_filter(**{"1": (_("unanswered past the deadline"), moderation.samples_unanswered)}),
        "status",
    ]
    staff_flow = sample_flow.TABLE
    staff_actions = (
        stuck_action(
            "expire",
            _("Expire (unanswered past the deadline)"),
            _("Expired, both sides told: %(objects)s."),
            lambda o, actor, data: sample_expire_stuck(sample=o, actor=actor),
            moderation.samples_unanswered,
        ),
    )


class ReachFilter(admin.SimpleListFilter):
    """The queue of open requests nobody received (no factory fits their category): staff can
    widen the catalogue's reach or tell the streamer where to ask."""

    title = _("reach")
    parameter_name = "reach"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Iterable[tuple[str, Any]]:
        return [("nobody", _("Open, offered to nobody"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "nobody":
            offers = CustomRequestOffer.objects.filter(request=OuterRef("pk"))
            return queryset.filter(factory__isnull=True, status=CustomStatus.OPEN).exclude(Exists(offers))
        return queryset


@admin.register(CustomRequest)
class CustomRequestAdmin(StaffActionsMixin, ReadOnlyAdmin):
    list_display = ["title", "status", "buyer", "factory", "category", "quantity", "quotes_count", "deadline"]
    list_filter = [
        stuck_filter(**{"1": (_("open past the deadline"), moderation.custom_requests_past_deadline)}),
        ReachFilter,
        "status",
    ]
    staff_flow = custom_flow.TABLE
    staff_actions = (
        stuck_action(
            "close",
            _("Close (open past the deadline)"),
            _("Closed, the streamer told: %(objects)s."),
            lambda o, actor, data: custom_request_close_stuck(request=o, actor=actor),
            moderation.custom_requests_past_deadline,
        ),
    )


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["id", "request", "factory", "unit_price", "moq", "status"]


class BulkReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (both sides read it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea,
        required=False,
    )


@admin.register(BulkOrder)
class BulkOrderAdmin(StaffActionsMixin, ReadOnlyAdmin):
    """Disputes come here (filter by status): staff settle one (the order goes on from its step)
    or cancel it, and every payment that came in is refunded."""

    list_display = [
        "__str__",
        "status",
        "buyer",
        "factory",
        "quantity",
        "total",
        "deposit_amount",
        "delivery_date",
        "created_at",
    ]
    list_filter = [
        stuck_filter(**{"1": (_("stuck at a step"), moderation.bulk_orders_stuck)}),
        "status",
    ]
    search_fields = ["buyer__display_name", "factory__name", "tracking_number"]
    staff_flow = bulk_flow.TABLE
    staff_actions = (
        StaffAction(
            name="resume",
            label=_("Settle the dispute: go on"),
            done=_("Dispute settled: %(objects)s."),
            apply=lambda o, actor, data: bulk_resume(bulk=o, actor=actor),
        ),
        StaffAction(
            name="cancel_with_refund",
            label=_("Cancel and refund"),
            done=_("Cancelled, payments to refund: %(objects)s."),
            apply=lambda o, actor, data: bulk_cancel_with_refund(bulk=o, actor=actor, reason=data["reason"]),
            form=BulkReasonForm,
        ),
        StaffAction(
            name="cancel",
            label=_("Cancel (before the deposit)"),
            done=_("Cancelled: %(objects)s."),
            apply=lambda o, actor, data: bulk_cancel(bulk=o, actor=actor, reason=data["reason"]),
            form=BulkReasonForm,
        ),
    )


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "created", "outcome", "payment"]
    list_filter = ["type", "outcome"]


class RefundReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Bank reference of the refund"),
        max_length=REFERENCE_MAX_LENGTH,
        help_text=_("The reference of the transfer that paid the buyer back."),
    )


@admin.register(Refund)
class RefundAdmin(StaffActionsMixin, ReadOnlyAdmin):
    """Card refunds happen by themselves (the outbox calls Stripe); a bank transfer that arrived
    for a cancelled trial is "due": staff pay it back, then mark it refunded with the reference."""

    list_display = ["id", "payment", "status", "amount", "provider_reference", "reference", "created_at"]
    list_filter = ["status"]
    search_fields = ["provider_reference", "reference", "payment__reference_code"]
    staff_actions = (
        StaffAction(
            name="mark_refunded",
            label=_("Mark refunded"),
            done=_("Marked refunded: %(objects)s."),
            apply=lambda r, actor, data: refund_mark_settled(
                refund=r, actor=actor, reference=data["reference"]
            ),
            form=RefundReferenceForm,
            available=lambda r: r.status == RefundStatus.DUE,
        ),
    )

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import NotAllowed, TransitionNotAllowed

from .models import (
    BulkOrder,
    CustomRequest,
    Payment,
    PaymentStatus,
    Quote,
    SampleRequest,
    StripeEvent,
    TrialOrder,
)
from .services.payments import payment_confirm_received


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff look, filter and act through actions; rows change only through the services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrialOrder)
class TrialOrderAdmin(ReadOnlyAdmin):
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
    list_filter = ["status"]
    search_fields = ["buyer__display_name", "factory__name", "product__title"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "trial", "provider", "status", "amount", "reference_code", "created_at"]
    list_filter = ["provider", "status"]
    search_fields = ["reference_code", "provider_reference"]
    actions = ["mark_received"]

    @admin.action(description=_("Mark bank transfer received"))
    def mark_received(self, request, queryset):
        done = 0
        for payment in queryset.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.PROCESSING]):
            try:
                payment_confirm_received(payment=payment, actor=request.user)
                done += 1
            except (ValidationError, NotAllowed, TransitionNotAllowed) as exc:
                self.message_user(request, f"{payment}: {getattr(exc, 'message', exc)}", messages.ERROR)
        self.message_user(request, _("%(n)d payment(s) marked received.") % {"n": done})


@admin.register(SampleRequest)
class SampleRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "buyer", "factory", "product", "created_at"]
    list_filter = ["status"]


@admin.register(CustomRequest)
class CustomRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "buyer", "factory", "quantity", "quotes_count", "deadline"]
    list_filter = ["status"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["id", "request", "factory", "unit_price", "moq", "status"]


@admin.register(BulkOrder)
class BulkOrderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "trial", "buyer", "factory", "quantity", "unit_price", "total", "created_at"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "created", "outcome", "payment"]
    list_filter = ["type", "outcome"]

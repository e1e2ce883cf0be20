"""大货 endpoints: the list and detail, one POST per transition, and paying what is due."""

import logging

import stripe
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers

from marketplace.api.idempotency import idempotent

from .. import selectors
from ..flows.bulk import REASON_MAX_LENGTH
from ..models import BulkStatus
from ..services import bulk, payments
from .base import ActionApi
from .serializers import BulkOrderOutputSerializer, PaymentOutputSerializer
from .trials import PayInput, PaymentProviderUnavailable, ShipInput

logger = logging.getLogger(__name__)


@extend_schema_view(get=extend_schema(tags=["bulk orders"]))
class BulkOrderListApi(generics.ListAPIView):
    """The caller's bulk orders, either side (staff: all); `?status=` narrows them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BulkOrderOutputSerializer

    def get_queryset(self):
        qs = selectors.bulk_order_visible_to(self.request.user)
        if self.request.query_params.get("status") in BulkStatus.values:
            qs = qs.filter(status=self.request.query_params["status"])
        return qs


@extend_schema_view(get=extend_schema(tags=["bulk orders"]))
class BulkOrderDetailApi(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BulkOrderOutputSerializer

    def get_queryset(self):
        return selectors.bulk_order_visible_to(self.request.user)


class _BulkAction(ActionApi):
    output_serializer = BulkOrderOutputSerializer

    def visible(self, user):
        return selectors.bulk_order_visible_to(user)

    def output(self, result, request):
        # Re-read through the selector: the response shows the payments as they are now.
        order = selectors.bulk_order_visible_to(request.user).get(pk=result.pk)
        return BulkOrderOutputSerializer(order, context={"request": request}).data


def _schema(input_serializer=None, output=BulkOrderOutputSerializer):
    return extend_schema_view(
        post=extend_schema(request=input_serializer, responses={200: output}, tags=["bulk orders"])
    )


class ConfirmInput(serializers.Serializer):
    delivery_date = serializers.DateField(help_text="The date the factory promises to deliver by.")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="")


class DisputeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


@_schema(ConfirmInput)
class BulkConfirmApi(_BulkAction):
    input_serializer = ConfirmInput

    def perform(self, order, user, data):
        return bulk.bulk_confirm(bulk=order, actor=user, delivery_date=data["delivery_date"])


@_schema(ReasonInput)
class BulkDeclineApi(_BulkAction):
    input_serializer = ReasonInput

    def perform(self, order, user, data):
        return bulk.bulk_decline(bulk=order, actor=user, reason=data["reason"])


@_schema(ReasonInput)
class BulkCancelApi(_BulkAction):
    input_serializer = ReasonInput

    def perform(self, order, user, data):
        return bulk.bulk_cancel(bulk=order, actor=user, reason=data["reason"])


@_schema()
class BulkStartProductionApi(_BulkAction):
    def perform(self, order, user, data):
        return bulk.bulk_start_production(bulk=order, actor=user)


@_schema(ShipInput)
class BulkShipApi(_BulkAction):
    input_serializer = ShipInput

    def perform(self, order, user, data):
        return bulk.bulk_ship(bulk=order, actor=user, **data)


@_schema()
class BulkReceiveApi(_BulkAction):
    def perform(self, order, user, data):
        return bulk.bulk_receive(bulk=order, actor=user)


@_schema()
class BulkCompleteApi(_BulkAction):
    def perform(self, order, user, data):
        return bulk.bulk_complete(bulk=order, actor=user)


@_schema(DisputeInput)
class BulkDisputeApi(_BulkAction):
    input_serializer = DisputeInput

    def perform(self, order, user, data):
        return bulk.bulk_dispute(bulk=order, actor=user, reason=data["reason"])


@_schema()
class BulkResumeApi(_BulkAction):
    def perform(self, order, user, data):
        return bulk.bulk_resume(bulk=order, actor=user)


@_schema(ReasonInput)
class BulkCancelWithRefundApi(_BulkAction):
    input_serializer = ReasonInput

    def perform(self, order, user, data):
        return bulk.bulk_cancel_with_refund(bulk=order, actor=user, reason=data["reason"])


class BulkPayOutput(serializers.Serializer):
    payment = PaymentOutputSerializer()
    bulk_order = BulkOrderOutputSerializer()


@_schema(PayInput, BulkPayOutput)
class BulkPayApi(_BulkAction):
    """The buyer pays what is due: the deposit (confirmed) or the balance (received)."""

    input_serializer = PayInput

    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, order, user, data):
        try:
            return payments.bulk_payment_start(bulk=order, actor=user, provider=data.get("provider"))
        except stripe.StripeError as exc:
            logger.warning("Stripe refused or unreachable for bulk order %s: %s", order.pk, exc)
            raise PaymentProviderUnavailable() from exc

    def output(self, payment, request):
        order = selectors.bulk_order_visible_to(request.user).get(pk=payment.bulk_order_id)
        return {
            "payment": PaymentOutputSerializer(payment).data,
            "bulk_order": BulkOrderOutputSerializer(order, context={"request": request}).data,
        }

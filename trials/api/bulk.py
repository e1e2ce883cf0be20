"""大货 endpoints: the list and detail, one POST per transition, and paying what is due."""

import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

import stripe
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.accounts.models import User
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import caller

from .. import selectors
from ..flows.bulk import REASON_MAX_LENGTH
from ..models import BulkOrder, BulkStatus, Payment
from ..services import bulk, payments
from .base import ActionApi, Result
from .serializers import BulkOrderOutputSerializer, PaymentOutputSerializer
from .trials import PayInput, PaymentProviderUnavailable, ShipInput

logger = logging.getLogger(__name__)


@extend_schema_view(get=extend_schema(tags=["bulk orders"]))
class BulkOrderListApi(generics.ListAPIView):
    """The caller's bulk orders, either side (staff: all); `?status=` narrows them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BulkOrderOutputSerializer

    def get_queryset(self) -> QuerySet[BulkOrder]:
        qs = selectors.bulk_order_visible_to(caller(self.request))
        if self.request.query_params.get("status") in BulkStatus.values:
            qs = qs.filter(status=self.request.query_params["status"])
        return qs


@extend_schema_view(get=extend_schema(tags=["bulk orders"]))
class BulkOrderDetailApi(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BulkOrderOutputSerializer

    def get_queryset(self) -> QuerySet[BulkOrder]:
        return selectors.bulk_order_visible_to(caller(self.request))


class _BulkAction(ActionApi[BulkOrder, Result]):
    output_serializer = BulkOrderOutputSerializer

    def visible(self, user: User) -> QuerySet[BulkOrder]:
        return selectors.bulk_order_visible_to(user)

    def output(self, result: Result, request: Request) -> dict[str, Any]:
        # Re-read through the selector: the response shows the payments as they are now.
        order = selectors.bulk_order_visible_to(caller(request)).get(pk=result.pk)
        return BulkOrderOutputSerializer(order, context={"request": request}).data


View = TypeVar("View", bound=type[ActionApi[Any, Any]])


def _schema(
    input_serializer: type[serializers.Serializer] | None = None,
    output: type[serializers.Serializer] = BulkOrderOutputSerializer,
) -> Callable[[View], View]:
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
class BulkConfirmApi(_BulkAction[BulkOrder]):
    input_serializer = ConfirmInput

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_confirm(bulk=order, actor=user, delivery_date=data["delivery_date"])


@_schema(ReasonInput)
class BulkDeclineApi(_BulkAction[BulkOrder]):
    input_serializer = ReasonInput

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_decline(bulk=order, actor=user, reason=data["reason"])


@_schema(ReasonInput)
class BulkCancelApi(_BulkAction[BulkOrder]):
    input_serializer = ReasonInput

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_cancel(bulk=order, actor=user, reason=data["reason"])


@_schema()
class BulkStartProductionApi(_BulkAction[BulkOrder]):
    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_start_production(bulk=order, actor=user)


@_schema(ShipInput)
class BulkShipApi(_BulkAction[BulkOrder]):
    input_serializer = ShipInput

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_ship(bulk=order, actor=user, **data)


@_schema()
class BulkReceiveApi(_BulkAction[BulkOrder]):
    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_receive(bulk=order, actor=user)


@_schema()
class BulkCompleteApi(_BulkAction[BulkOrder]):
    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_complete(bulk=order, actor=user)


@_schema(DisputeInput)
class BulkDisputeApi(_BulkAction[BulkOrder]):
    input_serializer = DisputeInput

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_dispute(bulk=order, actor=user, reason=data["reason"])


@_schema()
class BulkResumeApi(_BulkAction[BulkOrder]):
    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_resume(bulk=order, actor=user)


@_schema(ReasonInput)
class BulkCancelWithRefundApi(_BulkAction[BulkOrder]):
    input_serializer = ReasonInput

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return bulk.bulk_cancel_with_refund(bulk=order, actor=user, reason=data["reason"])


class BulkPayOutput(serializers.Serializer):
    payment = PaymentOutputSerializer()
    bulk_order = BulkOrderOutputSerializer()


@_schema(PayInput, BulkPayOutput)
class BulkPayApi(_BulkAction[Payment]):
    """The buyer pays what is due: the deposit (confirmed) or the balance (received)."""

    input_serializer = PayInput

    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, order: BulkOrder, user: User, data: dict[str, Any]) -> Payment:
        try:
            return payments.bulk_payment_start(bulk=order, actor=user, provider=data.get("provider"))
        except stripe.StripeError as exc:
            logger.warning("Stripe refused or unreachable for bulk order %s: %s", order.pk, exc)
            raise PaymentProviderUnavailable() from exc

    def output(self, payment: Payment, request: Request) -> dict[str, Any]:
        order_id = cast(
            int, payment.bulk_order_id
        )  # nullable (a trial's payment has none); bulk_payment_start set it
        order = selectors.bulk_order_visible_to(caller(request)).get(pk=order_id)
        return {
            "payment": PaymentOutputSerializer(payment).data,
            "bulk_order": BulkOrderOutputSerializer(order, context={"request": request}).data,
        }

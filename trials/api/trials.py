import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

import stripe
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.accounts.models import User
from marketplace.api.fields import SingleLineField, count_field, quantity_field
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsBuyerUser, caller

from .. import selectors
from ..models import BulkOrder, Payment, PaymentProvider, TrialOrder, TrialStatus
from ..services import payments, trials
from .base import ActionApi, Result
from .serializers import (
    BulkOrderOutputSerializer,
    PaymentOutputSerializer,
    TrialOutputSerializer,
    address_field,
)

logger = logging.getLogger(__name__)


class TrialListCreateApi(generics.GenericAPIView):
    serializer_class = TrialOutputSerializer
    queryset = TrialOrder.objects.none()  # for the schema; reads go through selectors

    class InputSerializer(serializers.Serializer):
        product = serializers.IntegerField()
        # Only the upper bound here: the service says "Choose between 1 and N units" for the rest.
        quantity = quantity_field(min_value=None)
        address = address_field()

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsBuyerUser()]
        return [permissions.IsAuthenticated()]

    @extend_schema(responses=TrialOutputSerializer(many=True), tags=["trials"])
    def get(self, request: Request) -> Response:
        qs = selectors.trial_visible_to(caller(request))
        if request.query_params.get("status") in TrialStatus.values:
            qs = qs.filter(status=request.query_params["status"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            TrialOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=InputSerializer, responses={201: TrialOutputSerializer}, tags=["trials"])
    @idempotent
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        trial = trials.trial_create(
            actor=caller(request),
            product_id=data.validated_data["product"],
            quantity=data.validated_data["quantity"],
            address=data.validated_data.get("address"),
        )
        return Response(
            TrialOutputSerializer(trial, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class TrialDetailApi(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TrialOutputSerializer

    def get_queryset(self) -> QuerySet[TrialOrder]:
        return selectors.trial_visible_to(caller(self.request))


class _TrialAction(ActionApi[TrialOrder, Result]):
    output_serializer: type[serializers.Serializer] = TrialOutputSerializer

    def visible(self, user: User) -> QuerySet[TrialOrder]:
        return selectors.trial_visible_to(user)


View = TypeVar("View", bound=type[ActionApi[Any, Any]])


def _schema(
    input_serializer: type[serializers.Serializer] | None = None,
    output: type[serializers.Serializer] = TrialOutputSerializer,
    code: int = 200,
) -> Callable[[View], View]:
    return extend_schema_view(
        post=extend_schema(request=input_serializer, responses={code: output}, tags=["trials"])
    )


@_schema()
class TrialAcceptApi(_TrialAction[TrialOrder]):
    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_accept(trial=trial, actor=user)


@_schema()
class TrialDeclineApi(_TrialAction[TrialOrder]):
    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_decline(trial=trial, actor=user)


@_schema()
class TrialCancelApi(_TrialAction[TrialOrder]):
    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_cancel(trial=trial, actor=user)


class ShipInput(serializers.Serializer):
    carrier = SingleLineField(max_length=60, required=False, allow_blank=True, default="")
    tracking_number = SingleLineField(max_length=60, required=False, allow_blank=True, default="")


@_schema(ShipInput)
class TrialShipApi(_TrialAction[TrialOrder]):
    input_serializer = ShipInput

    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_ship(trial=trial, actor=user, **data)


@_schema()
class TrialReceiveApi(_TrialAction[TrialOrder]):
    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_receive(trial=trial, actor=user)


class FeedbackInput(serializers.Serializer):
    units_sold = count_field()
    units_returned = count_field()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


@_schema(FeedbackInput)
class TrialFeedbackApi(_TrialAction[TrialOrder]):
    input_serializer = FeedbackInput

    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_feedback(trial=trial, actor=user, **data)


@_schema()
class TrialEndApi(_TrialAction[TrialOrder]):
    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> TrialOrder:
        return trials.trial_end(trial=trial, actor=user)


class ConvertInput(serializers.Serializer):
    quantity = quantity_field()
    address = address_field()


@_schema(ConvertInput, BulkOrderOutputSerializer, 201)
class TrialConvertApi(_TrialAction[BulkOrder]):
    input_serializer = ConvertInput
    output_serializer = BulkOrderOutputSerializer
    status_code = status.HTTP_201_CREATED

    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> BulkOrder:
        return trials.trial_convert(
            trial=trial, actor=user, quantity=data["quantity"], address=data.get("address")
        )


class PayInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=PaymentProvider.values, required=False)


class PayOutput(serializers.Serializer):
    payment = PaymentOutputSerializer()
    trial = TrialOutputSerializer()


class PaymentProviderUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The payment service is unavailable right now; please try again in a moment.")
    default_code = "payment_provider_unavailable"


@_schema(PayInput, PayOutput)
class TrialPayApi(_TrialAction[Payment]):
    input_serializer = PayInput

    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, trial: TrialOrder, user: User, data: dict[str, Any]) -> Payment:
        try:
            return payments.payment_start(trial=trial, actor=user, provider=data.get("provider"))
        except stripe.StripeError as exc:
            # Nothing was written (the attempt rolls back with the failed call); the buyer retries.
            logger.warning("Stripe refused or unreachable for trial %s: %s", trial.pk, exc)
            raise PaymentProviderUnavailable() from exc

    def output(self, payment: Payment, request: Request) -> dict[str, Any]:
        trial_id = cast(
            int, payment.trial_id
        )  # nullable (a bulk order's payment has none); payment_start set it
        trial = selectors.trial_visible_to(caller(request)).get(pk=trial_id)
        return {
            "payment": PaymentOutputSerializer(payment).data,
            "trial": TrialOutputSerializer(trial, context={"request": request}).data,
        }

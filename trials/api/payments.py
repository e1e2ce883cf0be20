import json
import logging
from typing import Any

import stripe
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import IsStaffUser, caller

from ..models import Payment
from ..services import payments
from .serializers import PaymentOutputSerializer

logger = logging.getLogger(__name__)

# Stripe's `created` is a Unix time; bounded so datetime.fromtimestamp can never overflow.
MAX_UNIX_TIME = 2**32


class StripeIntentShape(serializers.Serializer):
    """The parts of `data.object` the payment service reads; other objects pass through untouched."""

    id = serializers.CharField(max_length=255)
    object = serializers.CharField(max_length=64)
    amount = serializers.IntegerField(min_value=0, max_value=10**12, required=False, allow_null=True)
    currency = serializers.CharField(max_length=8, required=False, allow_null=True)


class StripeEventShape(serializers.Serializer):
    """A signed event must still have the shape the service relies on, or it changes nothing."""

    id = serializers.CharField(max_length=255)
    type = serializers.CharField(max_length=64)
    created = serializers.IntegerField(min_value=0, max_value=MAX_UNIX_TIME)
    data = serializers.DictField()  # type: ignore[assignment]  # Stripe's field name; Serializer.data is the output

    def validate_data(self, value: dict[str, Any]) -> dict[str, Any]:
        intent = value.get("object")
        if not isinstance(intent, dict):
            raise serializers.ValidationError(_("Missing object."))
        if intent.get("object") == "payment_intent":
            StripeIntentShape(data=intent).is_valid(raise_exception=True)
        return value


MALFORMED_EVENT = _("Malformed Stripe event.")


class StripeWebhookApi(APIView):
    """Stripe calls this; the signature over the raw body is the only authentication."""

    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={200: None, 400: None}, tags=["payments"])
    def post(self, request: Request) -> Response:
        try:
            # Only the signature here: building Stripe's event objects could crash on odd JSON.
            stripe.WebhookSignature.verify_header(
                request.body.decode("utf-8", errors="replace"),
                request.headers.get("Stripe-Signature"),
                settings.STRIPE_WEBHOOK_SECRET,
                stripe.Webhook.DEFAULT_TOLERANCE,
            )
        except stripe.SignatureVerificationError:
            return Response({"detail": "Invalid signature."}, status=status.HTTP_400_BAD_REQUEST)
        # Handle the verified payload as plain JSON: the service needs no Stripe object types.
        shape = StripeEventShape(data=json_object(request.body))
        if not shape.is_valid():
            logger.warning("Stripe webhook: signed but malformed event %s", shape.errors)
            return Response({"detail": MALFORMED_EVENT}, status=status.HTTP_400_BAD_REQUEST)
        outcome = payments.stripe_event_handle(event=shape.initial_data)
        return Response({"outcome": outcome})


def json_object(body: bytes) -> dict[str, Any] | None:
    """The body Stripe signed, decoded; anything but a JSON object is None (which the shape refuses)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


class PaymentConfirmApi(APIView):
    """Staff: the bank transfer arrived (the same service as the admin action)."""

    permission_classes = [permissions.IsAuthenticated, IsStaffUser]

    @extend_schema(request=None, responses=PaymentOutputSerializer, tags=["payments"])
    def post(self, request: Request, pk: int) -> Response:
        payment = get_object_or_404(Payment, pk=pk)
        payment = payments.payment_confirm_received(payment=payment, actor=caller(request))
        return Response(PaymentOutputSerializer(payment).data)

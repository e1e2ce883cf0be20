import json

import stripe
from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import IsStaffUser

from ..models import Payment
from ..services import payments
from .serializers import PaymentOutputSerializer


class StripeWebhookApi(APIView):
    """Stripe calls this; the signature over the raw body is the only authentication."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={200: None, 400: None}, tags=["payments"])
    def post(self, request):
        try:
            stripe.Webhook.construct_event(
                request.body, request.headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
            )
        except (ValueError, stripe.SignatureVerificationError):
            return Response({"detail": "Invalid signature."}, status=status.HTTP_400_BAD_REQUEST)
        # Handle the verified payload as plain JSON: the service needs no Stripe object types.
        outcome = payments.stripe_event_handle(event=json.loads(request.body))
        return Response({"outcome": outcome})


class PaymentConfirmApi(APIView):
    """Staff: the bank transfer arrived (the same service as the admin action)."""

    permission_classes = [permissions.IsAuthenticated, IsStaffUser]

    @extend_schema(request=None, responses=PaymentOutputSerializer, tags=["payments"])
    def post(self, request, pk):
        payment = get_object_or_404(Payment, pk=pk)
        payment = payments.payment_confirm_received(payment=payment, actor=request.user)
        return Response(PaymentOutputSerializer(payment).data)

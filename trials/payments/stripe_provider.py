import contextlib
from typing import Any

import stripe
from django.conf import settings

from marketplace.money import to_fen

from ..models import Payment, PaymentProvider, Refund
from .base import Provider


def stripe_client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    # (BaseAddresses is a TypedDict of these same keys; the SDK does not export its name.)
    return stripe.StripeClient(settings.STRIPE_API_KEY, base_addresses=base, max_network_retries=2)  # type: ignore[arg-type]


class StripeProvider(Provider):
    """One PaymentIntent per attempt, in fen, CNY. Our own `idempotency_key` (unique per attempt)
    is also sent to Stripe, but we don't rely on it: localstripe ignores it, and the service
    reuses an attempt that already has its PaymentIntent."""

    code = PaymentProvider.STRIPE

    def start(self, payment: Payment) -> list[str]:
        intent = stripe_client().v1.payment_intents.create(
            params={
                "amount": to_fen(payment.amount),
                "currency": payment.currency.lower(),
                "payment_method_types": ["card"],  # type: ignore[typeddict-unknown-key]  # localstripe needs it
                "metadata": {
                    "payment_id": str(payment.pk),
                    "trial_id": str(payment.trial_id or ""),
                    "bulk_order_id": str(payment.bulk_order_id or ""),
                    "purpose": payment.purpose,
                    "idempotency_key": payment.idempotency_key,
                },
            },
            options={"idempotency_key": payment.idempotency_key},
        )
        payment.provider_reference = intent.id
        payment.client_secret = intent.client_secret or ""
        return ["provider_reference", "client_secret"]

    def details(self, payment: Payment) -> dict[str, Any]:
        return {"client_secret": payment.client_secret, "payment_intent": payment.provider_reference}

    def cancel(self, payment: Payment) -> None:
        if payment.provider_reference:
            # Already succeeded or canceled at Stripe: its webhook tells us which.
            with contextlib.suppress(stripe.StripeError):
                stripe_client().v1.payment_intents.cancel(payment.provider_reference)

    def refund(self, payment: Payment, refund: Refund) -> str:
        client = stripe_client()
        # Stripe deduplicates by the idempotency key for 24 h; localstripe ignores it. Either way a
        # refund made just before we crashed carries our key in its metadata: adopt it.
        made = client.v1.refunds.list(params={"payment_intent": payment.provider_reference, "limit": 100})  # type: ignore[arg-type]
        for existing in made.data:
            metadata = existing.metadata.to_dict() if existing.metadata else {}
            if metadata.get("idempotency_key") == refund.idempotency_key:
                return existing.id
        created = client.v1.refunds.create(
            params={  # type: ignore[arg-type]  # the SDK's TypedDict; provider_reference is set by now
                "payment_intent": payment.provider_reference,
                "amount": to_fen(refund.amount),
                "metadata": {
                    "payment_id": str(payment.pk),
                    "refund_id": str(refund.pk),
                    "idempotency_key": refund.idempotency_key,
                },
            },
            options={"idempotency_key": refund.idempotency_key},
        )
        return created.id

"""The trials app's objects as sources of partner webhooks (partners/webhooks/sources.py): the
public kind of each and the streamer it concerns, so an organization working for that streamer
hears of its events."""

from partners.webhooks.sources import webhook_source_register

from .models import BulkOrder, CustomRequest, Payment, Quote, SampleRequest, TrialOrder


def _payment_buyer(payment: Payment) -> int | None:
    order = payment.trial or payment.bulk_order
    return order.buyer_id if order is not None else None


def register() -> None:
    webhook_source_register(TrialOrder, kind="trial", buyer_of=lambda trial: trial.buyer_id)
    # A bulk order is a trial's sequel: `trial.bulk.<what happened>`, under the trial.* pattern.
    webhook_source_register(BulkOrder, kind="trial.bulk", buyer_of=lambda order: order.buyer_id)
    webhook_source_register(SampleRequest, kind="sample", buyer_of=lambda sample: sample.buyer_id)
    webhook_source_register(CustomRequest, kind="custom_request", buyer_of=lambda request: request.buyer_id)
    webhook_source_register(Quote, kind="quote", buyer_of=lambda quote: quote.request.buyer_id)
    webhook_source_register(Payment, kind="payment", buyer_of=_payment_buyer)

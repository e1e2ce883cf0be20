"""What counts, in trials, as a streamer and a factory having agreed to talk (so each may see the
other's contact details in their conversation: conversations/agreements.py).

"An accepted request" here is a deal that both sides said yes to — one side asked and the other
accepted — and that was not called off:
- a 50%-off trial the factory accepted (accepted and every later state; not requested, declined,
  cancelled or expired): the factory is about to ship to this streamer;
- a sample the factory accepted (accepted, shipped, received);
- a custom request's quote the streamer accepted (the factory offered, the streamer took it);
- a bulk order the factory confirmed (confirmed and later, disputes included).
A request still waiting (a requested trial, a quote not yet chosen) is one-sided: contact stays
hidden, which keeps factories and streamers from being harvested by whoever sends requests.
"""

from conversations.agreements import agreement_provider_register

from .models import (
    BulkOrder,
    BulkStatus,
    Quote,
    QuoteStatus,
    SampleRequest,
    SampleStatus,
    TrialOrder,
    TrialStatus,
)

TRIAL_AGREED = [
    TrialStatus.ACCEPTED,
    TrialStatus.PAID,
    TrialStatus.SHIPPED,
    TrialStatus.IN_TRIAL,
    TrialStatus.FEEDBACK_SUBMITTED,
    TrialStatus.CONVERTED,
    TrialStatus.ENDED,
]
SAMPLE_AGREED = [SampleStatus.ACCEPTED, SampleStatus.SHIPPED, SampleStatus.RECEIVED]
BULK_NOT_AGREED = [BulkStatus.PLACED, BulkStatus.DECLINED, BulkStatus.CANCELLED]


def _trial(buyer_id: int, factory_id: int) -> bool:
    return TrialOrder.objects.filter(
        buyer_id=buyer_id, factory_id=factory_id, status__in=TRIAL_AGREED
    ).exists()


def _sample(buyer_id: int, factory_id: int) -> bool:
    return SampleRequest.objects.filter(
        buyer_id=buyer_id, factory_id=factory_id, status__in=SAMPLE_AGREED
    ).exists()


def _quote(buyer_id: int, factory_id: int) -> bool:
    return Quote.objects.filter(
        request__buyer_id=buyer_id, factory_id=factory_id, status=QuoteStatus.ACCEPTED
    ).exists()


def _bulk(buyer_id: int, factory_id: int) -> bool:
    return (
        BulkOrder.objects.filter(buyer_id=buyer_id, factory_id=factory_id)
        .exclude(status__in=BULK_NOT_AGREED)
        .exists()
    )


def register() -> None:
    agreement_provider_register("trial", _trial)
    agreement_provider_register("sample", _sample)
    agreement_provider_register("quote", _quote)
    agreement_provider_register("bulk_order", _bulk)

from .custom import CustomRequest, CustomRequestMessage, CustomRequestOffer, CustomStatus, Quote, QuoteStatus
from .payment import Payment, PaymentProvider, PaymentStatus, Refund, RefundStatus, StripeEvent
from .sample import SampleRequest, SampleStatus
from .trial import OPEN_TRIAL_STATUSES, BulkOrder, TrialOrder, TrialStatus

__all__ = [
    "OPEN_TRIAL_STATUSES",
    "BulkOrder",
    "CustomRequest",
    "CustomRequestMessage",
    "CustomRequestOffer",
    "CustomStatus",
    "Payment",
    "PaymentProvider",
    "PaymentStatus",
    "Quote",
    "QuoteStatus",
    "Refund",
    "RefundStatus",
    "SampleRequest",
    "SampleStatus",
    "StripeEvent",
    "TrialOrder",
    "TrialStatus",
]

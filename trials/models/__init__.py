from .bulk import CLOSED_BULK_STATUSES, DISPUTABLE_STATUSES, BulkOrder, BulkStatus
from .custom import CustomRequest, CustomRequestOffer, CustomStatus, Quote, QuoteStatus
from .payment import (
    Payment,
    PaymentProvider,
    PaymentPurpose,
    PaymentStatus,
    Refund,
    RefundStatus,
    StripeEvent,
)
from .sample import SampleRequest, SampleStatus
from .trial import OPEN_TRIAL_STATUSES, TrialOrder, TrialStatus

__all__ = [
    "CLOSED_BULK_STATUSES",
    "DISPUTABLE_STATUSES",
    "OPEN_TRIAL_STATUSES",
    "BulkOrder",
    "BulkStatus",
    "CustomRequest",
    "CustomRequestOffer",
    "CustomStatus",
    "Payment",
    "PaymentProvider",
    "PaymentPurpose",
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

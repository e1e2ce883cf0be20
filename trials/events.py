"""Every event verb the trials app records (see factories/events.py), in the past tense like
every event: what happened, not what was asked. A state change's event holds `from` and `to`;
the flow table's `events` names the verb of each of its transitions. The notification a
transition sends is of the same kind (marketplace/notifications/messages.py)."""


class TrialEvents:
    REQUESTED = "trial.requested"
    REMINDED = "trial.reminded"
    # State changes (trials/flows/trial.py)
    ACCEPTED = "trial.accepted"
    DECLINED = "trial.declined"
    CANCELLED = "trial.cancelled"
    EXPIRED = "trial.expired"
    PAID = "trial.paid"
    SHIPPED = "trial.shipped"
    RECEIVED = "trial.received"
    FEEDBACK_SUBMITTED = "trial.feedback_submitted"
    CONVERTED = "trial.converted"
    ENDED = "trial.ended"
    ENDED_UNREPORTED = "trial.ended_unreported"
    CANCELLED_WITH_REFUND = "trial.cancelled_with_refund"  # staff, a paid trial never shipped


class SampleEvents:
    REQUESTED = "sample.requested"
    # State changes (trials/flows/sample.py)
    ACCEPTED = "sample.accepted"
    DECLINED = "sample.declined"
    CANCELLED = "sample.cancelled"
    EXPIRED = "sample.expired"
    SHIPPED = "sample.shipped"
    RECEIVED = "sample.received"


class CustomEvents:
    REQUESTED = "custom.requested"
    QUOTED = "custom.quoted"
    # State changes (trials/flows/custom.py)
    CLOSED = "custom.closed"
    ACCEPTED = "custom.accepted"
    CANCELLED = "custom.cancelled"


class BulkEvents:
    CREATED = "bulk.created"
    REMINDED = "bulk.reminded"
    # State changes (trials/flows/bulk.py)
    CONFIRMED = "bulk.confirmed"
    DECLINED = "bulk.declined"
    DEPOSIT_PAID = "bulk.deposit_paid"
    CANCELLED = "bulk.cancelled"
    LAPSED = "bulk.lapsed"
    PRODUCTION_STARTED = "bulk.production_started"
    SHIPPED = "bulk.shipped"
    RECEIVED = "bulk.received"
    BALANCE_PAID = "bulk.balance_paid"
    COMPLETED = "bulk.completed"
    DISPUTED = "bulk.disputed"
    RESUMED = "bulk.resumed"
    CANCELLED_WITH_REFUND = "bulk.cancelled_with_refund"


class PaymentEvents:
    """Recorded on the payment, except STARTED, NEEDS_REFUND and AMOUNT_MISMATCH: on its order."""

    STARTED = "payment.started"
    NEEDS_REFUND = "payment.needs_refund"
    AMOUNT_MISMATCH = "payment.amount_mismatch"
    # State changes (trials/flows/payment.py)
    PROCESSING_STARTED = "payment.processing_started"
    FAILED = "payment.failed"
    EXPIRED = "payment.expired"  # staff: pending too long, the buyer may pay again
    SUCCEEDED = "payment.succeeded"
    CANCELLED = "payment.cancelled"
    REFUNDED = "payment.refunded"

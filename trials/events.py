"""Every event verb the trials app records (see factories/events.py). A state change's event
holds `from` and `to`; its verb is the transition's, named in the flow table's `events`."""


class TrialEvents:
    REQUESTED = "trial.requested"
    REMINDED = "trial.reminded"
    # State changes (trials/flows/trial.py)
    ACCEPT = "trial.accept"
    DECLINE = "trial.decline"
    CANCEL = "trial.cancel"
    EXPIRE = "trial.expire"
    MARK_PAID = "trial.mark_paid"
    SHIP = "trial.ship"
    RECEIVE = "trial.receive"
    FEEDBACK = "trial.feedback"
    CONVERT = "trial.convert"
    END = "trial.end"
    END_UNREPORTED = "trial.end_unreported"


class SampleEvents:
    REQUESTED = "sample.requested"
    # State changes (trials/flows/sample.py)
    ACCEPT = "sample.accept"
    DECLINE = "sample.decline"
    CANCEL = "sample.cancel"
    EXPIRE = "sample.expire"
    SHIP = "sample.ship"
    RECEIVE = "sample.receive"


class CustomEvents:
    REQUESTED = "custom.requested"
    QUOTED = "custom.quoted"
    # State changes (trials/flows/custom.py)
    CLOSE = "custom.close"
    ACCEPT = "custom.accept"
    CANCEL = "custom.cancel"


class BulkEvents:
    CREATED = "bulk_order.created"
    REMINDED = "bulk.reminded"
    # State changes (trials/flows/bulk.py)
    CONFIRM = "bulk.confirm"
    DECLINE = "bulk.decline"
    MARK_DEPOSIT_PAID = "bulk.mark_deposit_paid"
    CANCEL = "bulk.cancel"
    LAPSE = "bulk.lapse"
    START_PRODUCTION = "bulk.start_production"
    SHIP = "bulk.ship"
    RECEIVE = "bulk.receive"
    MARK_BALANCE_PAID = "bulk.mark_balance_paid"
    COMPLETE = "bulk.complete"
    DISPUTE = "bulk.dispute"
    RESUME = "bulk.resume"
    CANCEL_WITH_REFUND = "bulk.cancel_with_refund"


class PaymentEvents:
    """Recorded on the payment, except STARTED, NEEDS_REFUND and AMOUNT_MISMATCH: on its order."""

    STARTED = "payment.started"
    NEEDS_REFUND = "payment.needs_refund"
    AMOUNT_MISMATCH = "payment.amount_mismatch"
    # State changes (trials/flows/payment.py)
    PROCESS = "payment.process"
    FAIL = "payment.fail"
    SUCCEED = "payment.succeed"
    CANCEL = "payment.cancel"
    REFUND = "payment.refund"

"""What the notifications of trials, bulk orders, samples, custom requests and payments say.

English source strings, translated through gettext; registered with marketplace.notifications from
the app's ready(), so the notifications app (core) knows no app's verbs. `data` always carries `ref`
and `title`; the other placeholders are those the texts name.
"""

from django.utils.translation import gettext_lazy as _

NOTIFICATION_TEXTS = {
    # trials
    "trial.requested": (
        _("New 50%%-off trial request: %(title)s"),
        _(
            "%(buyer)s asks for a trial of %(quantity)s units of %(title)s (%(ref)s). Please answer within 72 hours."
        ),
    ),
    "trial.accepted": (
        _("Trial accepted: %(title)s"),
        _("%(factory)s accepted your trial %(ref)s. Pay %(total)s to start it."),
    ),
    "trial.declined": (_("Trial declined: %(title)s"), _("%(factory)s declined your trial %(ref)s.")),
    "trial.cancelled": (_("Trial cancelled: %(title)s"), _("%(buyer)s cancelled trial %(ref)s.")),
    "trial.expired": (
        _("Trial request expired: %(title)s"),
        _("Trial %(ref)s expired because the factory did not answer within 72 hours."),
    ),
    "trial.paid": (
        _("Trial paid: %(title)s"),
        _("Trial %(ref)s is paid (%(total)s). Please ship the goods."),
    ),
    "trial.shipped": (
        _("Trial shipped: %(title)s"),
        _("Trial %(ref)s was shipped with %(carrier)s, tracking number %(tracking_number)s."),
    ),
    "trial.received": (
        _("Trial started: %(title)s"),
        _("%(buyer)s received trial %(ref)s; the trial window is open."),
    ),
    "trial.reminder": (
        _("Report your trial results: %(title)s"),
        _("The window of trial %(ref)s ends in 3 days. Please report units sold, returns and your rating."),
    ),
    "trial.feedback_submitted": (
        _("Trial feedback: %(title)s"),
        _(
            "%(buyer)s reported on trial %(ref)s: %(units_sold)s sold, %(units_returned)s returned, rating %(rating)s/5."
        ),
    ),
    "trial.converted": (
        _("Bulk order placed: %(title)s"),
        _("%(buyer)s ordered %(bulk_quantity)s units after trial %(ref)s (total %(bulk_total)s)."),
    ),
    "trial.ended": (_("Trial ended: %(title)s"), _("Trial %(ref)s has ended without a bulk order.")),
    "trial.ended_unreported": (
        _("Trial closed without feedback: %(title)s"),
        _("Trial %(ref)s was closed: no results were reported within 14 days of the end of its window."),
    ),
    "trial.cancelled_with_refund": (
        _("Trial cancelled by staff: %(title)s"),
        _(
            "Staff cancelled trial %(ref)s, which was paid but not shipped: %(reason)s The payment is being refunded."
        ),
    ),
    # bulk orders (大货)
    "bulk.confirmed": (
        _("Bulk order confirmed: %(title)s"),
        _(
            "%(factory)s confirmed bulk order %(ref)s and promises delivery by %(delivery_date)s. Pay the deposit of %(deposit)s so production can start."
        ),
    ),
    "bulk.declined": (
        _("Bulk order declined: %(title)s"),
        _("%(factory)s declined bulk order %(ref)s. Reason: %(reason)s"),
    ),
    "bulk.cancelled": (
        _("Bulk order cancelled: %(title)s"),
        _("Bulk order %(ref)s was cancelled. %(reason)s"),
    ),
    "bulk.lapsed": (
        _("Bulk order lapsed: %(title)s"),
        _(
            "Bulk order %(ref)s was cancelled because it was not confirmed or its deposit was not paid in time."
        ),
    ),
    "bulk.deposit_paid": (
        _("Deposit paid: %(title)s"),
        _("The deposit of %(deposit)s for bulk order %(ref)s has arrived; production can start."),
    ),
    "bulk.production_started": (
        _("In production: %(title)s"),
        _("%(factory)s started producing bulk order %(ref)s (delivery promised by %(delivery_date)s)."),
    ),
    "bulk.shipped": (
        _("Bulk order shipped: %(title)s"),
        _("Bulk order %(ref)s was shipped with %(carrier)s, tracking number %(tracking_number)s."),
    ),
    "bulk.received": (
        _("Bulk order received: %(title)s"),
        _("%(buyer)s received bulk order %(ref)s; the balance of %(balance)s is due now."),
    ),
    "bulk.balance_paid": (
        _("Balance paid: %(title)s"),
        _("The balance of %(balance)s for bulk order %(ref)s has arrived."),
    ),
    "bulk.completed": (_("Bulk order completed: %(title)s"), _("Bulk order %(ref)s is complete.")),
    "bulk.disputed": (
        _("Dispute opened: %(title)s"),
        _("A dispute was opened on bulk order %(ref)s; staff will look at it. Reason: %(reason)s"),
    ),
    "bulk.resumed": (
        _("Dispute settled: %(title)s"),
        _("Staff settled the dispute on bulk order %(ref)s; the order goes on from where it stood."),
    ),
    "bulk.cancelled_with_refund": (
        _("Bulk order cancelled after a dispute: %(title)s"),
        _("Staff cancelled bulk order %(ref)s; what the buyer paid is being refunded."),
    ),
    "bulk.remind.placed": (
        _("Please confirm bulk order %(ref)s"),
        _(
            "%(buyer)s ordered %(quantity)s units of %(title)s (%(total)s). Confirm it with a delivery date or decline it; unconfirmed orders are cancelled after 7 days."
        ),
    ),
    "bulk.remind.confirmed": (
        _("Deposit due for bulk order %(ref)s"),
        _(
            "Pay the deposit of %(deposit)s so %(factory)s can start production; an unpaid order is cancelled 14 days after its confirmation."
        ),
    ),
    "bulk.remind.in_production": (
        _("Delivery date passed: %(ref)s"),
        _(
            "You promised to deliver bulk order %(ref)s by %(delivery_date)s. Ship it, or tell the buyer when it will leave."
        ),
    ),
    "bulk.remind.shipped": (
        _("Has bulk order %(ref)s arrived?"),
        _(
            "Bulk order %(ref)s was shipped with %(carrier)s (%(tracking_number)s). Confirm receipt when it arrives."
        ),
    ),
    "bulk.remind.received": (
        _("Balance due for bulk order %(ref)s"),
        _("You received bulk order %(ref)s; please pay the balance of %(balance)s."),
    ),
    # samples
    "sample.requested": (
        _("Sample request: %(title)s"),
        _("%(buyer)s asks for a sample of %(title)s (%(ref)s). Please decide within 7 days."),
    ),
    "sample.accepted": (_("Sample accepted: %(title)s"), _("%(factory)s will send you a sample (%(ref)s).")),
    "sample.declined": (_("Sample declined: %(title)s"), _("%(factory)s declined sample %(ref)s.")),
    "sample.shipped": (
        _("Sample shipped: %(title)s"),
        _("Sample %(ref)s was shipped with %(carrier)s, tracking number %(tracking_number)s."),
    ),
    "sample.received": (_("Sample received: %(title)s"), _("%(buyer)s received sample %(ref)s.")),
    "sample.cancelled": (_("Sample request cancelled: %(title)s"), _("%(buyer)s cancelled sample %(ref)s.")),
    "sample.expired": (
        _("Sample request expired: %(title)s"),
        _("Sample %(ref)s expired because the factory did not decide within 7 days."),
    ),
    # custom products
    "custom.offered": (
        _("Custom product request: %(title)s"),
        _(
            "%(buyer)s is looking for a factory to make %(quantity)s units of %(title)s. Quotes are due by %(deadline)s."
        ),
    ),
    "custom.quoted": (
        _("New quote: %(title)s"),
        _("%(factory)s quoted %(unit_price)s per unit (MOQ %(moq)s, %(lead_time_days)s days)."),
    ),
    "custom.quote_accepted": (
        _("Your quote was accepted: %(title)s"),
        _("%(buyer)s accepted your quote; trial run %(trial_ref)s of %(quantity)s units was created."),
    ),
    "custom.quote_ordered": (
        _("Your quote was accepted: %(title)s"),
        _(
            "%(buyer)s accepted your quote and ordered %(quantity)s units (bulk order %(bulk_ref)s). Confirm it."
        ),
    ),
    "custom.quote_not_chosen": (
        _("Another quote was chosen: %(title)s"),
        _("%(buyer)s chose another factory for %(title)s. Thank you for quoting."),
    ),
    "custom.closed": (
        _("Quotes closed: %(title)s"),
        _("Request %(ref)s received %(quotes)s quotes and is closed."),
    ),
    "custom.message": (_("New message: %(title)s"), _("%(author)s wrote: %(body)s")),
    "custom.cancelled": (_("Custom request cancelled: %(title)s"), _("%(buyer)s cancelled request %(ref)s.")),
    # payments
    "payment.failed": (
        _("Payment failed: %(title)s"),
        _("Your payment of %(amount)s for %(ref)s did not go through. You can try again."),
    ),
    "payment.expired": (
        _("Payment expired: %(title)s"),
        _(
            "Your payment of %(amount)s for %(ref)s was not completed in time and has expired. You can pay again."
        ),
    ),
    "payment.refunded": (
        _("Payment refunded: %(title)s"),
        _("The payment of %(amount)s for %(ref)s was refunded because the order could no longer take it."),
    ),
    "payment.refund_due": (
        _("Refund on its way: %(title)s"),
        _(
            "Your transfer of %(amount)s for %(ref)s can no longer be used for the order. We will pay it back."
        ),
    ),
    "payment.instructions": (
        _("Bank transfer instructions for %(ref)s"),
        _(
            "Transfer %(amount)s to %(account_name)s, %(bank)s, account %(account_number)s, with reference %(reference)s."
        ),
    ),
}

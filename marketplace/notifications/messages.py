"""What each kind of notification says, in English source strings (translated through gettext).

`data` always carries `ref` (e.g. T000012) and `title`; other placeholders are listed per kind.
A transition's notification is of its event's kind, the verb its flow table names (the apps'
events.py, past tense); the other kinds (reminders, offers, instructions) are notifications only.
A missing placeholder renders as an empty string rather than failing a delivery.
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from marketplace.core.validators import single_line

MESSAGES = {
    # factory verification (staff decisions with their reason, and its freshness)
    "factory.verified": (
        _("Factory verified: %(title)s"),
        _("Staff verified your factory %(title)s; the verification holds until %(expires)s."),
    ),
    "factory.rejected": (
        _("Verification rejected: %(title)s"),
        _(
            "Staff did not verify your factory %(title)s. Reason: %(reason)s. Fix your profile to be reviewed again."
        ),
    ),
    "factory.suspended": (
        _("Factory suspended: %(title)s"),
        _("Staff suspended your factory %(title)s; your listings are hidden. Reason: %(reason)s"),
    ),
    "factory.verification_expiring": (
        _("Verification expires soon: %(title)s"),
        _(
            "The verification of your factory %(title)s expires on %(expires)s. Ask staff to verify it again before then to keep your verified badge and your tier."
        ),
    ),
    "factory.verification_lapsed": (
        _("Verification lapsed: %(title)s"),
        _(
            "The verification of your factory %(title)s expired on %(expires)s: it no longer shows as verified nor as a super factory. Ask staff to verify it again."
        ),
    ),
    # listings (the factory hears what staff decided, with the reason)
    "product.approved": (
        _("Listing approved: %(title)s"),
        _("Your listing %(title)s (%(ref)s) is approved; streamers can find it now."),
    ),
    "product.rejected": (
        _("Listing rejected: %(title)s"),
        _("Your listing %(title)s (%(ref)s) was rejected. Reason: %(reason)s. Edit it and submit it again."),
    ),
    "product.delisted": (
        _("Listing taken down: %(title)s"),
        _("Staff delisted your listing %(title)s (%(ref)s). Reason: %(reason)s"),
    ),
    "product.revision_approved": (
        _("Changes approved: %(title)s"),
        _("Your changes to %(title)s (%(ref)s) are approved and live."),
    ),
    "product.revision_rejected": (
        _("Changes rejected: %(title)s"),
        _(
            "Your changes to %(title)s (%(ref)s) were rejected; streamers still see the approved version. Reason: %(reason)s"
        ),
    ),
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
    # conversations (one inbox entry and e-mail per burst of messages: conversations/services.py)
    "conversation.message": (
        _("New message from %(author)s"),
        _("%(author)s wrote: %(body)s (more messages may follow in the conversation)"),
    ),
    "custom.cancelled": (_("Custom request cancelled: %(title)s"), _("%(buyer)s cancelled request %(ref)s.")),
    # payments
    "payment.failed": (
        _("Payment failed: %(title)s"),
        _("Your payment of %(amount)s for %(ref)s did not go through. You can try again."),
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
    # partner webhooks (issue 12): the organization's owners
    "webhook.disabled": (
        _("Webhook disabled: %(title)s"),
        _(
            "Your webhook %(title)s (%(ref)s) failed %(failures)s times in a row and was disabled; its events wait. Fix the receiver, then enable it again."
        ),
    ),
    # streamer links (issue 12): the other side of an organization's work for a streamer
    "streamer_link.invited": (
        _("Invitation: %(organization)s and %(streamer)s"),
        _(
            "You are invited to work together: the organization %(organization)s for the streamer %(streamer)s (%(ref)s). Accept or decline it on your Organizations page."
        ),
    ),
    "streamer_link.accepted": (
        _("Invitation accepted: %(organization)s and %(streamer)s"),
        _(
            "The invitation %(ref)s was accepted: the organization %(organization)s now works for the streamer %(streamer)s."
        ),
    ),
    "streamer_link.ended": (
        _("Ended: %(organization)s and %(streamer)s"),
        _(
            "The organization %(organization)s no longer works for the streamer %(streamer)s (%(ref)s): the link or invitation was ended."
        ),
    ),
    # video factory tours (issue 13): %(when)s is the factory's time (Asia/Shanghai)
    "tour.requested": (
        _("Video tour requested: %(buyer)s"),
        _(
            "%(buyer)s asks for a video tour of your factory on %(when)s (%(ref)s). Confirm it or propose another time on your Tours page."
        ),
    ),
    "tour.confirmed": (
        _("Video tour confirmed: %(factory)s on %(when)s"),
        _(
            "The video tour %(ref)s of %(factory)s with %(buyer)s is confirmed for %(when)s. Join at %(meeting_url)s . The attached calendar file adds it to your calendar."
        ),
    ),
    "tour.proposed": (
        _("Another time proposed: %(factory)s"),
        _(
            "%(factory)s proposes %(when)s for your video tour %(ref)s. Accept or decline it on your Tours page."
        ),
    ),
    "tour.proposal_declined": (
        _("Proposed time declined: %(buyer)s"),
        _("%(buyer)s declined the time you proposed for the video tour %(ref)s."),
    ),
    "tour.cancelled": (
        _("Video tour cancelled: %(factory)s"),
        _("The video tour %(ref)s on %(when)s was cancelled. Reason: %(reason)s"),
    ),
    "tour.expired": (
        _("Video tour request expired: %(factory)s"),
        _("The video tour %(ref)s on %(when)s was not confirmed in time and has expired."),
    ),
    "tour.reminded": (
        _("In 30 minutes: video tour with %(factory)s"),
        _("Your video tour %(ref)s (%(factory)s with %(buyer)s) starts at %(when)s. Join at %(meeting_url)s"),
    ),
    "tour.rated": (
        _("Video tour rated: %(rating)s of 5"),
        _("%(buyer)s rated the video tour %(ref)s %(rating)s of 5."),
    ),
}

FALLBACK = (_("Update: %(title)s"), _("%(ref)s: %(kind)s"))


def render(kind: str, data: dict) -> tuple[str, str]:
    """(subject, body) in the active language."""
    subject, body = MESSAGES.get(kind, FALLBACK)
    values = defaultdict(str, {k: "" if v is None else v for k, v in data.items()})
    values["kind"] = kind
    # The subject is a mail header: only safe one-line text, whatever a title or name holds.
    return single_line(str(subject) % values), str(body) % values

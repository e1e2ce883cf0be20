"""What the notifications of direct conversations say.

English source strings, translated through gettext; registered with marketplace.notifications from
the app's ready(), so the notifications app (core) knows no app's verbs. `data` always carries `ref`
and `title`; the other placeholders are those the texts name.
"""

from django.utils.translation import gettext_lazy as _

NOTIFICATION_TEXTS = {
    # conversations (one inbox entry and e-mail per burst of messages: conversations/services.py)
    "conversation.message": (
        _("New message from %(author)s"),
        _("%(author)s wrote: %(body)s (more messages may follow in the conversation)"),
    ),
    # a report handled by staff, told to the reporter (the outcome only)
    "conversation.report_resolved": (
        _("Your report was handled: %(title)s"),
        _(
            "Thank you for reporting your conversation with %(title)s. Staff reviewed it and took action under the marketplace rules."
        ),
    ),
    "conversation.report_dismissed": (
        _("Your report was reviewed: %(title)s"),
        _(
            "Thank you for reporting your conversation with %(title)s. Staff reviewed it and found no breach of the marketplace rules, so no action was taken."
        ),
    ),
}

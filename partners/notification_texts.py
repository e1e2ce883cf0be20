"""What the notifications of partner organizations: webhooks and streamer links say.

English source strings, translated through gettext; registered with marketplace.notifications from
the app's ready(), so the notifications app (core) knows no app's verbs. `data` always carries `ref`
and `title`; the other placeholders are those the texts name.
"""

from django.utils.translation import gettext_lazy as _

NOTIFICATION_TEXTS = {
    # partner webhooks (issue 12): the organization's owners
    "webhook.disabled": (
        _("Webhook disabled: %(title)s"),
        _(
            "Your webhook %(title)s (%(ref)s) failed %(failures)s times in a row and was disabled; its events wait. Fix the receiver, then enable it again."
        ),
    ),
    # invitations to join an organization (issue 12): the invitee, then the owner who invited
    "organization.member_invited": (
        _("Invitation to join %(organization)s"),
        _(
            "You are invited to join the organization %(organization)s (%(ref)s). Accept or decline it on your Organizations page; the invitation expires after %(days)s days."
        ),
    ),
    "organization.invitation_accepted": (
        _("%(user)s joined %(organization)s"),
        _("%(user)s accepted your invitation %(ref)s and is now in the organization %(organization)s."),
    ),
    "organization.invitation_declined": (
        _("%(user)s declined to join %(organization)s"),
        _("%(user)s declined your invitation %(ref)s to the organization %(organization)s."),
    ),
    # the invitee's "member_invited" notice becomes this one when an owner withdraws it
    "organization.invitation_withdrawn": (
        _("Invitation withdrawn: %(organization)s"),
        _("The organization %(organization)s withdrew its invitation %(ref)s; there is nothing to accept."),
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
}

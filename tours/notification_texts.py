"""What the notifications of video factory tours say.

English source strings, translated through gettext; registered with marketplace.notifications from
the app's ready(), so the notifications app (core) knows no app's verbs. `data` always carries `ref`
and `title`; the other placeholders are those the texts name.
"""

from django.utils.translation import gettext_lazy as _

NOTIFICATION_TEXTS = {
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

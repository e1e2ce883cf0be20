"""What the notifications of staff decisions on factories and listings, and verification freshness say.

English source strings, translated through gettext; registered with marketplace.notifications from
the app's ready(), so the notifications app (core) knows no app's verbs. `data` always carries `ref`
and `title`; the other placeholders are those the texts name.
"""

from django.utils.translation import gettext_lazy as _

NOTIFICATION_TEXTS = {
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
    # a listing report handled by staff, told to the reporter (the outcome only)
    "report.resolved": (
        _("Your report was handled: %(title)s"),
        _(
            "Thank you for reporting the listing %(title)s. Staff reviewed it and took action under the marketplace rules."
        ),
    ),
    "report.dismissed": (
        _("Your report was reviewed: %(title)s"),
        _(
            "Thank you for reporting the listing %(title)s. Staff reviewed it and found no breach of the marketplace rules, so no action was taken."
        ),
    ),
}

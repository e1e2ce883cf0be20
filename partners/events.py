"""Every event verb the partners app records (the same convention as factories/events.py): the
audit rows of organization, streamer-link and key changes (issue 12, point 6)."""


class PartnerEvents:
    ORGANIZATION_CREATED = "organization.created"
    MEMBER_ADDED = "organization.member_added"
    MEMBER_REMOVED = "organization.member_removed"
    MEMBER_INVITED = "organization.member_invited"
    MEMBER_JOINED = "organization.invitation_accepted"
    MEMBER_DECLINED = "organization.invitation_declined"
    MEMBER_INVITATION_WITHDRAWN = "organization.invitation_withdrawn"
    LINK_INVITED = "streamer_link.invited"
    LINK_ACCEPTED = "streamer_link.accepted"
    LINK_ENDED = "streamer_link.ended"
    KEY_CREATED = "partner_key.created"
    KEY_REVOKED = "partner_key.revoked"
    KEY_ROTATED = "partner_key.rotated"
    WEBHOOK_CREATED = "webhook.created"
    WEBHOOK_DELETED = "webhook.deleted"
    WEBHOOK_ENABLED = "webhook.enabled"
    WEBHOOK_DISABLED = "webhook.disabled"
    WEBHOOK_REDELIVERED = "webhook.redelivered"
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated"  # noqa: S105 - an event name, not a secret

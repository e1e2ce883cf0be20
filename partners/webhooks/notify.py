"""The organization's owners hear that a webhook was disabled after repeated failures."""

from marketplace.notifications.services import notification_create

from ..models import MemberRole, Membership, WebhookSubscription

DISABLED = "webhook.disabled"


def webhook_disabled_notify(subscription: WebhookSubscription) -> None:
    owners = Membership.objects.filter(organization_id=subscription.organization_id, role=MemberRole.OWNER)
    data = {
        "ref": f"W{subscription.pk:06d}",
        "title": subscription.url,
        "failures": subscription.consecutive_failures,
    }
    key = f"{DISABLED}:{subscription.pk}:{subscription.disabled_at.isoformat() if subscription.disabled_at else ''}"
    for membership in owners.select_related("user").order_by("pk"):
        notification_create(recipient=membership.user, kind=DISABLED, key=key, data=data)

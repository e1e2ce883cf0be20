"""The organization's owners (or the factory's owner) hear that a webhook was disabled after
repeated failures."""

from marketplace.notifications.services import notification_create

from ..models import MemberRole, Membership, WebhookSubscription

DISABLED = "webhook.disabled"


def webhook_disabled_notify(subscription: WebhookSubscription) -> None:
    if subscription.factory is not None:
        recipients = [subscription.factory.owner]
    else:
        owners = Membership.objects.filter(organization=subscription.organization, role=MemberRole.OWNER)
        recipients = [m.user for m in owners.select_related("user").order_by("pk")]
    data = {
        "ref": f"W{subscription.pk:06d}",
        "title": subscription.url,
        "failures": subscription.consecutive_failures,
    }
    key = f"{DISABLED}:{subscription.pk}:{subscription.disabled_at.isoformat() if subscription.disabled_at else ''}"
    for recipient in recipients:
        notification_create(recipient=recipient, kind=DISABLED, key=key, data=data)

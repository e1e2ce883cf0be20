"""Partner organizations (服务商 / MCN agencies / 操盘手 teams), the streamers they work for, and
their scoped API keys (issue 12, points 1 and 2).

An organization has members (users, owner or member). A streamer (a BuyerProfile) and an
organization are joined by a `StreamerLink`, invited by either side and accepted by the other;
the streamer may end it at any time. The organization's keys act only for streamers with an
active link. Uniqueness is the database's job (constraints below), never a check before an insert.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory
from marketplace.accounts.models import HashedKey

# Names of the constraints that decide races (services.py turns them into answers).
MEMBERSHIP_UNIQUE = "partners_membership_unique"
LINK_OPEN_UNIQUE = "partners_streamerlink_open_unique"


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A user in an organization. Owners manage members and keys; every member may invite and
    act for the organization's streamers."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name=MEMBERSHIP_UNIQUE)]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


INVITATION_UNIQUE = "partners_memberinvitation_unique"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MemberInvitation(models.Model):
    """An owner's invitation of an account to join the organization: nothing changes in the
    membership until the invitee accepts (partners/invitations.py).

    One row per organization and invitee (the database decides two invitations at once); inviting
    again after a decline, an expiry or a departure opens the same row again."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_invitations",
        verbose_name=_("invitee"),
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        _("status"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member invitation")
        verbose_name_plural = _("member invitations")
        constraints = [models.UniqueConstraint(fields=["organization", "invitee"], name=INVITATION_UNIQUE)]
        indexes = [models.Index(fields=["status", "expires_at"], name="partners_invitation_due")]

    def __str__(self) -> str:
        return f"{self.invitee} → {self.organization} ({self.status})"


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("Invited")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class LinkSide(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    STREAMER = "streamer", _("Streamer")


class StreamerLink(models.Model):
    """An organization working for a streamer: invited by one side, accepted by the other.

    Ended links stay as history; at most one open (pending or active) link per pair.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="streamer_links", verbose_name=_("organization")
    )
    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.CASCADE, related_name="organization_links", verbose_name=_("streamer")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LinkStatus.choices, default=LinkStatus.PENDING
    )
    invited_by = models.CharField(_("invited by"), max_length=16, choices=LinkSide.choices)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("streamer link")
        verbose_name_plural = _("streamer links")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "buyer"],
                condition=Q(status__in=["pending", "active"]),
                name=LINK_OPEN_UNIQUE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.buyer} ({self.status})"


class Scope(models.TextChoices):
    CATALOG_READ = "catalog:read", _("Read the catalogue, search and matches")
    BUYERS_WRITE = "buyers:write", _("Read and edit streamer profiles and addresses")
    TRIALS_WRITE = "trials:write", _("Trials and bulk orders")
    SAMPLES_WRITE = "samples:write", _("Sample requests")
    REQUESTS_WRITE = "requests:write", _("Custom requests and quotes")
    WEBHOOKS_MANAGE = "webhooks:manage", _("Manage webhooks")
    CONVERSATIONS_READ = "conversations:read", _("Read the streamer's conversations with factories")
    CONVERSATIONS_WRITE = "conversations:write", _("Write in the streamer's conversations (and read them)")


class PartnerKey(HashedKey):
    """An organization's API key: `Api-Key <prefix>.<secret>`, hashed as every key kind is
    (accounts.HashedKey). A rotated key keeps working until
    `expires_at` (the grace period), then only its successor does.
    """

    # 12 hex characters: never the 8 of a user-owned key (accounts.ApiKey), so the prefix alone
    # says which table to look in.
    PREFIX_LENGTH = 12

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="keys", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("partner key")
        verbose_name_plural = _("partner keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# Names of the constraints that decide races (services.py turns them into answers).
WEBHOOK_ONE_OWNER = "partners_webhook_one_owner"


class WebhookSubscription(models.Model):
    """An organization's endpoint for events about its streamers, or a factory's for events about
    its own products (`product.*`): exactly one of the two owns it (issue 12, point 3).

    `event_types` are patterns (`trial.*` …). The secret signs every delivery; it is shown once
    when the subscription is made and kept here, encrypted (webhooks/sealing.py), because signing
    needs it. A rotated
    secret keeps signing beside its successor for a grace period (webhooks/services.py). After
    WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row the subscription is disabled
    (`disabled_at`) and its owners are told; enabling it again resets the count.
    """

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("organization"),
    )
    factory = models.ForeignKey(
        Factory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("factory"),
    )
    url = models.URLField(_("URL"), max_length=500)
    event_types = models.JSONField(_("event types"), default=list)
    # Fernet token of the secret (webhooks/sealing.py): never the secret itself.
    secret_sealed = models.TextField(_("signing secret (encrypted)"), editable=False)
    # After a rotation the secret it replaced still signs, beside the new one, until this time
    # (WEBHOOK_SECRET_ROTATION_GRACE), so a receiver can switch without refusing a delivery.
    previous_secret_sealed = models.TextField(
        _("previous signing secret (encrypted)"), blank=True, editable=False
    )
    previous_secret_until = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True, editable=False
    )
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, factory__isnull=True)
                | Q(organization__isnull=True, factory__isnull=False),
                name=WEBHOOK_ONE_OWNER,
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization or self.factory}: {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event owed to one subscription, written in the transaction of the change (the outbox
    publishes it). Deliveries of one object (`object_key`, e.g. "trial:12") go out in order: one
    waits while an earlier one is pending. A redelivery is a new row with the same event id."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event_id = models.UUIDField(_("event id"))
    event_type = models.CharField(_("event type"), max_length=64)
    object_key = models.CharField(_("object"), max_length=64)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Set while a worker posts it (webhooks/sending.py): no lock is held during the post; a lease
    # past its time is a worker that died, and the delivery is free again.
    lease_until = models.DateTimeField(_("being sent until"), null=True, blank=True, editable=False)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("redelivery of"),
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["subscription", "object_key", "id"], name="partners_delivery_order"),
            models.Index(fields=["status", "next_attempt_at"], name="partners_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what the receiver answered (the partner's delivery log)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_rows", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at}: {self.status_code or self.error}"

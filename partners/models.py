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

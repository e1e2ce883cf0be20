"""Writes for organizations, streamer links and partner keys (issue 12, points 1 and 2).

Every change runs in one transaction and records an audit row (`event_record`) with who did it,
what it was before and after, and the address the request came from (point 6). Uniqueness races
(two invitations of one pair at once, one user added twice) are decided by the constraints in
models.py inside a savepoint, never by a check before the insert.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.transitions import transition_apply

from . import selectors
from .events import PartnerEvents
from .flows import STREAMER_LINK_TABLE, link_state
from .models import (
    LinkSide,
    MemberRole,
    Membership,
    Organization,
    PartnerKey,
    Scope,
    StreamerLink,
)
from .notify import link_notify

# How often a key's `last_used_at` is written: at most once a minute, never a write per request.
LAST_USED_EVERY = timedelta(minutes=1)


def _constraint(error: IntegrityError) -> str:
    # PostgreSQL names the constraint; SQLite (the `make run` default) only says it in the text.
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or str(error)


def _audit(
    *,
    actor: User,
    verb: str,
    target: Model,
    address: str | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    **data: Any,
) -> None:
    event_record(actor=actor, verb=verb, target=target, before=before, after=after, address=address, **data)


def _require_member(organization: Organization, actor: User) -> Membership:
    membership = selectors.membership_of(organization=organization, user=actor)
    if membership is None:
        raise NotAllowed(_("Only members of the organization can do this."))
    return membership


def _require_owner(organization: Organization, actor: User) -> Membership:
    membership = _require_member(organization, actor)
    if membership.role != MemberRole.OWNER:
        raise NotAllowed(_("Only owners of the organization can do this."))
    return membership


@transaction.atomic
def organization_create(*, actor: User, name: str, address: str | None = None) -> Organization:
    """A new organization with its creator as the first owner."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the organization a name.")})
    organization = Organization.objects.create(name=name)
    Membership.objects.create(organization=organization, user=actor, role=MemberRole.OWNER)
    _audit(
        actor=actor,
        verb=PartnerEvents.ORGANIZATION_CREATED,
        target=organization,
        address=address,
        after={"name": name, "owner": actor.username},
    )
    return organization


@transaction.atomic
def member_remove(
    *, organization: Organization, actor: User, user_id: int, address: str | None = None
) -> None:
    """An owner removes anyone; a member may remove themselves (leave). The last owner stays."""
    # Lock the organization: two owners removing each other at once must not leave none.
    Organization.objects.select_for_update().get(pk=organization.pk)
    membership = _require_member(organization, actor)
    if membership.user_id != user_id and membership.role != MemberRole.OWNER:
        raise NotAllowed(_("Only owners of the organization can do this."))
    target = (
        Membership.objects.select_related("user").filter(organization=organization, user_id=user_id).first()
    )
    if target is None:
        raise ValidationError({"detail": _("This account is not a member.")})
    owners = Membership.objects.filter(organization=organization, role=MemberRole.OWNER).count()
    if target.role == MemberRole.OWNER and owners == 1:
        raise TransitionNotAllowed(_("An organization keeps at least one owner: add another owner first."))
    target.delete()
    _audit(
        actor=actor,
        verb=PartnerEvents.MEMBER_REMOVED,
        target=organization,
        address=address,
        before={"user": target.user.username, "role": target.role},
    )


def _link_create(*, organization: Organization, buyer: BuyerProfile, side: str) -> StreamerLink:
    try:
        with transaction.atomic():
            return StreamerLink.objects.create(organization=organization, buyer=buyer, invited_by=side)
    except IntegrityError as error:
        if "partners_streamerlink" not in _constraint(error):
            raise
        raise ValidationError(
            {"detail": _("This streamer and this organization are already invited or working together.")}
        ) from error


def _organization(organization_id: int) -> Organization:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise ValidationError({"organization": _("No such organization.")})
    return organization


@transaction.atomic
def streamer_invite(
    *, organization_id: int, actor: User, buyer_id: int, address: str | None = None
) -> StreamerLink:
    """An organization's member invites a streamer; the streamer accepts (or declines)."""
    organization = _organization(organization_id)
    _require_member(organization, actor)
    buyer = BuyerProfile.objects.filter(pk=buyer_id, user__is_active=True).first()
    if buyer is None:
        raise ValidationError({"buyer": _("No such streamer.")})
    link = _link_create(organization=organization, buyer=buyer, side=LinkSide.ORGANIZATION)
    _audit(actor=actor, verb=PartnerEvents.LINK_INVITED, target=link, address=address, after=link_state(link))
    link_notify(link=link, actor=actor, verb=PartnerEvents.LINK_INVITED)
    return link


@transaction.atomic
def organization_invite(*, actor: User, organization_id: int, address: str | None = None) -> StreamerLink:
    """A streamer invites an organization to work for them; one of its members accepts."""
    buyer = getattr(actor, "buyer_profile", None)
    if buyer is None:
        raise NotAllowed(_("Only streamers with a profile can invite an organization."))
    organization = _organization(organization_id)
    link = _link_create(organization=organization, buyer=buyer, side=LinkSide.STREAMER)
    _audit(actor=actor, verb=PartnerEvents.LINK_INVITED, target=link, address=address, after=link_state(link))
    link_notify(link=link, actor=actor, verb=PartnerEvents.LINK_INVITED)
    return link


@transaction.atomic
def link_accept(*, link: StreamerLink, actor: User, address: str | None = None) -> StreamerLink:
    """The invited side accepts: the streamer an organization's invitation, a member a streamer's."""
    return _link_transition(link=link, actor=actor, name="accept", address=address)


@transaction.atomic
def link_end(*, link: StreamerLink, actor: User, address: str | None = None) -> StreamerLink:
    """Either side ends a link at any time: the streamer leaves, declines or withdraws; a member
    drops the streamer, declines or withdraws. Keys stop acting for the streamer at once."""
    return _link_transition(link=link, actor=actor, name="end", address=address)


def _link_transition(*, link: StreamerLink, actor: User, name: str, address: str | None) -> StreamerLink:
    # The lock serializes two sides acting at once; the loser sees the new status (409).
    link = StreamerLink.objects.select_for_update().select_related("organization", "buyer").get(pk=link.pk)
    before = link_state(link)
    transition_apply(
        table=STREAMER_LINK_TABLE,
        obj=link,
        name=name,
        actor=actor,
        event_data={"before": before, "address": address},
    )
    link_notify(link=link, actor=actor, verb=STREAMER_LINK_TABLE.verb(name))
    return link


def _key_state(key: PartnerKey) -> dict[str, object]:
    return {
        "name": key.name,
        "prefix": key.prefix,
        "scopes": key.scopes,
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
        "expires_at": key.expires_at.isoformat() if key.expires_at else None,
    }


def _clean_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}})
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    return [s for s in Scope.values if s in scopes]  # one order, no repeats


def _key_insert(
    *, organization: Organization, actor: User, name: str, scopes: list[str], rate: int
) -> tuple[PartnerKey, str]:
    prefix, raw = PartnerKey.generate()
    key = PartnerKey.objects.create(
        organization=organization,
        name=name,
        prefix=prefix,
        key_hash=PartnerKey.hash(raw),
        scopes=scopes,
        rate_per_minute=rate,
        created_by=actor,
    )
    return key, raw


@transaction.atomic
def key_create(
    *,
    organization: Organization,
    actor: User,
    name: str,
    scopes: list[str],
    rate_per_minute: int | None = None,
    address: str | None = None,
) -> tuple[PartnerKey, str]:
    """An owner issues a key; the raw key is returned once and only its hash is kept."""
    _require_owner(organization, actor)
    rate = rate_per_minute or settings.PARTNER_KEY_RATE_PER_MINUTE
    key, raw = _key_insert(
        organization=organization, actor=actor, name=name, scopes=_clean_scopes(scopes), rate=rate
    )
    _audit(actor=actor, verb=PartnerEvents.KEY_CREATED, target=key, address=address, after=_key_state(key))
    return key, raw


@transaction.atomic
def key_revoke(*, key: PartnerKey, actor: User, address: str | None = None) -> PartnerKey:
    """Refused at once from the next request (also a rotated key still in its grace period).
    An owner of the organization revokes it, or staff (the admin's action)."""
    key = PartnerKey.objects.select_for_update().select_related("organization").get(pk=key.pk)
    if not actor.is_staff_member:
        _require_owner(key.organization, actor)
    if key.revoked_at is not None:
        raise TransitionNotAllowed(_("This key is already revoked."))
    before = _key_state(key)
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    _audit(
        actor=actor,
        verb=PartnerEvents.KEY_REVOKED,
        target=key,
        address=address,
        before=before,
        after=_key_state(key),
    )
    return key


@transaction.atomic
def key_rotate(*, key: PartnerKey, actor: User, address: str | None = None) -> tuple[PartnerKey, str]:
    """A successor with the same name, scopes and rate; the old key works for the grace period
    (PARTNER_KEY_ROTATION_GRACE, 24 hours by default) so a tool can be redeployed without downtime."""
    key = PartnerKey.objects.select_for_update().select_related("organization").get(pk=key.pk)
    _require_owner(key.organization, actor)
    now = timezone.now()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        raise TransitionNotAllowed(_("A revoked or expired key cannot be rotated."))
    if key.replaced_by_id is not None:
        raise TransitionNotAllowed(_("This key was already rotated: rotate its successor."))
    new, raw = _key_insert(
        organization=key.organization, actor=actor, name=key.name, scopes=key.scopes, rate=key.rate_per_minute
    )
    before = _key_state(key)
    key.expires_at, key.replaced_by = now + settings.PARTNER_KEY_ROTATION_GRACE, new
    key.save(update_fields=["expires_at", "replaced_by"])
    _audit(
        actor=actor,
        verb=PartnerEvents.KEY_ROTATED,
        target=key,
        address=address,
        before=before,
        after=_key_state(key),
        successor=new.prefix,
    )
    _audit(actor=actor, verb=PartnerEvents.KEY_CREATED, target=new, address=address, after=_key_state(new))
    return new, raw


def key_touch(*, key: PartnerKey, now: datetime) -> bool:
    """Record that the key was used, at most once per LAST_USED_EVERY (a request usually writes
    nothing). Bookkeeping, not a change anyone acts on: no audit row. True when it wrote."""
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_EVERY:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    return PartnerKey.objects.filter(stale, pk=key.pk).update(last_used_at=now) == 1

"""Invitations to join an organization (issue 12, point 1): an owner invites an account, the
account accepts or declines; the membership changes only when it accepts. Each step writes an
audit row and tells the other side (inbox and e-mail after the commit).

Races are the database's: one row per organization and invitee (two invitations at once → one
row, the other caller told it is already invited), one membership per organization and user.
An answer after `expires_at` is refused whether or not beat has marked the row expired yet.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create, notification_supersede

from . import selectors
from .events import PartnerEvents
from .models import (
    INVITATION_UNIQUE,
    InvitationStatus,
    MemberInvitation,
    MemberRole,
    Membership,
    Organization,
)
from .services import _constraint, _require_owner

MAX_USERNAME = 150


def invitation_status(invitation: MemberInvitation, now: datetime | None = None) -> str:
    """What the invitation is now: a pending one past its date is expired, marked or not."""
    if invitation.status == InvitationStatus.PENDING and invitation.expires_at <= (now or timezone.now()):
        return InvitationStatus.EXPIRED
    return invitation.status


def invitations_for(user: User) -> QuerySet[MemberInvitation]:
    """The invitations addressed to a user, newest first."""
    return (
        MemberInvitation.objects.filter(invitee_id=user.pk)
        .select_related("organization", "invited_by")
        .order_by("-invited_at", "-pk")
    )


def _state(invitation: MemberInvitation) -> dict[str, Any]:
    return {"user": invitation.invitee.username, "role": invitation.role, "status": invitation.status}


def _notify(invitation: MemberInvitation, *, recipient: User, verb: str) -> None:
    data = {
        "ref": f"I{invitation.pk:06d}",
        "title": invitation.organization.name,
        "organization": invitation.organization.name,
        "user": invitation.invitee.username,
        "days": settings.ORGANIZATION_INVITATION_DAYS,
    }
    notification_create(recipient=recipient, kind=verb, key=_notice_key(invitation, verb), data=data)


def _notice_key(invitation: MemberInvitation, verb: str) -> str:
    # One notice per invitation round: an invitation opened again is a new round.
    return f"{verb}:{invitation.pk}:{int(invitation.invited_at.timestamp())}"


def _insert_or_lock(organization: Organization, invitee: User) -> tuple[MemberInvitation, bool]:
    """The pair's row, locked: a new one, or the existing one. A concurrent insert of the same
    pair waits on the unique index and then finds the committed row."""
    now = timezone.now()
    try:
        with transaction.atomic():
            created = MemberInvitation.objects.create(
                organization=organization, invitee=invitee, invited_at=now, expires_at=now
            )
            return created, True
    except IntegrityError as error:
        if INVITATION_UNIQUE not in _constraint(error):
            raise
    return MemberInvitation.objects.select_for_update().get(organization=organization, invitee=invitee), False


@transaction.atomic
def member_invite(
    *, organization: Organization, actor: User, username: str, role: str, address: str | None = None
) -> MemberInvitation:
    """An owner invites an account (by username) as owner or member; it joins when it accepts."""
    _require_owner(organization, actor)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose owner or member.")})
    username = username.strip()[:MAX_USERNAME]
    invitee = User.objects.filter(username__iexact=User.normalize_username(username), is_active=True).first()
    if invitee is None:
        raise ValidationError({"username": _("No account with this username.")})
    if selectors.membership_of(organization=organization, user=invitee) is not None:
        raise ValidationError({"username": _("This account is already a member.")})
    invitation, created = _insert_or_lock(organization, invitee)
    now = timezone.now()
    if not created and invitation_status(invitation, now) == InvitationStatus.PENDING:
        raise ValidationError({"username": _("This account is already invited and has not answered yet.")})
    before = None if created else _state(invitation)
    invitation.role, invitation.status, invitation.invited_by = role, InvitationStatus.PENDING, actor
    invitation.invited_at, invitation.answered_at = now, None
    invitation.expires_at = now + timedelta(days=settings.ORGANIZATION_INVITATION_DAYS)
    invitation.save(update_fields=["role", "status", "invited_by", "invited_at", "answered_at", "expires_at"])
    event_record(
        actor=actor,
        verb=PartnerEvents.MEMBER_INVITED,
        target=organization,
        before=before,
        after=_state(invitation),
        address=address,
        invitation=invitation.pk,
        expires_at=invitation.expires_at.isoformat(),
    )
    _notify(invitation, recipient=invitee, verb=PartnerEvents.MEMBER_INVITED)
    return invitation


def _answerable(invitation_id: int, actor: User) -> MemberInvitation:
    invitation = (
        MemberInvitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invitee", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.invitee_id != actor.pk:
        raise NotAllowed(_("Only the invited account can answer this invitation."))
    status = invitation_status(invitation)
    if status == InvitationStatus.EXPIRED:
        raise TransitionNotAllowed(
            _("This invitation has expired: ask the organization to invite you again.")
        )
    if status == InvitationStatus.WITHDRAWN:
        raise TransitionNotAllowed(_("This invitation was withdrawn by the organization."))
    if status != InvitationStatus.PENDING:
        raise TransitionNotAllowed(_("This invitation has already been answered."))
    return invitation


def _answer(
    invitation: MemberInvitation, *, actor: User, status: str, verb: str, address: str | None
) -> None:
    before = _state(invitation)
    invitation.status, invitation.answered_at = status, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    event_record(
        actor=actor,
        verb=verb,
        target=invitation.organization,
        before=before,
        after=_state(invitation),
        address=address,
        invitation=invitation.pk,
    )
    if invitation.invited_by is not None and invitation.invited_by.is_active:
        _notify(invitation, recipient=invitation.invited_by, verb=verb)


@transaction.atomic
def invitation_accept(*, invitation_id: int, actor: User, address: str | None = None) -> MemberInvitation:
    """The invitee joins with the invited role (a membership made meanwhile is kept as it is)."""
    invitation = _answerable(invitation_id, actor)
    try:
        with transaction.atomic():
            Membership.objects.create(organization=invitation.organization, user=actor, role=invitation.role)
    except IntegrityError as error:
        if "partners_membership" not in _constraint(error):
            raise
    _answer(
        invitation,
        actor=actor,
        status=InvitationStatus.ACCEPTED,
        verb=PartnerEvents.MEMBER_JOINED,
        address=address,
    )
    return invitation


@transaction.atomic
def invitation_decline(*, invitation_id: int, actor: User, address: str | None = None) -> MemberInvitation:
    invitation = _answerable(invitation_id, actor)
    _answer(
        invitation,
        actor=actor,
        status=InvitationStatus.DECLINED,
        verb=PartnerEvents.MEMBER_DECLINED,
        address=address,
    )
    return invitation


@transaction.atomic
def invitation_withdraw(
    *, invitation: MemberInvitation, actor: User, address: str | None = None
) -> MemberInvitation:
    """An owner takes back an invitation nobody has answered. The row lock is the one `accept`
    takes, so a withdrawal and an acceptance at once are served one after the other: whichever
    comes second finds the invitation no longer pending (409) and changes nothing."""
    _require_owner(invitation.organization, actor)
    invitation = (
        MemberInvitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invitee", "invited_by")
        .get(pk=invitation.pk)
    )
    status = invitation_status(invitation)
    if status != InvitationStatus.PENDING:
        raise TransitionNotAllowed(
            _("Only an invitation waiting for an answer can be withdrawn; this one is %(status)s.")
            % {"status": InvitationStatus(status).label}
        )
    before = _state(invitation)
    invitation.status, invitation.answered_at = InvitationStatus.WITHDRAWN, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    event_record(
        actor=actor,
        verb=PartnerEvents.MEMBER_INVITATION_WITHDRAWN,
        target=invitation.organization,
        before=before,
        after=_state(invitation),
        address=address,
        invitation=invitation.pk,
    )
    # The invitee's inbox stops offering to accept: their notice now says it was withdrawn.
    notification_supersede(
        recipient=invitation.invitee,
        key=_notice_key(invitation, PartnerEvents.MEMBER_INVITED),
        kind=PartnerEvents.MEMBER_INVITATION_WITHDRAWN,
    )
    return invitation


def invitations_expire(*, now: datetime | None = None) -> int:
    """Beat: mark pending invitations past their date expired (one UPDATE; answers are refused
    by date anyway, this keeps the lists and the admin honest)."""
    return MemberInvitation.objects.filter(
        status=InvitationStatus.PENDING, expires_at__lte=now or timezone.now()
    ).update(status=InvitationStatus.EXPIRED)

"""Reports of conversations and messages, and the staff's answer to them: dismiss, or act — resolve
and, if the report holds, block the reported sender from messaging for some days.

A report is written once per reporter and message (or conversation): the database's unique
constraints decide, so a double click or two parallel requests make one row and the loser gets a
409 with a sentence, never a 500. The block is a row the message service reads under the sender's
row lock (limits.messaging_block_check in message_post), so a message racing the block either lands before it or is refused.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import ReportStatus
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.validators import is_control
from marketplace.notifications.services import notification_create_best_effort

from .events import ConversationEvents
from .models import (
    Conversation,
    ConversationReport,
    Message,
    MessagingBlock,
    ReportReason,
    Side,
)
from .services import side_of

MAX_BLOCK_DAYS = 365

_ALLOWED_CONTROLS = {"\n", "\t"}


def _detail_clean(detail: str | None) -> str:
    detail = (detail or "").replace("\r\n", "\n").strip()
    if len(detail) > ConversationReport.MAX_DETAIL:
        raise ValidationError(
            {
                "detail": [
                    _("Write at most %(n)d characters (you wrote %(have)d).")
                    % {"n": ConversationReport.MAX_DETAIL, "have": len(detail)}
                ]
            }
        )
    if any(is_control(c) and c not in _ALLOWED_CONTROLS for c in detail):
        raise ValidationError(
            {"detail": [_("The text contains control characters; remove them and send again.")]}
        )
    return detail


def conversation_report_create(
    *,
    conversation: Conversation,
    reporter: User,
    reason: str,
    detail: str | None = "",
    message: Message | None = None,
) -> ConversationReport:
    """A side reports the other side's message, or the whole conversation (`message` None)."""
    side = side_of(conversation, reporter)
    if side is None:
        raise NotAllowed(_("This is not your conversation."))
    if reason not in ReportReason.values:
        raise ValidationError(
            {"reason": [_("Choose one of: %(reasons)s.") % {"reasons": ", ".join(ReportReason.values)}]}
        )
    detail = _detail_clean(detail)
    if reason == ReportReason.OTHER and not detail:
        raise ValidationError({"detail": [_("Describe the problem.")]})
    if message is not None:
        if message.conversation_id != conversation.pk:
            raise ValidationError({"message": [_("No such message in this conversation.")]})
        if message.side == side:
            raise ValidationError({"message": [_("You cannot report your own message.")]})
        reported_id = message.author_id
    else:
        reported_id = conversation.factory.owner_id if side == Side.BUYER else conversation.buyer.user_id
    try:
        with transaction.atomic():
            report = ConversationReport.objects.create(
                conversation=conversation,
                message=message,
                reporter=reporter,
                reported_id=reported_id,
                reason=reason,
                detail=detail,
            )
            event_record(
                actor=reporter,
                verb=ConversationEvents.REPORTED,
                target=conversation,
                report_id=report.pk,
                message_id=message.pk if message else None,
                reason=reason,
            )
    except IntegrityError:
        if message is not None:
            text = _("You have already reported this message; staff are looking at it.")
        else:
            text = _("You have already reported this conversation; staff are looking at it.")
        raise TransitionNotAllowed(text) from None
    return report


@transaction.atomic
def conversation_report_resolve(
    *, report: ConversationReport, actor: User, status: str, note: str = "", block_days: int = 0
) -> ConversationReport:
    """Staff close an open report: dismissed, or resolved — with `block_days` > 0 the reported
    account may not send messages for that many days (from now)."""
    report = ConversationReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise TransitionNotAllowed(_("This report has already been handled."))
    if status not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
        raise ValidationError({"status": [_("Choose resolved or dismissed.")]})
    if not 0 <= block_days <= MAX_BLOCK_DAYS or (block_days and status != ReportStatus.RESOLVED):
        raise ValidationError(
            {"block_days": [_("Block for 0 to %(n)d days, and only when resolving.") % {"n": MAX_BLOCK_DAYS}]}
        )
    now = timezone.now()
    report.status = status
    report.resolution_note = note
    report.handled_by = actor
    report.handled_at = now
    report.save(update_fields=["status", "resolution_note", "handled_by", "handled_at"])
    verb = (
        ConversationEvents.REPORT_RESOLVED
        if status == ReportStatus.RESOLVED
        else ConversationEvents.REPORT_DISMISSED
    )
    event_record(actor=actor, verb=verb, target=report.conversation, report_id=report.pk, note=note)
    if block_days:
        block = MessagingBlock.objects.create(
            user_id=report.reported_id,
            until=now + timedelta(days=block_days),
            report=report,
            created_by=actor,
        )
        event_record(
            actor=actor,
            verb=ConversationEvents.SENDER_BLOCKED,
            target=report.conversation,
            report_id=report.pk,
            user_id=report.reported_id,
            until=block.until.isoformat(),
        )
    _reporter_notify(report, verb)
    return report


def _reporter_notify(report: ConversationReport, verb: str) -> None:
    """Tell the reporter the outcome only: not the note, nor whether or how long the other side was
    blocked (that is the reported account's own business)."""
    conversation = report.conversation
    reporter_is_buyer = report.reporter_id == conversation.buyer.user_id
    other_side = conversation.factory.name if reporter_is_buyer else conversation.buyer.display_name
    notification_create_best_effort(
        recipient=report.reporter,
        kind=verb,
        key=f"conversation-report:{report.pk}:handled",
        data={"ref": str(conversation), "title": other_side, "conversation_id": conversation.pk},
    )

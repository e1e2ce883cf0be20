"""A factory publishes its weekly tour availability: call length, parallel calls, meeting link,
time ranges per weekday (Asia/Shanghai) and dates without calls. Saved as a whole, like a form."""

from dataclasses import dataclass
from datetime import date, time
from itertools import pairwise

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record

from ..events import TourEvents
from ..models import MAX_PARALLEL_CALLS, SlotLength, TourAvailability, TourBlackout, TourWindow
from ..validators import validate_meeting_url
from .common import factory_of

MAX_WINDOWS = 28  # four ranges a day
MAX_BLACKOUTS = 100


@dataclass(frozen=True)
class WindowInput:
    weekday: int
    starts: time
    ends: time


def _check_windows(windows: list[WindowInput]) -> None:
    if len(windows) > MAX_WINDOWS:
        raise ValidationError({"windows": [_("At most %(n)d time ranges.") % {"n": MAX_WINDOWS}]})
    by_day: dict[int, list[WindowInput]] = {}
    for w in windows:
        if not 0 <= w.weekday <= 6:
            raise ValidationError({"windows": [_("A weekday is 0 (Monday) to 6 (Sunday).")]})
        if w.starts >= w.ends:
            raise ValidationError({"windows": [_("A time range must end after it starts.")]})
        by_day.setdefault(w.weekday, []).append(w)
    for ranges in by_day.values():
        ranges.sort(key=lambda w: w.starts)
        for before, after in pairwise(ranges):
            # Overlapping ranges would offer the same place twice at shifted times.
            if after.starts < before.ends:
                raise ValidationError({"windows": [_("Time ranges of one weekday must not overlap.")]})


def _check_blackouts(blackouts: list[date]) -> list[date]:
    today = timezone.localdate()
    kept = sorted({d for d in blackouts if d >= today})  # a past date changes nothing
    if len(kept) > MAX_BLACKOUTS:
        raise ValidationError({"blackouts": [_("At most %(n)d dates.") % {"n": MAX_BLACKOUTS}]})
    return kept


def tour_availability_save(
    *,
    actor: User,
    meeting_url: str,
    slot_minutes: int,
    parallel_calls: int,
    active: bool = True,
    windows: list[WindowInput],
    blackouts: list[date],
) -> TourAvailability:
    factory = factory_of(actor)
    meeting_url = (meeting_url or "").strip()
    try:
        validate_meeting_url(meeting_url)
    except DjangoValidationError as error:
        raise ValidationError({"meeting_url": error.messages}) from None
    if len(meeting_url) > 500:
        raise ValidationError({"meeting_url": [_("At most %(n)d characters.") % {"n": 500}]})
    if slot_minutes not in SlotLength.values:
        raise ValidationError({"slot_minutes": [_("Choose one of the offered call lengths.")]})
    if not 1 <= parallel_calls <= MAX_PARALLEL_CALLS:
        raise ValidationError(
            {"parallel_calls": [_("From 1 to %(n)d calls at the same time.") % {"n": MAX_PARALLEL_CALLS}]}
        )
    _check_windows(windows)
    blackouts = _check_blackouts(blackouts)
    with transaction.atomic():
        availability, created = TourAvailability.objects.select_for_update().get_or_create(
            factory=factory,
            defaults={
                "meeting_url": meeting_url,
                "slot_minutes": slot_minutes,
                "parallel_calls": parallel_calls,
            },
        )
        availability.meeting_url = meeting_url
        availability.slot_minutes = slot_minutes
        availability.parallel_calls = parallel_calls
        availability.active = active
        availability.save(
            update_fields=["meeting_url", "slot_minutes", "parallel_calls", "active", "updated_at"]
        )
        # Replaced as a whole: the form and the API send the full week.
        availability.windows.all().delete()
        TourWindow.objects.bulk_create(
            TourWindow(availability=availability, weekday=w.weekday, starts=w.starts, ends=w.ends)
            for w in windows
        )
        availability.blackouts.all().delete()
        TourBlackout.objects.bulk_create(TourBlackout(availability=availability, date=d) for d in blackouts)
        event_record(
            actor=actor,
            verb=TourEvents.AVAILABILITY_SAVED,
            target=availability,
            created=created,
            slot_minutes=slot_minutes,
            parallel_calls=parallel_calls,
            active=active,
            windows=len(windows),
            blackouts=len(blackouts),
        )
    return availability

"""Video tour forms (视频看厂): the factory's weekly availability and a streamer's booking.

They only shape what a person typed into the arguments of tours.services; the services own every
rule (https link, ranges that do not overlap, a slot the week offers, a free place), so the page
refuses what the API refuses, in the same words."""

from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from factories.models import Product
from tours.models import AGENDA_MAX_LENGTH, MAX_PARALLEL_CALLS, MEETING_URL_MAX_LENGTH, SlotLength, Weekday
from tours.services.availability import MAX_WINDOWS, WindowInput
from tours.validators import validate_meeting_url

from . import set_choices
from .fields import TextField
from .formsets import kept_rows

SLOT_VALUE_MAX_LENGTH = 40  # "2027-03-01T14:00:00+08:00" and a little room


class TourAvailabilityForm(forms.Form):
    active = forms.BooleanField(label=_("Take video tour bookings"), required=False)
    meeting_url = TextField(
        label=_("Your meeting link"),
        max_length=MEETING_URL_MAX_LENGTH,
        validators=[validate_meeting_url],
        help_text=_("Your own Tencent Meeting, DingTalk or Zoom link (https)."),
        widget=forms.URLInput(attrs={"placeholder": "https://meeting.tencent.com/…"}),
    )
    slot_minutes = forms.TypedChoiceField(
        label=_("Call length"), choices=SlotLength.choices, coerce=int, initial=SlotLength.MINUTES_30
    )
    parallel_calls = forms.IntegerField(
        label=_("Calls at the same time"),
        min_value=1,
        max_value=MAX_PARALLEL_CALLS,
        initial=1,
        help_text=_("How many streamers your team can show around at once."),
    )

    def clean_meeting_url(self) -> str:
        url: str = self.cleaned_data["meeting_url"]
        return url.strip()


class TourWindowForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", "—"), *Weekday.choices], coerce=int, empty_value=None
    )
    starts = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class BaseTourWindowFormSet(forms.BaseFormSet):
    def rows(self) -> list[WindowInput]:
        """Filled-in rows, minus those ticked for removal, in the shape the service takes."""
        return [WindowInput(row["weekday"], row["starts"], row["ends"]) for row in kept_rows(self)]


# formset_factory returns a subclass of `formset`; its stub says only BaseFormSet, which would hide
# the rows the pages read, hence the cast.
TourWindowFormSet = cast(
    type[BaseTourWindowFormSet],
    forms.formset_factory(
        TourWindowForm,
        formset=BaseTourWindowFormSet,
        extra=2,
        can_delete=True,
        max_num=MAX_WINDOWS,
        validate_max=True,
        absolute_max=MAX_WINDOWS + 5,  # a forged TOTAL_FORMS of a million builds at most this many forms
    ),
)


class TourBlackoutForm(forms.Form):
    date = forms.DateField(label=_("Date without calls"), widget=forms.DateInput(attrs={"type": "date"}))


class TourBookForm(forms.Form):
    """`slot` is the start the person picked, as the page wrote it (ISO 8601 with its offset). It is
    not a choice of today's free slots: a slot taken meanwhile must reach the booking service, whose
    refusal ("fully booked") is the message the person needs."""

    slot = forms.CharField(
        label=_("Call time"),
        max_length=SLOT_VALUE_MAX_LENGTH,
        error_messages={"required": _("Choose a time.")},
    )
    products = forms.TypedMultipleChoiceField(
        label=_("Products to talk about"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    agenda = TextField(
        label=_("What would you like to see?"),
        max_length=AGENDA_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The workshop, the packing line, samples of a colour … (at most 1000 characters)."),
    )

    def __init__(self, *args: Any, products: list[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "products", [(p.pk, p.title) for p in products])

    def clean_slot(self) -> datetime:
        raw = self.cleaned_data["slot"]
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise ValidationError(_("Choose one of the times shown."), code="invalid") from None
        if value.tzinfo is None:
            raise ValidationError(_("Choose one of the times shown."), code="naive")
        return value

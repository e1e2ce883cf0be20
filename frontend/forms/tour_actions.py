"""The forms of a video tour's page (me/tours/<id>/): a time the factory proposes instead, the
reason for a cancellation, the streamer's rating. Bounds are the model's; the services check the
same again (a time the factory's week offers, the 2 h cut-off, one rating)."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tours.models import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH

from .fields import TextField

ISO_MAX_LENGTH = 40  # "2027-03-01T14:00:00+08:00" and then some; anything longer is not a time


class TourProposeForm(forms.Form):
    """A slot start as an instant with its offset. The page offers the factory's free slots as
    choices; any other value is still only what the service accepts (a start its week offers)."""

    starts_at = forms.CharField(label=_("Another time"), max_length=ISO_MAX_LENGTH, widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer([])

    def offer(self, slots: list[tuple[str, str]]) -> None:
        """(ISO instant, label in the viewer's zone) of each free slot, as the select's options."""
        self.fields["starts_at"].widget.choices = [("", _("Choose a free time")), *slots]

    def clean_starts_at(self) -> datetime:
        value = self.cleaned_data["starts_at"]
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the free times."), code="invalid") from None
        if when.tzinfo is None:
            raise forms.ValidationError(_("Choose one of the free times."), code="naive")
        return when


class TourCancelForm(forms.Form):
    reason = TextField(
        label=_("Why do you cancel?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 28}),  # fits a 390 px phone
    )


class TourRateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = TextField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 28}),
    )

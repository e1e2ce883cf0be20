"""Web forms. They only parse what a person typed; every rule (limits, states, ownership) is the
trials services' job, so the web pages refuse exactly what the API refuses, with the same words."""

from collections.abc import Iterable
from datetime import datetime, time
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from conversations.models import ContactCard
from factories.models import Category, ReportReason
from marketplace.core.validators import MAX_UNIT_PRICE, validate_single_line
from trials.carriers import CARRIERS
from trials.models import PaymentProvider


def set_choices(form: forms.Form, name: str, choices: list) -> None:
    """A choice field's options, set at run time (the field is typed as a plain Field)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class TrialRequestForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)
    address = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SampleRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the factory"), required=False, max_length=2000, widget=forms.Textarea
    )
    address = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    """Reporting a listing (fakes, misleading descriptions): the staff moderation queue."""

    reason = forms.ChoiceField(label=_("What is wrong"), choices=ReportReason.choices)
    detail = forms.CharField(
        label=_("Details for staff (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CarrierInput(forms.TextInput):
    """A text box suggesting the listed couriers (a datalist): pick one or type another."""

    def __init__(self) -> None:
        super().__init__(attrs={"list": "carrier-list", "autocomplete": "off"})

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        options = format_html_join("", '<option value="{}"></option>', ((c.name,) for c in CARRIERS))
        return format_html(
            '{}<datalist id="carrier-list">{}</datalist>',
            super().render(name, value, attrs, renderer),
            options,
        )


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=60,
        validators=[validate_single_line],
        widget=CarrierInput(),
        help_text=_("Pick a listed courier to have the tracking number checked, or type another."),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=60, validators=[validate_single_line]
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class FeedbackForm(forms.Form):
    units_sold = forms.IntegerField(label=_("Units sold"), min_value=0)
    units_returned = forms.IntegerField(label=_("Units returned"), min_value=0)
    rating = forms.IntegerField(label=_("Rating (1-5)"), min_value=1, max_value=5)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea)


class ConvertForm(forms.Form):
    quantity = forms.IntegerField(label=_("Bulk order quantity"), min_value=1, max_value=100_000_000)
    address = forms.IntegerField(required=False, widget=forms.HiddenInput)  # the picker's select


class QuoteOrderForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000_000)
    address = forms.IntegerField(required=False)


class ConfirmBulkForm(forms.Form):
    delivery_date = forms.DateField(
        label=_("Delivery by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class BulkReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the other side reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddressForm(forms.Form):
    """An address book entry. The division selects are filled from GET /api/v1/divisions/ by
    divisions.js; the service checks the codes (so a forged code is a form error, not a 500)."""

    recipient = forms.CharField(label=_("Recipient"), max_length=40, validators=[validate_single_line])
    mobile = forms.CharField(label=_("Mobile number"), max_length=20)
    province_code = forms.CharField(label=_("Province"), max_length=6, widget=forms.Select)
    city_code = forms.CharField(label=_("City"), max_length=6, widget=forms.Select)
    district_code = forms.CharField(label=_("District"), max_length=6, required=False, widget=forms.Select)
    street = forms.CharField(label=_("Street address"), max_length=120, validators=[validate_single_line])
    postcode = forms.CharField(label=_("Postcode"), max_length=6, required=False)
    is_default = forms.BooleanField(label=_("Make it the default"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The selects have no options until divisions.js loads them; it re-selects these.
        for name in ("province_code", "city_code", "district_code"):
            value = self.data.get(name, "") if self.is_bound else self.initial.get(name, "")
            self.fields[name].widget.attrs["data-value"] = value


class PayForm(forms.Form):
    provider = forms.ChoiceField(label=_("Payment method"), choices=PaymentProvider.choices)


class CustomRequestForm(forms.Form):
    factory = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.SlugField(label=_("Category"), required=False)
    title = forms.CharField(label=_("Title"), max_length=120, validators=[validate_single_line])
    requirements = forms.CharField(label=_("Requirements"), max_length=10000, widget=forms.Textarea)
    benchmark_url = forms.URLField(
        label=_("Benchmark product link"), required=False, max_length=500, assume_scheme="https"
    )
    target_unit_price = forms.DecimalField(
        label=_("Target unit price (CNY)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_UNIT_PRICE,
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000_000)
    deadline = forms.DateField(label=_("Quotes due by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, categories: Iterable[Category] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Any category"))] + [(c.slug, c.display_name) for c in categories]
        self.fields["category"].widget = forms.Select(choices=choices)

    def service_data(self) -> dict:
        """The service takes a moment in time: quotes are due at the end of the chosen day, local time."""
        data = dict(self.cleaned_data)
        data["deadline"] = timezone.make_aware(datetime.combine(data["deadline"], time(23, 59, 59)))
        return data


class QuoteForm(forms.Form):
    unit_price = forms.DecimalField(
        label=_("Unit price (CNY)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_UNIT_PRICE,
    )
    moq = forms.IntegerField(label=_("MOQ"), min_value=1, max_value=100_000_000)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=1, max_value=365)
    proposal = forms.CharField(label=_("Proposal"), max_length=10000, widget=forms.Textarea)
    trial_quantity = forms.IntegerField(label=_("Suggested trial quantity"), min_value=1, max_value=100_000)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    factory = forms.IntegerField(required=False)


class ConversationMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=4000,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(label=_("Attach an image or PDF"), required=False)
    # "trial:12" (conversations.topics.topic_value); the service checks it is one of the pair's.
    topic = forms.CharField(label=_("About"), required=False, max_length=60)


class ContactCardForm(forms.ModelForm):
    class Meta:
        model = ContactCard
        fields = ["name", "phone", "wechat", "email"]


def form_error_messages(form: forms.BaseForm) -> list[str]:
    """ "Field: problem" lines for the page's message list."""
    lines: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        lines.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return lines

"""The factory's product form: fields, attribute rows and several photos at once.

The form only parses what a person typed and bounds it (lengths, numeric range, control
characters) with messages that say what to enter; the listing rules themselves (leaf category,
trial flag vs. the factory's setting, review on edit, image checks) stay in factories/services,
and their refusals are shown on the matching field.
"""

import re
import unicodedata
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from factories.images import too_large_message
from factories.selectors import category_list
from factories.services.images import MAX_IMAGES_PER_PRODUCT, images_process
from frontend.forms import set_choices
from marketplace.core.errors import ValidationError as ServiceValidationError
from marketplace.core.validators import MAX_ATTRIBUTE_KEY, MAX_ATTRIBUTE_VALUE, MAX_ATTRIBUTES, MAX_UNIT_PRICE

PRICE_MIN, PRICE_MAX = Decimal("0.01"), MAX_UNIT_PRICE  # the Product.factory_price bounds
MOQ_MAX = 10_000_000  # the API's bound
KEY_MAX, VALUE_MAX = MAX_ATTRIBUTE_KEY, MAX_ATTRIBUTE_VALUE  # the one attribute rule (core.validators)
IMAGE_TYPES = "image/jpeg,image/png,image/webp"


def _reject_control_characters(value: str, *, allow_newlines: bool = False) -> None:
    """Invisible control characters break search, exports and other people's screens."""
    # NUL is left to Django's own check ("Null characters are not allowed."): one message per problem.
    allowed = {"\n", "\r", "\t", "\x00"} if allow_newlines else {"\x00"}
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise ValidationError(_("Remove the invisible control characters from this text."), code="control")


def single_line(value: str) -> None:
    _reject_control_characters(value)


def multi_line(value: str) -> None:
    _reject_control_characters(value, allow_newlines=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """`<input type=file multiple>`: cleans to a list of uploads (possibly empty)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any | None = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_IMAGES_PER_PRODUCT:
            raise ValidationError(
                _("Choose at most %(n)d photos at once.") % {"n": MAX_IMAGES_PER_PRODUCT}, code="too_many"
            )
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


# "500 10.50", "500+ ¥10.50", "2,000 = 9.8", "500：10.5"
TIER_LINE = re.compile(
    r"^\s*(?P<quantity>\d{1,3}(?:,\d{3})+|\d{1,8})[\s+=:：¥￥]+(?P<price>\d{1,7}(?:\.\d{1,2})?)\s*$"
)


def tiers_text(tiers: list[dict]) -> str:
    """Stored tiers as the form's lines."""
    return "\n".join(f"{t['min_quantity']} {Decimal(t['unit_price']):.2f}" for t in tiers)


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, validators=[single_line])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        validators=[multi_line],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ChoiceField(label=_("Category"))
    factory_price = forms.DecimalField(
        label=_("Factory price per unit (CNY)"),
        error_messages={"invalid": _("Enter the price as a number of yuan, for example 12.50.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    moq = forms.IntegerField(
        label=_("MOQ (minimum order quantity, units)"),
        error_messages={"invalid": _("Enter the MOQ as a whole number of units, for example 100.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        min_value=1,
        max_value=365,
        error_messages={"invalid": _("Enter the lead time as a whole number of days, from 1 to 365.")},
    )
    price_tiers = forms.CharField(
        label=_("Volume prices (optional)"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "500 10.50\n2000 9.80"}),
        help_text=_(
            "One tier per line: the quantity it starts at, then the unit price, e.g. “500 10.50”. "
            "Quantities above the MOQ, prices not above the factory price."
        ),
    )
    customizable = forms.BooleanField(label=_("Customizable (OEM/ODM on this product)"), required=False)
    # xgettext:no-python-format
    trial_eligible = forms.BooleanField(label=_("Offer 50%-off trials of this product"), required=False)
    images = MultipleImageField(
        label=_("Add photos (JPEG, PNG or WebP, up to 10 MB each; several at once)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": IMAGE_TYPES}),
    )

    def __init__(self, *args: Any, upload_too_large: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels sit above their inputs; a colon adds nothing
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        groups: dict = {}
        for c in category_list():
            if c.parent is not None:
                groups.setdefault(c.parent.display_name, []).append((c.slug, c.display_name))
        set_choices(self, "category", [("", _("Choose a category")), *groups.items()])

    def clean_factory_price(self) -> Decimal:
        price: Decimal = self.cleaned_data["factory_price"]
        # One clear sentence per problem (Django's own checks would list several for 1e20).
        if price < PRICE_MIN:
            raise ValidationError(_("The factory price must be at least ¥0.01."), code="min_value")
        if price > PRICE_MAX:
            raise ValidationError(_("The factory price must be at most ¥9,999,999.99."), code="max_value")
        if price != price.quantize(Decimal("0.01")):
            raise ValidationError(_("Give the price in yuan with at most 2 decimals (fen)."), code="decimals")
        return price.quantize(Decimal("0.01"))

    def clean_moq(self) -> int:
        moq: int = self.cleaned_data["moq"]
        if moq < 1:
            raise ValidationError(_("The MOQ must be at least 1 unit."), code="min_value")
        if moq > MOQ_MAX:
            raise ValidationError(_("The MOQ must be at most 10,000,000 units."), code="max_value")
        return moq

    def clean_price_tiers(self) -> list[dict]:
        """ "500 10.50" per line (also "500+ ¥10.50", "2,000 = 9.8") → the service's tiers; how
        they relate to the MOQ and the price is the model's rule, said on the same field."""
        tiers = []
        for n, line in enumerate(self.cleaned_data["price_tiers"].splitlines(), start=1):
            if not line.strip():
                continue
            found = TIER_LINE.match(line)
            if found is None:
                raise ValidationError(
                    _("Line %(n)d: write the quantity, then the unit price, e.g. “500 10.50”."),
                    params={"n": n},
                    code="tier",
                )
            quantity, price = int(found["quantity"].replace(",", "")), Decimal(found["price"])
            tiers.append({"min_quantity": quantity, "unit_price": price})
        return tiers

    def clean_images(self) -> list[Any]:
        if self.upload_too_large:
            raise ValidationError(too_large_message(), code="too_large")
        images: list[Any] = self.cleaned_data["images"]  # MultipleImageField's uploads
        return images

    def check_photos_too(self) -> None:
        """When other fields are wrong, also say which photos would be refused, so one round of
        corrections is enough. The same Pillow checks the service runs; only on this failure path,
        so a good submission decodes each photo once."""
        uploads = self.cleaned_data.get("images") or []
        if "images" in self.errors or not uploads:
            return
        try:
            images_process(uploads)
        except ServiceValidationError as exc:
            self.add_error("images", exc.message_dict["images"])

    def service_data(self, attributes: dict, *, only_changed: bool = False) -> dict:
        """What the service gets. On an edit only the fields the person changed: an untouched
        trial flag of a factory that has since stopped trials must not block saving the rest."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k != "images" and (not only_changed or k in self.changed_data)
        }
        data["attributes"] = attributes
        return data


class AttributeForm(forms.Form):
    key = forms.CharField(label=_("Attribute"), required=False, max_length=KEY_MAX, validators=[single_line])
    value = forms.CharField(label=_("Value"), required=False, max_length=VALUE_MAX, validators=[single_line])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        key, value = data.get("key"), data.get("value")
        if value and not key and "key" not in self.errors:
            self.add_error("key", _("Give this value a name, e.g. 材质 (material)."))
        if key and not value and "value" not in self.errors:
            self.add_error("value", _("Give a value for %(key)s, or clear the row.") % {"key": key})
        return data


class BaseAttributeFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _("A product can have at most %(num)d attributes; remove some rows."),
    }

    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            key = form.cleaned_data.get("key")
            if key and key in seen:
                raise ValidationError(_("The attribute %(key)s appears twice.") % {"key": key})
            if key:
                seen.add(key)

    def as_dict(self, original: dict | None = None) -> dict:
        """The rows as {key: value}. A value the API stored as a number or a list and shown here
        as text is kept as it was when the person did not change its text."""
        original = original or {}
        out = {}
        for form in self.forms:
            key, value = form.cleaned_data.get("key"), form.cleaned_data.get("value")
            if key:
                before = original.get(key)
                out[key] = before if before is not None and as_text(before) == value else value
        return out


# formset_factory returns a subclass of `formset`; its stub says only BaseFormSet, which would hide
# the rows the pages read, hence the cast.
AttributeFormSet = cast(
    type[BaseAttributeFormSet],
    forms.formset_factory(
        AttributeForm,
        formset=BaseAttributeFormSet,
        extra=3,
        max_num=MAX_ATTRIBUTES,
        validate_max=True,
        absolute_max=MAX_ATTRIBUTES,
    ),
)


def as_text(value: object) -> str:
    """A stored attribute value may be a number or a list (the API allows them); shown as text."""
    return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)


def attribute_rows(attributes: dict) -> list[dict]:
    return [{"key": key, "value": as_text(value)} for key, value in (attributes or {}).items()]


class ConfirmForm(forms.Form):
    """A confirmation step: nothing to fill in, only the CSRF token and the button."""

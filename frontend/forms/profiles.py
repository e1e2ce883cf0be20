"""Factory and streamer profile forms. They turn what a person typed into the data shape the API
sends (slugs, nested audience, channel rows) and hand it to factories' / buyers' services, which
own every rule (credit code free, price band ordered, channel handles unique, one profile each)."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile, Platform
from factories.models import CustomizationLevel, Factory
from factories.validators import validate_credit_code

from . import set_choices
from .fields import TextField, all_belts, belt_choices, category_choices
from .formsets import kept_rows
from .regions import province_choices

BIG = 2_000_000_000  # below PostgreSQL's integer limit: a huge number is a form error, not a 500
MAX_CHANNELS = 10
DEFAULT_DEPOSIT_PERCENT = Factory._meta.get_field("deposit_percent").default


def _with_current(choices: list, current: str) -> list:
    """Keep a stored value that is not in today's list selectable, so editing never loses it."""
    if current and current not in {value for value, _label in choices}:
        return [*choices, (current, current)]
    return choices


class FactoryProfileForm(forms.Form):
    name = TextField(label=_("Factory name"), max_length=120)
    credit_code = TextField(
        label=_("Unified social credit code"),
        max_length=64,
        validators=[validate_credit_code],
        help_text=_("18 characters, on your business licence (营业执照)."),
    )
    province = forms.ChoiceField(label=_("Province"))
    city = TextField(
        label=_("City"), max_length=32, widget=forms.TextInput(attrs={"list": "city-suggestions"})
    )
    industrial_belt = forms.ChoiceField(label=_("Industrial belt"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("What you make"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category.")},
    )
    description = TextField(
        label=_("About the factory"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    established_year = forms.IntegerField(
        label=_("Year established"), min_value=1900, max_value=2100, required=False
    )
    staff_count = forms.IntegerField(label=_("Number of staff"), min_value=1, max_value=BIG, required=False)
    monthly_capacity = forms.IntegerField(
        label=_("Monthly capacity (units)"), min_value=1, max_value=BIG, required=False
    )
    customization = forms.ChoiceField(
        label=_("Customization"),
        choices=CustomizationLevel.choices,
        widget=forms.RadioSelect,
        initial=CustomizationLevel.NONE,
    )
    accepts_trials = forms.BooleanField(label=_("Accept 50%-off trial orders"), required=False, initial=True)
    max_trial_quantity = forms.IntegerField(
        label=_("Most units per trial"), min_value=1, max_value=100_000, initial=100
    )
    trial_days = forms.IntegerField(label=_("Trial period (days)"), min_value=7, max_value=180, initial=30)
    deposit_percent = forms.IntegerField(
        label=_("Bulk-order deposit (%)"),
        min_value=10,
        max_value=90,
        initial=DEFAULT_DEPOSIT_PERCENT,
        required=False,
        help_text=_("Paid before production starts; the balance is paid after delivery."),
    )
    video_url = forms.URLField(
        label=_("Factory tour video (link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// link to a video of your workshop (Douyin, Bilibili, WeChat Channels …)."),
    )

    def __init__(self, *args: Any, factory: Factory | None = None, **kwargs: Any) -> None:
        if factory is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(factory)
        super().__init__(*args, **kwargs)
        current = (self.initial or {}).get("province", "")
        set_choices(
            self, "province", [("", _("Choose a province")), *_with_current(province_choices(), current)]
        )
        belts = all_belts()
        set_choices(self, "industrial_belt", belt_choices(belts))
        # Suggestions for the city box (a datalist: any city may be typed).
        self.cities = sorted({belt.city for belt in belts})
        set_choices(self, "categories", category_choices())

    @staticmethod
    def initial_from(factory: Factory) -> dict:
        initial = {
            name: getattr(factory, name)
            for name in (
                "name",
                "credit_code",
                "province",
                "city",
                "description",
                "established_year",
                "staff_count",
                "monthly_capacity",
                "customization",
                "accepts_trials",
                "max_trial_quantity",
                "trial_days",
                "deposit_percent",
                "video_url",
            )
        }
        initial["industrial_belt"] = (
            factory.industrial_belt.slug if factory.industrial_belt is not None else ""
        )
        initial["categories"] = [c.slug for c in factory.categories.all()]
        return initial

    def clean_deposit_percent(self) -> int:
        # Left empty (or posted by an older form): the usual 30%.
        value: int | None = self.cleaned_data["deposit_percent"]
        return DEFAULT_DEPOSIT_PERCENT if value is None else value

    def clean_credit_code(self) -> str:
        code: str = self.cleaned_data["credit_code"]
        return code.strip().upper()

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class StreamerProfileForm(forms.Form):
    display_name = TextField(label=_("Name shown to factories"), max_length=80)
    categories = forms.MultipleChoiceField(
        label=_("What you sell"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category you sell.")},
    )
    price_min = forms.DecimalField(
        label=_("Price band from (CNY)"), max_digits=12, decimal_places=2, min_value=Decimal("0")
    )
    price_max = forms.DecimalField(
        label=_("Price band to (CNY)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    units_per_session = forms.IntegerField(
        label=_("Units you typically sell per live session"), min_value=0, max_value=10_000_000, initial=0
    )
    monthly_gmv = forms.DecimalField(
        label=_("Monthly GMV (CNY)"), max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    city = TextField(label=_("City"), max_length=32, required=False)
    needs_customization = forms.BooleanField(label=_("I need customized products"), required=False)
    audience_age_min = forms.IntegerField(
        label=_("Audience age from"), min_value=0, max_value=120, required=False
    )
    audience_age_max = forms.IntegerField(
        label=_("Audience age to"), min_value=0, max_value=120, required=False
    )
    audience_female_percent = forms.IntegerField(
        label=_("Women in your audience (%)"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args: Any, profile: BuyerProfile | None = None, **kwargs: Any) -> None:
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(profile)
        super().__init__(*args, **kwargs)
        current = (self.initial or {}).get("province", "")
        set_choices(
            self, "province", [("", _("Choose a province")), *_with_current(province_choices(), current)]
        )
        set_choices(self, "categories", category_choices())

    @staticmethod
    def initial_from(profile: BuyerProfile) -> dict:
        initial = {
            name: getattr(profile, name)
            for name in (
                "display_name",
                "price_min",
                "price_max",
                "units_per_session",
                "monthly_gmv",
                "province",
                "city",
                "needs_customization",
                "audience_age_min",
                "audience_age_max",
            )
        }
        share = profile.audience_female_share
        initial["audience_female_percent"] = int(share * 100) if share is not None else None
        initial["categories"] = [c.slug for c in profile.categories.all()]
        return initial

    def service_data(self, channels: list[dict]) -> dict:
        d = self.cleaned_data
        percent = d["audience_female_percent"]
        data = {
            "display_name": d["display_name"],
            "categories": d["categories"],
            "price_min": d["price_min"],
            "price_max": d["price_max"],
            "units_per_session": d["units_per_session"],
            "province": d["province"],
            "city": d["city"],
            "needs_customization": d["needs_customization"],
            "audience": {
                "age_min": d["audience_age_min"],
                "age_max": d["audience_age_max"],
                # People think in percent; the profile stores a share from 0 to 1, like the API.
                "female_share": (Decimal(percent) / 100).quantize(Decimal("0.01"))
                if percent is not None
                else None,
            },
            "channels": channels,
        }
        if d["monthly_gmv"] is not None:
            data["monthly_gmv"] = d["monthly_gmv"]
        return data


# Where the services name a field the form calls differently.
STREAMER_ERROR_FIELDS = {
    "audience": "audience_age_max",
    "audience_female_share": "audience_female_percent",
}


class ChannelForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=[("", "—"), *Platform.choices])
    handle = TextField(label=_("Account (handle)"), max_length=80)
    followers = forms.IntegerField(label=_("Followers"), min_value=0, max_value=BIG)


class BaseChannelFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """Filled-in rows, minus those ticked for removal, in the shape the services take."""
        return [{k: row[k] for k in ("platform", "handle", "followers")} for row in kept_rows(self)]


# formset_factory returns a subclass of `formset`; its stub says only BaseFormSet, which would hide
# the rows the pages read, hence the cast.
ChannelFormSet = cast(
    type[BaseChannelFormSet],
    forms.formset_factory(
        ChannelForm,
        formset=BaseChannelFormSet,
        extra=2,
        can_delete=True,
        max_num=MAX_CHANNELS,
        validate_max=True,
        absolute_max=MAX_CHANNELS + 5,  # a forged TOTAL_FORMS of a million builds at most this many forms
    ),
)


def channel_initial(profile: BuyerProfile | None) -> list[dict]:
    if profile is None:
        return []
    return [
        {"platform": c.platform, "handle": c.handle, "followers": c.followers}
        for c in profile.channels.order_by("id")
    ]

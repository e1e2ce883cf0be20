from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from factories.services.common import categories_from_slugs
from marketplace.accounts.models import Role, User
from marketplace.core.dirty import mark_dirty
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.updates import model_update
from marketplace.core.validators import require_single_line, validate_single_line

from .events import BuyerEvents
from .models import BuyerProfile, Channel

PROFILE_FIELDS = [
    "display_name",
    "categories",
    "price_min",
    "price_max",
    "monthly_gmv",
    "units_per_session",
    "province",
    "city",
    "needs_customization",
    "audience_age_min",
    "audience_age_max",
    "audience_female_share",
]


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """API shape → model fields: `audience: {age_min, …}` becomes `audience_age_min`, slugs become rows."""
    data = dict(data)
    require_single_line(data, ("display_name", "province", "city"))
    try:
        for channel in data.get("channels") or []:
            validate_single_line(channel.get("handle"))
    except ValidationError as error:
        raise ValidationError({"channels": error.messages}) from error
    audience = data.pop("audience", None)
    if audience is not None:
        for key in ("age_min", "age_max", "female_share"):
            if key in audience:
                data[f"audience_{key}"] = audience[key]
    if "categories" in data:
        if not data["categories"]:
            raise ValidationError({"categories": _("Choose at least one category you sell.")})
        data["categories"] = categories_from_slugs(data["categories"], field="categories")
    return data


def _check_ranges(profile: BuyerProfile, data: dict[str, Any]) -> None:
    """Check the bands as they will be after applying `data` (a PATCH may change only one end)."""

    def value(name: str) -> Decimal | int | None:
        found: Decimal | int | None = data[name] if name in data else getattr(profile, name)
        return found

    low, high = value("price_min"), value("price_max")
    if low is not None and high is not None and low > high:
        raise ValidationError({"price_max": _("The top of your price band must not be below its bottom.")})
    age_low, age_high = value("audience_age_min"), value("audience_age_max")
    if age_low is not None and age_high is not None and age_low > age_high:
        raise ValidationError({"audience": _("The audience's top age must not be below its lowest age.")})


def _set_channels(profile: BuyerProfile, channels: list[dict[str, Any]]) -> None:
    seen = set()
    for channel in channels:
        key = (channel["platform"], channel["handle"].strip().lower())
        if key in seen:
            raise ValidationError(
                {"channels": _("The same account is listed twice: %(h)s.") % {"h": channel["handle"]}}
            )
        seen.add(key)
    _refuse_taken(profile, channels)
    profile.channels.all().delete()
    rows = [
        Channel(
            buyer=profile,
            platform=c["platform"],
            handle=c["handle"].strip(),
            followers=c.get("followers", 0),
        )
        for c in channels
    ]
    try:
        with transaction.atomic():
            Channel.objects.bulk_create(rows)
    except IntegrityError:
        # Another streamer registered the account between our check and insert; by now their
        # row is committed, so the same check names it.
        _refuse_taken(profile, channels)
        raise


def _refuse_taken(profile: BuyerProfile, channels: list[dict[str, Any]]) -> None:
    # One (platform, handle) pair per query term: filtering platforms and handles separately
    # would match another streamer's account on a *different* platform with the same handle.
    if not channels:
        return
    same_account = Q()
    for c in channels:
        same_account |= Q(platform=c["platform"], handle__iexact=c["handle"].strip())
    other = Channel.objects.exclude(buyer=profile).filter(same_account).first()
    if other is not None:
        raise ValidationError(
            {
                "channels": _("%(platform)s account @%(handle)s is already registered by another streamer.")
                % {"platform": other.get_platform_display(), "handle": other.handle}
            }
        )


@transaction.atomic
def buyer_create(*, user: User, data: dict[str, Any]) -> BuyerProfile:
    if user.role != Role.BUYER:
        raise NotAllowed(_("Only streamer accounts can create a streamer profile."))
    User.objects.select_for_update().get(pk=user.pk)
    if BuyerProfile.objects.filter(user=user).exists():
        raise ValidationError({"detail": _("You already have a streamer profile; edit it instead.")})
    data = _flatten(data)
    channels = data.pop("channels", [])
    categories = data.pop("categories")
    profile = BuyerProfile(user=user, **{k: v for k, v in data.items() if k in PROFILE_FIELDS})
    _check_ranges(profile, {})
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.categories.set(categories)
    _set_channels(profile, channels)
    event_record(actor=user, verb=BuyerEvents.CREATED, target=profile)
    # New streamers show up in factories' matches as soon as they are indexed.
    mark_dirty(profile)
    return profile


@transaction.atomic
def buyer_update(*, profile: BuyerProfile, actor: User, data: dict[str, Any]) -> BuyerProfile:
    profile = BuyerProfile.objects.select_for_update().get(pk=profile.pk)
    if not actor.is_staff_member and profile.user_id != actor.pk:
        raise NotAllowed(_("Only the owner can change this."))
    data = _flatten(data)
    channels = data.pop("channels", None)
    _check_ranges(profile, data)
    changed = model_update(instance=profile, fields=PROFILE_FIELDS, data=data)
    if channels is not None:
        current = list(profile.channels.order_by("id").values_list("platform", "handle", "followers"))
        wanted = [(c["platform"], c["handle"].strip(), c.get("followers", 0)) for c in channels]
        # Re-sending the same list (forms send everything) is not a change: no event, no reindex.
        if current != wanted:
            _set_channels(profile, channels)
            changed.append("channels")
    if changed:
        mark_dirty(profile)
        event_record(actor=actor, verb=BuyerEvents.UPDATED, target=profile, fields=changed)
    return profile

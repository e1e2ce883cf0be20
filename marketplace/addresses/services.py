"""Every write to an address book: validated here, so the API, the profile page and the admin
refuse the same things with the same words."""

from typing import Any  # request data: the API's validated JSON

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import User
from marketplace.core.compiled import CompiledQuery
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.validators import validate_single_line

from . import divisions
from .events import AddressEvents
from .models import Address, AddressKind, normalize_mobile, validate_mobile, validate_postcode
from .snapshot import snapshot

FIELDS = ("recipient", "mobile", "province_code", "city_code", "district_code", "street", "postcode")
LIMITS = {"recipient": 40, "street": 120}


def kind_for(user: User) -> str:
    """Streamers keep shipping addresses; factories a dispatch / return address."""
    if user.is_buyer:
        return AddressKind.SHIPPING
    if user.is_factory:
        return AddressKind.DISPATCH
    raise NotAllowed(_("Only streamers and factories keep addresses."))


def _clean(data: dict[str, Any]) -> dict[str, str]:
    clean = {name: str(data.get(name) or "").strip() for name in FIELDS}
    clean["mobile"] = normalize_mobile(clean["mobile"])
    errors: dict[str, list[str]] = {}
    for name in ("recipient", "street"):
        if not clean[name]:
            errors[name] = [_("This field is required.")]
        elif len(clean[name]) > LIMITS[name]:
            errors[name] = [_("At most %(n)d characters.") % {"n": LIMITS[name]}]
        else:
            try:
                validate_single_line(clean[name])
            except DjangoValidationError as error:
                errors[name] = error.messages
    for name, check in (("mobile", validate_mobile), ("postcode", validate_postcode)):
        try:
            check(clean[name])
        except DjangoValidationError as error:
            errors[name] = error.messages
    wrong = divisions.check(clean["province_code"], clean["city_code"], clean["district_code"])
    if wrong:
        errors[f"{wrong}_code"] = [str(NOT_IN_LIST[wrong])]
    if errors:
        raise ValidationError(errors)
    return clean


NOT_IN_LIST = {
    "province": gettext_lazy("Choose a province from the list."),
    "city": gettext_lazy("Choose a city from the list."),
    "district": gettext_lazy("Choose a district from the list."),
}


def address_create(*, actor: User, data: dict[str, Any]) -> Address:
    kind = kind_for(actor)
    clean = _clean(data)
    with transaction.atomic():
        # Lock the owner's row: the count and the first-default decision see one another.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        book = Address.objects.filter(owner=actor, kind=kind)
        if book.count() >= Address.MAX_PER_OWNER:
            raise ValidationError({"detail": _("At most %(n)d addresses.") % {"n": Address.MAX_PER_OWNER}})
        make_default = bool(data.get("is_default")) or not book.exists()
        if make_default:
            book.filter(is_default=True).update(is_default=False)
        address = Address.objects.create(owner=actor, kind=kind, is_default=make_default, **clean)
        event_record(actor=actor, verb=AddressEvents.CREATED, target=address)
    return address


def address_update(*, address: Address, actor: User, data: dict[str, Any]) -> Address:
    _require_owner(address, actor)
    merged = {name: data.get(name, getattr(address, name)) for name in FIELDS}
    clean = _clean(merged)
    with transaction.atomic():
        address = Address.objects.select_for_update().get(pk=address.pk)
        for name, value in clean.items():
            setattr(address, name, value)
        address.save()
        if data.get("is_default"):
            _make_default(address)
        event_record(actor=actor, verb=AddressEvents.UPDATED, target=address)
    return address


def address_set_default(*, address: Address, actor: User) -> Address:
    _require_owner(address, actor)
    with transaction.atomic():
        _make_default(address)
    return address


def _make_default(address: Address) -> None:
    Address.objects.filter(owner_id=address.owner_id, kind=address.kind, is_default=True).exclude(
        pk=address.pk
    ).update(is_default=False)
    try:
        with transaction.atomic():
            Address.objects.filter(pk=address.pk).update(is_default=True)
    except IntegrityError:
        # A concurrent request made another one the default a moment ago: that one wins.
        raise ValidationError({"detail": _("Another address just became the default; try again.")}) from None
    address.is_default = True


def address_delete(*, address: Address, actor: User) -> None:
    """Orders keep their frozen copy, so deleting never touches goods on their way. The newest
    other address becomes the default when the default goes."""
    _require_owner(address, actor)
    with transaction.atomic():
        was_default = address.is_default
        address.delete()
        if was_default:
            following = Address.objects.filter(owner_id=address.owner_id, kind=address.kind).first()
            if following is not None:
                _make_default(following)


def _require_owner(address: Address, actor: User) -> None:
    if address.owner_id != actor.pk:
        raise NotAllowed(_("This is not yours."))


# The default shipping address of an owner, compiled once (marketplace/core/compiled.py): every
# trial, sample and bulk order made reads it, and building the query cost more CPU than running it.
def _default_shipping(owner_id: int) -> QuerySet[Address]:
    return Address.objects.filter(owner_id=owner_id, kind=AddressKind.SHIPPING, is_default=True)[:1]


_DEFAULT_SHIPPING = CompiledQuery(_default_shipping, -7_300_000_003)  # no user has a negative key


def frozen_address(*, owner: User, address_id: int | None) -> dict[str, str]:
    """For an order being made: the chosen address of `owner` (else their default), frozen."""
    if address_id:
        address = Address.objects.filter(owner=owner, kind=AddressKind.SHIPPING, pk=address_id).first()
    else:
        address = _DEFAULT_SHIPPING.first(owner.pk)
    if address is None:
        if address_id:
            raise ValidationError({"address": _("No such address in your address book.")})
        raise ValidationError(
            {"address": _("Add a shipping address first: the factory needs to know where to send the goods.")}
        )
    return snapshot(address)

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.dirty import mark_dirty
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record, events_record
from marketplace.core.transitions import transition_apply
from marketplace.core.updates import model_update
from marketplace.core.validators import require_single_line, validate_attributes

from ..events import ProductEvents
from ..flows import PRODUCT_TABLE
from ..models import Category, Factory, Product, ProductStatus, VerificationStatus
from .common import categories_from_slugs, require_reason
from .revisions import REVIEWED_FIELDS, reviews_edits_of, revision_merge_on_leaving_live, revision_propose

EDITABLE_FIELDS = [
    "title",
    "description",
    "category",
    "factory_price",
    "moq",
    "lead_time_days",
    "customizable",
    "trial_eligible",
    "attributes",
    "price_tiers",
]


def _clean(
    data: dict[str, Any], *, factory: Factory, categories: dict[str, Category] | None = None
) -> dict[str, Any]:
    data = dict(data)
    require_single_line(data, ("title",))
    # A trial offer the factory does not honour would mislead streamers; without an explicit
    # choice a new listing follows the factory's setting.
    if data.get("trial_eligible") and not factory.accepts_trials:
        raise ValidationError(
            {
                "trial_eligible": _(
                    "Your factory does not accept trials; turn trials on in your factory profile first."
                )
            }
        )
    if "category" in data:
        data["category"] = categories_from_slugs(
            [data["category"]], field="category", leaf_only=True, known=categories
        )[0]
    if "attributes" in data:
        attributes = data["attributes"] or {}
        try:
            validate_attributes(attributes)  # the one rule for the API, the web form and the admin
        except ValidationError as error:
            raise ValidationError({"attributes": error.messages}) from error
        data["attributes"] = attributes
    if "price_tiers" in data:
        data["price_tiers"] = _tiers(data["price_tiers"])
    return data


def _tiers(tiers: object) -> object:
    """Tiers as stored: the price as a string with two decimals (the JSON keeps it exact). Anything
    not shaped like a tier is passed on for the model's validator to refuse with its message."""
    if not isinstance(tiers, list):
        return tiers
    out: list[object] = []
    for tier in tiers:
        if isinstance(tier, dict) and isinstance(tier.get("unit_price"), Decimal | int):
            tier = {**tier, "unit_price": f"{Decimal(tier['unit_price']):.2f}"}
        out.append(tier)
    return out


def product_check_can_list(*, factory: Factory, actor: User) -> None:
    if factory.owner_id != actor.pk:
        raise NotAllowed(_("You can only list products for your own factory."))
    if factory.verification_status == VerificationStatus.SUSPENDED:
        raise NotAllowed(_("Your factory is suspended; you cannot list products."))


def product_build(
    *,
    factory: Factory,
    data: dict[str, Any],
    submit: bool = True,
    categories: dict[str, Category] | None = None,
) -> Product:
    """Every rule a new listing must pass, without saving: `product_create` and the catalog
    import (`product_create_many`) both build their rows here, so they cannot disagree.
    Raises ValidationError keyed by field name."""
    data = _clean(data, factory=factory, categories=categories)
    data.setdefault("trial_eligible", factory.accepts_trials)
    product = Product(
        factory=factory,
        status=ProductStatus.PENDING_REVIEW if submit else ProductStatus.DRAFT,
        **{k: v for k, v in data.items() if k in EDITABLE_FIELDS},
    )
    # The factory is the caller's row and a given category was just resolved from the table, so
    # the foreign-key existence queries full_clean would add per row prove nothing. A missing
    # category is still validated (and refused) without a query.
    product.full_clean(exclude=["factory", "category"] if product.category_id else ["factory"])
    return product


@transaction.atomic
def product_create(*, factory: Factory, actor: User, data: dict[str, Any], submit: bool = True) -> Product:
    """New listings go to staff review (or stay a draft). Trial eligibility needs a factory that accepts trials."""
    product_check_can_list(factory=factory, actor=actor)
    product = product_build(factory=factory, data=data, submit=submit)
    product.save()
    event_record(actor=actor, verb=ProductEvents.CREATED, target=product, status=product.status)
    mark_dirty(product)
    return product


@transaction.atomic
def product_create_many(*, factory: Factory, actor: User, products: list[Product], via: str) -> list[Product]:
    """The batch path of `product_create` for rows already built by `product_build` (a catalog
    import): one INSERT for the products, one for their events, and the same search marking,
    so the number of queries does not grow with the batch. They enter review like any other."""
    product_check_can_list(factory=factory, actor=actor)
    if any(p.factory_id != factory.pk or p.pk is not None for p in products):
        raise NotAllowed(_("You can only list products for your own factory."))
    if not products:
        return []
    created = Product.objects.bulk_create(products)
    events_record(
        actor=actor,
        verb=ProductEvents.CREATED,
        items=[(p, {"status": p.status, "via": via}) for p in created],
    )
    mark_dirty(Product.objects.filter(pk__in=[p.pk for p in created]))
    return created


@transaction.atomic
def product_update(
    *, product: Product, actor: User, data: dict[str, Any], submit: bool = False, draft: bool = False
) -> Product:
    """Edit a listing; with `submit`, also send it (back) to review, all in one transaction.

    A live listing stays live: what buyers judge it by waits in a revision for staff (see
    revisions.py), the rest applies now. A delisted product can only be edited together with
    resubmitting it: a listing nobody reviews again must not change silently. `draft` says the
    caller means to keep it a draft, which is refused (not ignored) once it has left that state.
    """
    product = Product.objects.select_for_update().select_related("factory").get(pk=product.pk)
    _check_owner(product, actor)
    if draft and product.status != ProductStatus.DRAFT:
        raise TransitionNotAllowed(
            _("A listing that has been submitted cannot go back to draft; delist it instead.")
        )
    if product.status == ProductStatus.DELISTED and not submit:
        raise TransitionNotAllowed(_("This product is delisted; submit it again before editing."))
    cleaned = _clean(data, factory=product.factory)
    if reviews_edits_of(product, actor):
        reviewed = {k: v for k, v in cleaned.items() if k in REVIEWED_FIELDS}
        # Checked together with what applies at once (a new MOQ against proposed tiers).
        _validate_proposal(product, cleaned if reviewed else {})
        revision_propose(product=product, actor=actor, values=reviewed)
        cleaned = {k: v for k, v in cleaned.items() if k not in REVIEWED_FIELDS}
    changed = model_update(instance=product, fields=EDITABLE_FIELDS, data=cleaned)
    if changed:
        mark_dirty(product)
        event_record(actor=actor, verb=ProductEvents.UPDATED, target=product, fields=changed)
    if changed and product.status == ProductStatus.REJECTED and not actor.is_staff_member:
        _review_step(product, actor, "resubmit")
    elif submit and product.status != ProductStatus.PENDING_REVIEW:
        # Asking for review of a listing already waiting for it is a harmless repeat, not a conflict.
        _review_step(product, actor, "submit")
    return product


def _validate_proposal(product: Product, values: dict[str, Any]) -> None:
    """The model's own checks (lengths, price bounds) on proposed values, without touching the
    live row: a revision must never hold what the listing could not."""
    if not values:
        return
    trial = Product(**{f.attname: getattr(product, f.attname) for f in Product._meta.concrete_fields})
    for field, value in values.items():
        setattr(trial, field, value)
    trial.full_clean(exclude=[f.name for f in Product._meta.fields if f.name not in values])


def _review_step(product: Product, actor: User, name: str, *, reason: str = "") -> Product:
    """One review transition on a locked listing, through the one engine (which also tells the
    factory what staff decided)."""

    def prepare(product: Product) -> list[str]:
        if product.status == ProductStatus.ACTIVE:  # leaving live: no transition stays there
            revision_merge_on_leaving_live(product=product, actor=actor)
        product.status_reason = reason
        product.search_index_dirty = True
        return ["status_reason", "search_index_dirty"]

    transition_apply(table=PRODUCT_TABLE, obj=product, name=name, actor=actor, prepare=prepare)
    mark_dirty(product)
    return product


def _check_owner(product: Product, actor: User) -> None:
    if not actor.is_staff_member and product.factory.owner_id != actor.pk:
        raise NotAllowed(_("This is not your product."))


def _transition(product: Product, actor: User, name: str, *, reason: str = "") -> Product:
    product = Product.objects.select_for_update().select_related("factory").get(pk=product.pk)
    _check_owner(product, actor)
    return _review_step(product, actor, name, reason=reason)


@transaction.atomic
def product_submit(*, product: Product, actor: User) -> Product:
    return _transition(product, actor, "submit")


@transaction.atomic
def product_approve(*, product: Product, actor: User) -> Product:
    return _transition(product, actor, "approve")


@transaction.atomic
def product_reject(*, product: Product, actor: User, reason: str) -> Product:
    return _transition(product, actor, "reject", reason=require_reason(reason))


@transaction.atomic
def product_delist(*, product: Product, actor: User, reason: str = "") -> Product:
    return _transition(product, actor, "delist", reason=reason)

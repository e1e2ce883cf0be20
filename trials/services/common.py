from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, TypeVar, cast

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from factories.models import Factory
from marketplace.accounts.models import User
from marketplace.core.compiled import CompiledQuery
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.transitions import FlowTable, transition_apply

from ..models import BulkOrder, Payment, TrialOrder

Row = TypeVar("Row", bound=Model)


def locked(model: type[Row], pk: int, *related: str) -> Row:
    """Lock one row for the rest of the transaction, reading the `related` rows in the same query
    (only the row itself is locked). `of=("self",)` because PostgreSQL can't lock the nullable
    side of an outer join."""
    query: CompiledQuery[Row] | None = _LOCKS.get((model, related))
    if query is None:
        query = _LOCKS[(model, related)] = CompiledQuery(partial(_lock_query, model, related), _PK_MARKER)
    return query.get(pk)


# (model, related) -> the lock's query, compiled once (marketplace/core/compiled.py): a trial's
# lock with its four joined rows took more CPU to build and compile than anything else in a cancel.
_LOCKS: dict[tuple[type[Model], tuple[str, ...]], CompiledQuery[Any]] = {}
_PK_MARKER = -7_300_000_001  # no row has a negative key


def _lock_query(model: type[Row], related: tuple[str, ...], pk: int) -> QuerySet[Row]:
    rows = model._default_manager.select_for_update(of=("self",))
    # Only when asked: `select_related()` with no names joins every non-null foreign key, and
    # their keys in turn (a sample joined its buyer, user, factory, owner, product, category, …:
    # on fresh tables the planner took minutes over it — the seed_demo timeouts in CI).
    if related:
        rows = rows.select_related(*related)
    return rows.filter(pk=pk)


def locked_order_of(payment: Payment) -> TrialOrder | BulkOrder:
    """Lock what `payment` pays for (trial or bulk order): the first lock of every payment change."""
    if payment.trial_id:
        return locked(TrialOrder, payment.trial_id)
    if payment.bulk_order_id is None:  # Payment's check constraint: a trial or a bulk order, always
        raise BulkOrder.DoesNotExist(f"payment {payment.pk} pays for no order")
    return locked(BulkOrder, payment.bulk_order_id)


def buyer_profile_of(user: User) -> BuyerProfile:
    # The relation, not a query: authentication has usually read it already (partners/authentication.py).
    profile: BuyerProfile | None = getattr(user, "buyer_profile", None) if user.is_authenticated else None
    if profile is None:
        raise ValidationError({"detail": _("Create your streamer profile first (POST /api/v1/buyers/).")})
    return profile


class Deal(Protocol):
    """A row between one streamer and one factory: a trial, sample, bulk order, video tour."""

    @property
    def buyer(self) -> BuyerProfile: ...

    @property
    def factory(self) -> Factory: ...


def require_party(obj: Deal, actor: User | None) -> None:
    """The buyer or the factory of `obj`, or staff, or the system (the one owner check of every
    deal between a streamer and a factory; tours use it too)."""
    if actor is None or actor.is_staff_member:
        return
    if actor.is_buyer and obj.buyer.user_id == actor.pk:
        return
    if actor.is_factory and obj.factory.owner_id == actor.pk:
        return
    raise NotAllowed(_("This is not yours."))


D = TypeVar("D", bound=Model)  # a deal's row: TrialOrder, SampleRequest, BulkOrder, TourBooking


def deal_step(
    model: type[D],
    *,
    pk: int,
    table: FlowTable,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[D], list[str]] | None = None,
    related: tuple[str, ...] = (),
    after: Callable[[D], None] | None = None,
) -> D:
    """One transition of a deal in its own transaction, the same steps for every kind: lock the
    row (with the `related` rows the check, the notices and the answer read), check that `actor`
    is a party, apply the table's transition (its check, its guards, then `prepare`: a refused
    step sets nothing), then `after` — what the kind does besides (refresh a record, tell someone
    the flow does not) — under the same lock."""
    with transaction.atomic():
        deal = locked(model, pk, *related)
        # D is a Model for the lock and a Deal for this check; typing can't say both (no
        # intersection types), and every model passed here has its buyer and factory.
        require_party(cast(Deal, deal), actor)
        transition_apply(table=table, obj=deal, name=name, actor=actor, context=context, prepare=prepare)
        if after is not None:
            after(deal)
    return deal

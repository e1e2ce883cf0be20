from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import Role, User
from marketplace.core.dirty import mark_dirty
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.transitions import transition_apply
from marketplace.core.updates import model_update
from marketplace.core.validators import require_single_line

from ..events import FactoryEvents
from ..flows import FACTORY_TABLE
from ..models import Factory, FactoryTier, IndustrialBelt, VerificationCheck, VerificationStatus
from .common import categories_from_slugs, require_reason

PROFILE_FIELDS = [
    "name",
    "province",
    "city",
    "industrial_belt",
    "categories",
    "description",
    "established_year",
    "staff_count",
    "monthly_capacity",
    "customization",
    "accepts_trials",
    "max_trial_quantity",
    "trial_days",
    "deposit_percent",
    "credit_code",
    "video_url",
]


def _resolve_references(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    require_single_line(data, ("name", "province", "city"))
    if "categories" in data:
        if not data["categories"]:
            raise ValidationError({"categories": _("Choose at least one category.")})
        data["categories"] = categories_from_slugs(data["categories"], field="categories")
    if data.get("industrial_belt"):
        belt = IndustrialBelt.objects.filter(slug=data["industrial_belt"]).first()
        if belt is None:
            raise ValidationError(
                {
                    "industrial_belt": _("Unknown industrial belt: %(slug)s.")
                    % {"slug": data["industrial_belt"]}
                }
            )
        data["industrial_belt"] = belt
    elif "industrial_belt" in data:
        data["industrial_belt"] = None
    if "credit_code" in data:
        data["credit_code"] = data["credit_code"].strip().upper()
    return data


def _check_credit_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    qs = Factory.objects.filter(credit_code=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError(
            {"credit_code": _("A factory with this unified social credit code is already registered.")}
        )


@transaction.atomic
def factory_create(*, owner: User, data: dict[str, Any]) -> Factory:
    """A factory user registers their one factory; it waits for staff verification."""
    if owner.role != Role.FACTORY:
        raise NotAllowed(_("Only factory accounts can register a factory."))
    # Lock the user row so two simultaneous submissions can't both pass the "one factory" check.
    User.objects.select_for_update().get(pk=owner.pk)
    if Factory.objects.filter(owner=owner).exists():
        raise ValidationError({"detail": _("You have already registered a factory; edit it instead.")})
    data = _resolve_references(data)
    _check_credit_code_free(data["credit_code"])
    categories = data.pop("categories")
    factory = Factory(owner=owner, **{k: v for k, v in data.items() if k in PROFILE_FIELDS})
    # Uniqueness is ours to word (the check above and the index below), not Django's generic message.
    factory.full_clean(exclude=["owner"], validate_unique=False)
    try:
        # The check above can race with another registration of the same code; the unique
        # index decides, and the loser gets the same message instead of a 500.
        with transaction.atomic():
            factory.save()
    except IntegrityError:
        raise ValidationError(
            {"credit_code": _("A factory with this unified social credit code is already registered.")}
        ) from None
    factory.categories.set(categories)
    event_record(actor=owner, verb=FactoryEvents.CREATED, target=factory)
    # Not public yet; indexing settles its flag so the index status shows nothing pending.
    mark_dirty(factory)
    return factory


@transaction.atomic
def factory_update(*, factory: Factory, actor: User, data: dict[str, Any]) -> Factory:
    factory = Factory.objects.select_for_update().get(pk=factory.pk)
    if not actor.is_staff_member and factory.owner_id != actor.pk:
        raise NotAllowed(_("Only the owner can change this."))
    data = _resolve_references(data)
    if "credit_code" in data and data["credit_code"] != factory.credit_code:
        # The code is the legal identity staff checked; swapping it on a verified (public)
        # factory would carry the verified badge over to another company.
        if factory.verification_status == VerificationStatus.VERIFIED and not actor.is_staff_member:
            raise ValidationError(
                {"credit_code": _("Your factory is verified under this credit code; ask staff to change it.")}
            )
        _check_credit_code_free(data["credit_code"], exclude_pk=factory.pk)
    changed = model_update(instance=factory, fields=PROFILE_FIELDS, data=data)
    if changed:
        mark_dirty(factory)
        event_record(actor=actor, verb=FactoryEvents.UPDATED, target=factory, fields=changed)
        # A rejected factory that fixes its profile goes back to the review queue.
        if factory.verification_status == VerificationStatus.REJECTED and actor.acting_role == Role.FACTORY:
            _verification_step(factory, "resubmit", actor, reason="")
    return factory


def _verification_step(factory: Factory, name: str, actor: User, *, reason: str, **extra: Any) -> Factory:
    """One verification transition on a locked factory, through the one engine."""

    def prepare(factory: Factory) -> list[str]:
        factory.status_reason = reason
        factory.search_index_dirty = True
        for key, value in extra.items():
            setattr(factory, key, value)
        return ["status_reason", "search_index_dirty", *extra]

    transition_apply(table=FACTORY_TABLE, obj=factory, name=name, actor=actor, prepare=prepare)
    # Products of a factory that goes in or out of public view change visibility in search too.
    mark_dirty(factory)
    mark_dirty(factory.products.all())
    return factory


def _checks(checks: list[str] | None) -> list[str]:
    checks = list(dict.fromkeys(checks or []))
    unknown = [c for c in checks if c not in VerificationCheck.values]
    if unknown:
        raise ValidationError({"checks": _("Unknown check: %(checks)s.") % {"checks": ", ".join(unknown)}})
    return checks


@transaction.atomic
def factory_verify(
    *, factory: Factory, actor: User, tier: str | None = None, checks: list[str] | None = None
) -> Factory:
    """Verify (or re-verify, which renews a verification) a factory: what staff checked, and an
    expiry FACTORY_VERIFICATION_VALID_DAYS from now; a lapsed factory gets its badge back."""
    checks = _checks(checks)
    factory = Factory.objects.select_for_update().get(pk=factory.pk)
    tier = tier or factory.tier
    if tier not in FactoryTier.values:
        raise ValidationError({"tier": _("Choose standard or super.")})
    now = timezone.now()
    return _verification_step(
        factory,
        "verify",
        actor,
        reason="",
        tier=tier,
        verified_at=now,
        verification_checks=checks,
        verification_expires_at=now + timedelta(days=settings.FACTORY_VERIFICATION_VALID_DAYS),
        verification_reminded_at=None,
        verification_lapsed_at=None,
    )


@transaction.atomic
def factory_reject(*, factory: Factory, actor: User, reason: str) -> Factory:
    reason = require_reason(reason)
    factory = Factory.objects.select_for_update().get(pk=factory.pk)
    return _verification_step(factory, "reject", actor, reason=reason)


@transaction.atomic
def factory_suspend(*, factory: Factory, actor: User, reason: str) -> Factory:
    reason = require_reason(reason)
    factory = Factory.objects.select_for_update().get(pk=factory.pk)
    return _verification_step(factory, "suspend", actor, reason=reason)

from collections.abc import Iterable

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.notifications.services import notification_create

from ..flows import listing_data
from ..models import Category, Product


def categories_from_slugs(
    slugs: list[str], *, field: str, leaf_only: bool = False, known: dict[str, Category] | None = None
) -> list[Category]:
    """Resolve slugs, naming every unknown one so the person can fix them all at once.

    `known` (slug → category, loaded once) spares a query per call to callers that resolve many
    rows, such as the catalog import."""
    found = known if known is not None else {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError({field: _("Unknown category: %(slugs)s.") % {"slugs": ", ".join(unknown)}})
    if leaf_only:
        top = [s for s in slugs if found[s].parent_id is None]
        if top:
            raise ValidationError(
                {
                    field: _("Choose a sub-category, not the top-level category %(slugs)s.")
                    % {"slugs": ", ".join(top)}
                }
            )
    return [found[s] for s in dict.fromkeys(slugs)]


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the factory will read it.")})
    return reason


def delete_files(files: Iterable[FieldFile]) -> None:
    """Remove stored files (an image and its thumbnail). Storage is not transactional: callers
    call this after a rollback, or on commit once the rows are gone for good — there with
    `on_commit(…, robust=True)`: a file left behind is logged, the committed change still answers 2xx."""
    for file in files:
        if file.name:
            file.storage.delete(file.name)


def listing_notify(product: Product, *, kind: str, key: str, reason: str = "") -> None:
    """Tell a listing's factory what staff decided about it (inbox and e-mail, once per `key`)."""
    notification_create(
        recipient=product.factory.owner,
        kind=kind,
        key=key,
        data={**listing_data(product), "reason": reason},
    )

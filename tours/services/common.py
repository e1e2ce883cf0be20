from django.db import IntegrityError
from django.utils.translation import gettext as _

from factories.models import Factory
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, ValidationError


def factory_of(user: User) -> Factory:
    factory = Factory.objects.filter(owner=user).first() if user.is_authenticated else None
    if factory is None:
        raise NotAllowed(_("Only a factory account can do this."))
    return factory


def constraint_of(error: IntegrityError) -> str:
    """The name of the constraint PostgreSQL reports (psycopg 3), '' elsewhere (SQLite)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def bounded_text(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": limit}]})
    if "\x00" in value:
        raise ValidationError({field: [_("Text may not contain NUL characters.")]})
    return value

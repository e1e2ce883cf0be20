from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record

from .models import ApiKey, Role, User

SELF_SERVICE_ROLES = (Role.FACTORY, Role.BUYER)


@transaction.atomic
def user_register(*, username: str, password: str, email: str, role: str) -> tuple[User, Token]:
    """Sign-up for factories and streamers. Staff accounts come only from createsuperuser/admin."""
    if role not in SELF_SERVICE_ROLES:
        raise ValidationError({"role": _("Choose factory or buyer.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail already exists.")})
    user = User(username=username, email=email, role=role)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save()
    token = Token.objects.create(user=user)
    event_record(actor=user, verb="user.registered", target=user, role=role)
    return user, token


@transaction.atomic
def api_key_create(
    *, user: User, name: str, read_only: bool = False, actor: User | None = None
) -> tuple[ApiKey, str]:
    """Create a partner key; the raw key is returned once and only its hash is kept.

    `actor` is who issued it (staff in the admin); by default the owner themselves.
    """
    prefix, raw = ApiKey.generate()
    key = ApiKey.objects.create(
        user=user, name=name, prefix=prefix, key_hash=ApiKey.hash(raw), read_only=read_only
    )
    event_record(actor=actor or user, verb="api_key.created", target=key, name=name, read_only=read_only)
    return key, raw


def auth_token_issue(*, user: User) -> Token:
    """The user's API token: the existing one, or a new one on first sign-in (one per user)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token

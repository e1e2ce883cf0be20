from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record

from .events import AccountEvents
from .models import EMAIL_CI_UNIQUE, USERNAME_CI_UNIQUE, ApiKey, Role, User

SELF_SERVICE_ROLES = (Role.FACTORY, Role.BUYER)


def _taken_error(error: IntegrityError) -> dict[str, list[str]]:
    """Which unique index a lost sign-up race hit, as the field error the early checks give."""
    # PostgreSQL names the constraint; SQLite (the `make run` default) only says it in the text.
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or str(error)
    if EMAIL_CI_UNIQUE in constraint or "email" in constraint:
        return {"email": [_("An account with this e-mail already exists.")]}
    if USERNAME_CI_UNIQUE in constraint or "username" in constraint:
        return {"username": [_("This username is taken.")]}
    raise error


@transaction.atomic
def user_register(*, username: str, password: str, email: str, role: str) -> tuple[User, Token]:
    """Sign-up for factories and streamers. Staff accounts come only from createsuperuser/admin.

    Usernames are NFKC-normalized (a full-width 'ｄｅｍｏ' is 'demo') and e-mails keep their case but
    are unique ignoring it. The checks below give the early, friendly answer; the unique indexes on
    lower(username) / lower(email) decide the race between two sign-ups that both passed them.
    """
    if role not in SELF_SERVICE_ROLES:
        raise ValidationError({"role": _("Choose factory or buyer.")})
    username = User.normalize_username(username)
    email = User.objects.normalize_email(email or "")
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
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable after the error
            user.save()
    except IntegrityError as error:
        raise ValidationError(_taken_error(error)) from error
    token = Token.objects.create(user=user)
    event_record(actor=user, verb=AccountEvents.USER_REGISTERED, target=user, role=role)
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
    event_record(
        actor=actor or user, verb=AccountEvents.API_KEY_CREATED, target=key, name=name, read_only=read_only
    )
    return key, raw


def auth_token_issue(*, user: User) -> Token:
    """The user's API token: the existing one, or a new one on first sign-in (one per user)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token

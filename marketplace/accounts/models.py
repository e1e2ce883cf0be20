import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FACTORY = "factory", _("Factory")
    BUYER = "buyer", _("Streamer")
    STAFF = "staff", _("Staff")


# Names of the database constraints that make sign-up races end in one account (services.py maps them).
USERNAME_CI_UNIQUE = "accounts_user_username_ci_unique"
EMAIL_CI_UNIQUE = "accounts_user_email_ci_unique"


class AccountManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        """Sign-in finds 'Demo', 'demo' and a full-width 'ｄｅｍｏ' as one account.

        The name is NFKC-normalized as at sign-up, then compared with the database's lower() — the
        same expression the unique index uses, so at most one row can match.
        """
        name = self.model.normalize_username(username or "")
        return self.alias(username_ci=Lower("username")).get(username_ci=Lower(Value(name)))

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("role", Role.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Every person signs in as exactly one role; the role decides which side of a deal they act on."""

    objects: ClassVar[AccountManager] = AccountManager()

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.BUYER)

    class Meta(AbstractUser.Meta):
        constraints = [
            # Unique ignoring case in the database, so parallel sign-ups cannot both pass a check.
            models.UniqueConstraint(Lower("username"), name=USERNAME_CI_UNIQUE),
            # An e-mail is optional for staff made with createsuperuser: many may have none.
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name=EMAIL_CI_UNIQUE),
        ]

    @property
    def is_factory(self) -> bool:
        return self.role == Role.FACTORY

    @property
    def is_buyer(self) -> bool:
        return self.role == Role.BUYER

    @property
    def is_staff_member(self) -> bool:
        return self.role == Role.STAFF or self.is_staff

    @property
    def acting_role(self) -> str:
        """The role used by the transition tables: Django staff act as staff whatever their role field."""
        return Role.STAFF if self.is_staff_member else self.role


class HashedKey(models.Model):
    """What every API key kind shares: `<prefix>.<secret>`, of which only a SHA-256 is stored.

    The secret has 256 bits of randomness, so a fast hash is enough (no password stretching): a
    lookup by prefix, then a constant-time comparison. Each kind sets its own PREFIX_LENGTH, so
    the prefix alone says which table a key is in (user keys 8, organization keys 12).
    """

    PREFIX_LENGTH: ClassVar[int]

    class Meta:
        abstract = True

    @staticmethod
    def hash(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @classmethod
    def generate(cls) -> tuple[str, str]:
        """Return (prefix, raw key). The raw key is shown once and never stored."""
        prefix = secrets.token_hex(cls.PREFIX_LENGTH // 2)
        return prefix, f"{prefix}.{secrets.token_urlsafe(32)}"


class ApiKey(HashedKey):
    """A partner tool's key (服务商 / MCN software). It acts as its owner; only a hash is stored.

    `read_only` keys may only use safe methods, so a reporting tool can't place orders.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

"""Webhook signing secrets at rest: encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with keys from
the environment, so a copy of the database (a backup, a read replica, a leaked dump) cannot sign
events as us. The secret is in clear only while a delivery is signed and in the one response that
shows it to its owner.

WEBHOOK_SECRET_KEYS is a list: the first key encrypts, every key decrypts. To rotate, put a new
key first, deploy, run `manage.py webhook_secrets_reseal`, then drop the old key (docs/deploy.md).
Unset, one key is derived from SECRET_KEY (development; production sets its own).
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "reseal", "seal", "unseal"]


def derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(b"yuantou.webhook-secrets:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        return MultiFernet([Fernet(derived_key(secret_key))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "WEBHOOK_SECRET_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated."
        ) from exc


def _current() -> MultiFernet:
    return _fernet(tuple(settings.WEBHOOK_SECRET_KEYS), settings.SECRET_KEY)


def seal(secret: str) -> str:
    return _current().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    """Raises InvalidToken when no configured key opens it (a key dropped too early)."""
    return _current().decrypt(sealed.encode()).decode()


def reseal(sealed: str) -> str:
    """The same secret under the first key (after a rotation)."""
    return _current().rotate(sealed.encode()).decode()

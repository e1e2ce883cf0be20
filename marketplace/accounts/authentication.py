import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import ApiKey, User


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <prefix>.<secret>`: look up by prefix, compare hashes in constant time."""

    keyword = "Api-Key"

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        parts = header.split()
        if not parts or parts[0] != self.keyword:
            return None
        if len(parts) != 2 or "." not in parts[1]:
            raise exceptions.AuthenticationFailed(_("Invalid API key header."))
        raw_key = parts[1]
        prefix = raw_key.split(".", 1)[0]
        key = ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
        if key is None or not hmac.compare_digest(key.key_hash, ApiKey.hash(raw_key)):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        if not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if key.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise exceptions.PermissionDenied(_("This API key is read-only."))
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

"""`Authorization: Api-Key <prefix>.<secret>` for organization keys (issue 12, point 2), and for the
older user-owned keys (accounts.ApiKey, 8-character prefix), which keep acting as their owner.

Everything a partner key may do is decided here, before any view runs, so no view can forget it:
1. the key: unknown, revoked or past its rotation grace → 401;
2. its rate: over `rate_per_minute` → 429 with `Retry-After` (counted in the shared cache);
3. the operation: not in scopes.RULES, or a scope the key lacks → 403;
4. the streamer (`?buyer=<id>` or a `buyer` field): one of the organization's streamers or 404;
   the request then runs as that streamer's account, so every existing permission and
   visibility rule applies unchanged (the key can never do more than the streamer could).
A request that names no streamer (the catalogue) runs with no account, as the public's would.
"""

import hmac
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from buyers.models import BuyerProfile
from marketplace.accounts.authentication import ApiKeyAuthentication as UserApiKeyAuthentication

from . import selectors, services
from .models import PartnerKey
from .ratelimit import rate_limit_hit
from .scopes import Rule, rule_for


@dataclass(frozen=True)
class PartnerAccess:
    """`request.auth` of a partner key's request."""

    key: PartnerKey
    rule: Rule
    buyer: BuyerProfile | None


def _buyer_id(request) -> str | None:
    from_query = request.query_params.get("buyer")
    from_body = None
    if request.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
        data = request.data
        if hasattr(data, "get"):
            from_body = data.get("buyer")
    if from_query is not None and from_body is not None and str(from_body) != from_query:
        raise exceptions.ValidationError(
            {"buyer": [_("`?buyer=` and the `buyer` field name different streamers.")]}
        )
    value = from_query if from_query is not None else from_body
    return None if value in (None, "") else str(value)


class KeyThrottled(exceptions.Throttled):
    """429 with `Retry-After` (DRF's handler sets it from `wait`) and our one sentence, without
    DRF's own "Expected available in …" appended to it."""

    def __init__(self, wait: int, detail: str):
        exceptions.APIException.__init__(self, detail)
        self.wait = wait


class ApiKeyAuthentication(UserApiKeyAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).decode("latin-1").split()
        if len(parts) != 2 or parts[0] != self.keyword or "." not in parts[1]:
            return super().authenticate(request)
        raw_key = parts[1]
        prefix = raw_key.split(".", 1)[0]
        if len(prefix) != PartnerKey.PREFIX_LENGTH:
            return super().authenticate(request)  # a user-owned key
        now = timezone.now()
        key = PartnerKey.objects.select_related("organization").filter(prefix=prefix).first()
        if (
            key is None
            or not hmac.compare_digest(key.key_hash, PartnerKey.hash(raw_key))
            or key.revoked_at is not None
            or (key.expires_at is not None and key.expires_at <= now)
        ):
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired API key."))

        wait = rate_limit_hit(key_id=key.pk, per_minute=key.rate_per_minute)
        if wait is not None:
            raise KeyThrottled(
                wait=wait,
                detail=ngettext(
                    "Too many requests with this API key. Try again in %(seconds)d second.",
                    "Too many requests with this API key. Try again in %(seconds)d seconds.",
                    wait,
                )
                % {"seconds": wait},
            )
        services.key_touch(key=key, now=now)

        match = getattr(request._request, "resolver_match", None)
        rule = rule_for(match.url_name if match else None, request.method)
        if rule is None:
            raise exceptions.PermissionDenied(_("Partner keys cannot use this operation."))
        if rule.scope is not None and rule.scope not in key.scopes:
            raise exceptions.PermissionDenied(
                _("This API key lacks the scope %(scope)s.") % {"scope": rule.scope}
            )

        buyer_id = _buyer_id(request)
        if buyer_id is None:
            if rule.streamer:
                raise exceptions.ValidationError(
                    {"buyer": [_("Name the streamer this request acts for: ?buyer=<id> or a buyer field.")]}
                )
            return AnonymousUser(), PartnerAccess(key=key, rule=rule, buyer=None)
        if not (buyer_id.isascii() and buyer_id.isdigit() and len(buyer_id) <= 18):
            raise exceptions.ValidationError({"buyer": [_("A streamer id is a whole number.")]})
        buyer = selectors.partner_streamer(organization_id=key.organization_id, buyer_id=int(buyer_id))
        if buyer is None:
            raise exceptions.NotFound(_("No such streamer in this organization."))
        return buyer.user, PartnerAccess(key=key, rule=rule, buyer=buyer)

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

A member of an organization signed in with their own `Token` may name one of its streamers the
same way (`TokenAuthentication` below): on the operations of scopes.RULES the request then runs as
that streamer (404 for a streamer of none of the member's organizations). Without a `buyer`, or
naming their own profile, a token acts as its user exactly as before.
"""

import hmac
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.authtoken.models import Token

from buyers.models import BuyerProfile
from marketplace.accounts.authentication import ApiKeyAuthentication as UserApiKeyAuthentication
from marketplace.core.compiled import CompiledQuery
from marketplace.core.events import key_acting, member_acting

from . import selectors, services
from .models import PartnerKey
from .ratelimit import rate_limit_hit
from .scopes import Rule, rule_for, scope_granted


@dataclass(frozen=True)
class MemberAccess:
    """`request.auth` of a member's token request acting for one of their organizations' streamers."""

    token: object
    member_id: int
    buyer: BuyerProfile


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


def _rule(request) -> Rule | None:
    match = getattr(request._request, "resolver_match", None)
    return rule_for(match.url_name if match else None, request.method)


def _streamer_id(request) -> int | None:
    buyer_id = _buyer_id(request)
    if buyer_id is None:
        return None
    if not (buyer_id.isascii() and buyer_id.isdigit() and len(buyer_id) <= 18):
        raise exceptions.ValidationError({"buyer": [_("A streamer id is a whole number.")]})
    return int(buyer_id)


# Compiled once (marketplace/core/compiled.py): building and compiling this three-join query took
# ~1 ms of CPU on every token request, five times what running it costs.
_TOKEN = CompiledQuery(
    lambda key: Token.objects.select_related("user__buyer_profile", "user__factory").filter(key=key),
    "compiled-token-key",
)


class TokenAuthentication(DrfTokenAuthentication):
    """DRF's token, plus a member acting for a streamer of their organization (`?buyer=`)."""

    def authenticate_credentials(self, key):
        # DRF's own check, with the caller's streamer profile and factory read in the same query:
        # nearly every token request reads one of them next (whose trial, whose catalogue), and
        # that second query was one of a trial action's three before its own work began.
        try:
            token = _TOKEN.get(key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or _rule(request) is None:
            return result
        user, token = result
        buyer_id = _streamer_id(request)
        own = getattr(user, "buyer_profile", None)
        # A factory's account never acts for a streamer: where it names one (`buyer` of
        # POST conversations/: the streamer it writes to) the field is its own input.
        if buyer_id is None or (own is not None and own.pk == buyer_id) or user.is_factory:
            return result
        buyer = selectors.member_streamer(user=user, buyer_id=buyer_id)
        if buyer is None:
            raise exceptions.NotFound(_("No such streamer in your organizations."))
        member_acting(user)
        return buyer.user, MemberAccess(token=token, member_id=user.pk, buyer=buyer)


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

        rule = _rule(request)
        if rule is None:
            raise exceptions.PermissionDenied(_("Partner keys cannot use this operation."))
        if rule.scope is not None and not scope_granted(key.scopes, rule.scope):
            raise exceptions.PermissionDenied(
                _("This API key lacks the scope %(scope)s.") % {"scope": rule.scope}
            )

        buyer_id = _streamer_id(request)
        if buyer_id is None:
            if rule.streamer:
                raise exceptions.ValidationError(
                    {"buyer": [_("Name the streamer this request acts for: ?buyer=<id> or a buyer field.")]}
                )
            return AnonymousUser(), PartnerAccess(key=key, rule=rule, buyer=None)
        buyer = selectors.partner_streamer(organization_id=key.organization_id, buyer_id=buyer_id)
        if buyer is None:
            raise exceptions.NotFound(_("No such streamer in this organization."))
        key_acting(key_id=key.pk, name=key.name, organization=key.organization.name)
        return buyer.user, PartnerAccess(key=key, rule=rule, buyer=buyer)

"""Which operations a partner key may call, and with which scope: one table, deny by default.

Keyed by the URL name (marketplace/api/urls.py and each app's urls.py) and the HTTP method. An
operation that is not here is refused to every partner key (403), whatever its scopes: staff and
factory operations, sign-up and sign-in, and managing organizations and keys (people do that with
their own token). `streamer=True`: the operation acts for one streamer, named by `?buyer=<id>` or a
`buyer` field in the body; the key then acts as that streamer, who must be one of its
organization's (else 404). Without it, the key reads as the public does (the catalogue), or acts
for the named streamer when one is given.

The same rules say where a member's own token may name a streamer of their organization
(authentication.TokenAuthentication); scopes do not apply to members.

`tests/partners/test_scopes.py` walks every operation of the OpenAPI document against this table.
"""

from dataclasses import dataclass

from .models import Scope


@dataclass(frozen=True)
class Rule:
    scope: str | None  # None: any valid key of the organization
    streamer: bool  # the operation needs a streamer (`?buyer=` / `buyer`)


def _rules(scope: str | None, streamer: bool, *names_methods: tuple[str, str]) -> dict:
    return {
        (name, method): Rule(scope, streamer) for name, methods in names_methods for method in methods.split()
    }


CATALOG, BUYERS, TRIALS = Scope.CATALOG_READ.value, Scope.BUYERS_WRITE.value, Scope.TRIALS_WRITE.value
SAMPLES, REQUESTS = Scope.SAMPLES_WRITE.value, Scope.REQUESTS_WRITE.value
WEBHOOKS = Scope.WEBHOOKS_MANAGE.value
CONVERSATIONS_READ, CONVERSATIONS_WRITE = Scope.CONVERSATIONS_READ.value, Scope.CONVERSATIONS_WRITE.value

# A scope that grants another too: every `…:write` reads what it writes (docs/api.md). Conversations
# have a read-only scope of their own (an inbox or unread-badge tool that must not write for the
# streamer), so the write scope has to grant the read operations explicitly.
IMPLIED_BY: dict[str, str] = {CONVERSATIONS_READ: CONVERSATIONS_WRITE}

RULES: dict[tuple[str, str], Rule] = {
    **_rules(None, False, ("partner", "GET")),
    **_rules(
        CATALOG,
        False,
        ("categories", "GET"),
        ("industrial-belts", "GET"),
        ("division-list", "GET"),
        ("factory-list", "GET"),
        ("factory-detail", "GET"),
        ("product-list", "GET"),
        ("product-detail", "GET"),
        ("search-products", "GET"),
        ("search-factories", "GET"),
    ),
    **_rules(CATALOG, True, ("matches-products", "GET"), ("matches-factories", "GET")),
    **_rules(
        BUYERS,
        True,
        ("buyer-list", "GET"),
        ("buyer-detail", "GET PATCH"),
        ("address-list", "GET POST"),
        ("address-detail", "GET PATCH DELETE"),
    ),
    **_rules(
        TRIALS,
        True,
        ("trial-list", "GET POST"),
        ("trial-detail", "GET"),
        ("trial-cancel", "POST"),
        ("trial-pay", "POST"),
        ("trial-receive", "POST"),
        ("trial-feedback", "POST"),
        ("trial-convert", "POST"),
        ("trial-end", "POST"),
        ("bulk-order-list", "GET"),
        ("bulk-order-detail", "GET"),
        ("bulk-order-cancel", "POST"),
        ("bulk-order-pay", "POST"),
        ("bulk-order-receive", "POST"),
        ("bulk-order-complete", "POST"),
        ("bulk-order-dispute", "POST"),
    ),
    **_rules(
        SAMPLES,
        True,
        ("sample-list", "GET POST"),
        ("sample-detail", "GET"),
        ("sample-cancel", "POST"),
        ("sample-receive", "POST"),
    ),
    **_rules(
        REQUESTS,
        True,
        ("custom-request-list", "GET POST"),
        ("custom-request-detail", "GET"),
        ("custom-request-cancel", "POST"),
        ("quote-list", "GET"),
        ("quote-accept", "POST"),
        ("quote-order", "POST"),
        ("custom-messages", "GET POST"),
    ),
    # The streamer's conversations with factories (issue 13). Starting one, writing, reporting,
    # moving the read marker and saving the contact card change what the streamer and the factory
    # see, so they are writes; the rest reads.
    **_rules(
        CONVERSATIONS_READ,
        True,
        ("conversation-list", "GET"),
        ("conversation-unread", "GET"),
        ("conversation-contact-card", "GET"),
        ("conversation-detail", "GET"),
        ("conversation-messages", "GET"),
        ("conversation-topics", "GET"),
        ("conversation-attachment", "GET"),
    ),
    **_rules(
        CONVERSATIONS_WRITE,
        True,
        ("conversation-list", "POST"),
        ("conversation-contact-card", "PUT"),
        ("conversation-messages", "POST"),
        ("conversation-reports", "POST"),
        ("conversation-read", "POST"),
    ),
    # The organization's own webhooks (the key's organization only; no streamer involved).
    **_rules(
        WEBHOOKS,
        False,
        ("webhook-list", "GET POST"),
        ("webhook-detail", "DELETE"),
        ("webhook-enable", "POST"),
        ("webhook-rotate-secret", "POST"),
        ("webhook-deliveries", "GET"),
        ("webhook-redeliver", "POST"),
    ),
}


def scope_granted(scopes: list[str], scope: str) -> bool:
    """Whether a key holding `scopes` may use an operation that needs `scope`."""
    return scope in scopes or IMPLIED_BY.get(scope) in scopes


def rule_for(url_name: str | None, method: str) -> Rule | None:
    """The rule of an operation; HEAD and OPTIONS go as the GET of the same path."""
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return RULES.get((url_name or "", method))

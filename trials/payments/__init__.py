"""Payment providers. Each one starts a payment attempt and says how the buyer pays; only the
provider's own confirmation (a Stripe webhook, staff seeing a transfer arrive) marks it paid."""

from .bank_transfer import BankTransferProvider
from .base import Provider
from .stripe_provider import StripeProvider

PROVIDERS: dict[str, type[Provider]] = {
    BankTransferProvider.code: BankTransferProvider,
    StripeProvider.code: StripeProvider,
}


def get_provider(code: str) -> Provider:
    return PROVIDERS[code]()


__all__ = ["PROVIDERS", "BankTransferProvider", "Provider", "StripeProvider", "get_provider"]

from abc import ABC, abstractmethod
from typing import Any

from ..models import Payment, Refund


class Provider(ABC):
    code: str

    @abstractmethod
    def start(self, payment: Payment) -> list[str]:
        """Open the attempt with the provider; set reference fields on `payment` and return
        their names (the service saves them in its transaction)."""

    @abstractmethod
    def details(self, payment: Payment) -> dict[str, Any]:
        """What the buyer needs to pay: `client_secret` for a card, `instructions` for a transfer."""

    def cancel(self, payment: Payment) -> None:  # noqa: B027 - optional, nothing to do by default
        """Tell the provider the attempt is void (best effort)."""

    def refund(self, payment: Payment, refund: Refund) -> str:
        """Give the money of a succeeded charge back; return the provider's refund id. Must be
        safe to call again for the same `refund` (a retry after a crash finds the first one)."""
        raise NotImplementedError(f"{self.code} refunds are settled by staff")

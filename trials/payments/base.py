from abc import ABC, abstractmethod

from ..models import Payment


class Provider(ABC):
    code: str

    @abstractmethod
    def start(self, payment: Payment) -> list[str]:
        """Open the attempt with the provider; set reference fields on `payment` and return
        their names (the service saves them in its transaction)."""

    @abstractmethod
    def details(self, payment: Payment) -> dict:
        """What the buyer needs to pay: `client_secret` for a card, `instructions` for a transfer."""

    def cancel(self, payment: Payment) -> None:  # noqa: B027 - optional, nothing to do by default
        """Tell the provider the attempt is void (best effort)."""

"""Whether a streamer and a factory have agreed to talk, which lets each see the other's contact
details (ContactCard) in their conversation.

What counts as agreement lives in the apps above this one (trials: accepted trials, samples and
quotes; tours: confirmed bookings), which this layer may not import. So they register a provider
here from their AppConfig.ready(), like the event listeners of marketplace/core/events.py:

    from conversations.agreements import agreement_provider_register

    def _confirmed_booking(buyer_id: int, factory_id: int) -> bool:
        return Booking.objects.filter(
            buyer_id=buyer_id, slot__factory_id=factory_id, status="confirmed"
        ).exists()

    class ToursConfig(AppConfig):
        def ready(self):
            agreement_provider_register("tour_booking", _confirmed_booking)

A provider takes the BuyerProfile id and the Factory id and answers with one cheap query (it runs on
every conversation page and API read that shows contact details). Until some provider says yes,
contact details stay hidden; messages themselves flow regardless.
"""

from collections.abc import Callable

AgreementProvider = Callable[[int, int], bool]

_providers: dict[str, AgreementProvider] = {}


def agreement_provider_register(name: str, provider: AgreementProvider) -> None:
    """Register (or replace, by name: ready() may run twice in tests) what makes two sides agreed."""
    _providers[name] = provider


def agreement_between(*, buyer_id: int, factory_id: int) -> str | None:
    """The name of the first registered agreement that holds between the two sides, or None (one is
    enough to share contact details, so the rest are not asked)."""
    for name, provider in _providers.items():
        if provider(buyer_id, factory_id):
            return name
    return None

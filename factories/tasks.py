"""Beat task of verification freshness (services/freshness.py): one factory per transaction, so
one failure does not hold back the others; running it twice changes nothing more."""

import logging

from celery import shared_task

from .services import freshness

logger = logging.getLogger(__name__)


@shared_task
def verification_freshness() -> dict[str, int]:
    reminded = sum(
        freshness.factory_verification_remind(factory_id=pk) for pk in freshness.factories_to_remind()
    )
    lapsed = sum(freshness.factory_verification_lapse(factory_id=pk) for pk in freshness.factories_to_lapse())
    if reminded or lapsed:
        logger.info("verification freshness: %s reminded, %s lapsed", reminded, lapsed)
    return {"reminded": reminded, "lapsed": lapsed}

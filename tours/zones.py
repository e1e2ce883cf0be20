"""Time zones: the factory's (Asia/Shanghai, where the weekly ranges are read) and the viewer's.

The project keeps no per-user time zone, so a viewer names theirs (`?tz=Europe/Berlin` on the API
and the pages); an unknown name is refused rather than silently shown in another zone."""

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils.translation import gettext as _

from marketplace.core.errors import ValidationError

FACTORY_ZONE = ZoneInfo("Asia/Shanghai")
TZ_NAME_MAX_LENGTH = 64


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def viewer_zone(name: str | None) -> ZoneInfo:
    """The zone a person asked to see times in; Asia/Shanghai when they named none."""
    if not name:
        return FACTORY_ZONE
    if len(name) > TZ_NAME_MAX_LENGTH or name not in zone_names():
        raise ValidationError({"tz": [_("Unknown time zone; use an IANA name such as Europe/Berlin.")]})
    return ZoneInfo(name)

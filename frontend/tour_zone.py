"""The time zone the tour pages show times in, remembered for the session across them.

`?tz=` (or a form's `tz` field) names it and is remembered; an empty one forgets it; without one
the remembered zone, else the factory's Asia/Shanghai. An unknown name is refused with the
service's words and the page shows Asia/Shanghai, named as such."""

from zoneinfo import ZoneInfo

from django.http import HttpRequest

from marketplace.core.errors import ValidationError
from tours.zones import FACTORY_ZONE, viewer_zone

SESSION_KEY = "tour_zone"


def tour_zone(request: HttpRequest) -> tuple[ZoneInfo, str | None]:
    """(zone, refusal message or None)."""
    asked = request.POST.get("tz") if request.method == "POST" else None
    if asked is None:
        asked = request.GET.get("tz")
    try:
        zone = viewer_zone(asked if asked is not None else request.session.get(SESSION_KEY))
    except ValidationError as error:
        return FACTORY_ZONE, " ".join(error.messages)
    if asked is not None:
        request.session[SESSION_KEY] = str(zone) if asked else None
    return zone, None

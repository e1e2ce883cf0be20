from marketplace.core.models import Event


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    """The messages shown on the page a POST redirected to (follow=True)."""
    return [str(m) for m in response.context["messages"]]


def verbs(obj) -> list[str]:
    from marketplace.core.events import events_for

    return list(events_for(obj).order_by("id").values_list("verb", flat=True))


def event_count() -> int:
    return Event.objects.count()

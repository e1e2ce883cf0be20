"""Building blocks the account and profile forms share: bounded text without control characters,
grouped category / belt choices, and turning a service's refusal into errors on the form."""

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from factories.models import Category, IndustrialBelt

# Tab, line feed and carriage return are what a textarea legitimately sends; any other control
# character is pasted garbage that would later break e-mails, CSV exports and search snippets.
ALLOWED_CONTROL = {"\t", "\n", "\r"}


def no_control_characters(value: str) -> None:
    if any(unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROL for c in value or ""):
        raise ValidationError(_("Remove the invisible control characters from this text."), code="control")


class TextField(forms.CharField):
    """A CharField that refuses control characters (Django only refuses NUL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.append(no_control_characters)


def category_choices() -> list:
    """Categories grouped under their top level, in the language of the page."""
    rows = list(Category.objects.order_by("parent_id", "position", "id"))
    tops = [c for c in rows if c.parent_id is None]
    children: dict[int, list] = {}
    for c in rows:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append((c.slug, c.display_name))
    return [
        (
            top.display_name,
            [(top.slug, _("All of %(name)s") % {"name": top.display_name}), *children.get(top.pk, [])],
        )
        for top in tops
    ]


def belt_choices(belts: list[IndustrialBelt]) -> list:
    """Industrial belts grouped by province, with an empty choice first (a belt is optional)."""
    groups: dict[str, list] = {}
    for belt in belts:
        groups.setdefault(belt.province, []).append((belt.slug, f"{belt.display_name} · {belt.city}"))
    return [("", _("Not in an industrial belt")), *groups.items()]


def all_belts() -> list[IndustrialBelt]:
    return list(IndustrialBelt.objects.order_by("province", "city", "id"))


def add_service_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: under the field it names when the form has it
    (or its alias here), otherwise at the top of the form. The words are the service's own, so the
    page refuses with exactly what the API says."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        field = aliases.get(name, name)
        messages = [m for e in errors for m in e.messages]
        form.add_error(field if field in form.fields else None, messages)

"""Rows of a page's formset (channels, weekly tour times) as the services take them."""

from typing import Any

from django import forms


def kept_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The cleaned data of every filled-in row not ticked for removal. A stored row posted back
    unchanged counts: `has_changed()` compares it with the initial data, and a formset that
    replaces the stored set with its rows would drop it. Blank extra rows have no cleaned data."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

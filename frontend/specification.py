"""A deal's agreed specification (frozen on the trial or bulk order) as label / value rows, for the
order page and the packing slip."""

from django.utils.translation import gettext_lazy

SPEC_LABELS = {
    "title": gettext_lazy("Product"),
    "description": gettext_lazy("Description"),
    "requirements": gettext_lazy("Requirements"),
    "proposal": gettext_lazy("Proposal"),
    "benchmark_url": gettext_lazy("Benchmark product link"),
}


def spec_rows(spec: dict) -> list[tuple[object, object]]:
    """The agreed specification as label/value rows (attributes as they were when agreed)."""
    rows: list[tuple[object, object]] = [
        (SPEC_LABELS[key], spec[key]) for key in SPEC_LABELS if spec.get(key)
    ]
    attributes = spec.get("attributes") or {}
    if isinstance(attributes, dict):
        rows += [(str(name), str(value)) for name, value in attributes.items()]
    return rows

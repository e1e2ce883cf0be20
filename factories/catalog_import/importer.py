"""Preview (read + check every row, write nothing) and import (write the valid rows in batches).

The import re-checks the file rather than trusting an earlier preview: the category tree, the
factory's trial setting or its suspension may have changed in between, and the file is the only
thing the person confirmed."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from factories.models import Category, Factory
from factories.services import product_check_can_list, product_create_many
from marketplace.accounts.models import User

from .columns import COLUMNS, HEADER_LOOKUP, normalize_header
from .readers import ImportFileError, read_table
from .rows import RowResult, category_lookup, row_check

BATCH_SIZE = 500


@dataclass
class CatalogPreview:
    factory: Factory
    kind: str
    rows: list[RowResult]
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]


def _columns(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Header cells → {position: product field}; unknown headers are ignored but reported."""
    positions: dict[int, str] = {}
    ignored = []
    for position, header in enumerate(headers):
        column = HEADER_LOOKUP.get(normalize_header(header))
        if column is None:
            if header.strip():
                ignored.append(header.strip()[:40])
            continue
        if column.key in positions.values():
            raise ImportFileError(_("The column %(name)s appears twice.") % {"name": column.header})
        positions[position] = column.key
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions.values()]
    if missing:
        raise ImportFileError(
            _("The header row is missing these columns: %(names)s. Download the template to see them.")
            % {"names": ", ".join(missing)}
        )
    return positions, ignored


def catalog_preview(
    *, content: bytes, factory: Factory, actor: User, progress: Callable[[int], None] | None = None
) -> CatalogPreview:
    """Read and check every row. Raises ImportFileError for the file as a whole, NotAllowed when
    this person may not list products for this factory."""
    product_check_can_list(factory=factory, actor=actor)
    table = read_table(content)
    positions, ignored = _columns(table.headers)
    categories = {c.slug: c for c in Category.objects.all()}
    keys = category_lookup(categories)
    results = []
    for number, cells in table.rows:
        by_key = {key: cells[i] if i < len(cells) else "" for i, key in positions.items()}
        results.append(
            row_check(number=number, cells=by_key, factory=factory, categories=categories, category_keys=keys)
        )
        if progress:
            progress(1)
    return CatalogPreview(factory=factory, kind=table.kind, rows=results, ignored_headers=ignored)


def catalog_import(
    *,
    preview: CatalogPreview,
    actor: User,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create every valid row of the preview, in review, in one transaction (a failure leaves no
    half catalogue) of fixed-size batches (a constant number of queries per batch). Returns how many."""
    rows = preview.valid
    with transaction.atomic():
        for start in range(0, len(rows), batch_size):
            batch = [r.product for r in rows[start : start + batch_size] if r.product is not None]
            product_create_many(factory=preview.factory, actor=actor, products=batch, via="import")
            if progress:
                progress(len(batch))
    return len(rows)

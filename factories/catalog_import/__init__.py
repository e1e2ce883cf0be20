"""Bulk catalog import: a factory's CSV or XLSX file → validated rows → products in review.

`readers` turns the file into header + rows (bounded: size, rows, cells), `rows` checks each row
with the product service's own rules (`product_build`), `importer` writes the valid rows in
batches through `product_create_many`, `template` writes the blank files factories fill in. The
web pages and `manage.py import_catalog` call `catalog_preview` and `catalog_import`.
"""

from .importer import CatalogPreview, catalog_import, catalog_preview
from .readers import ImportFileError

__all__ = ["CatalogPreview", "ImportFileError", "catalog_import", "catalog_preview"]

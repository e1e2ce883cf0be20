"""Staff side of the catalog: one module per concept (taxonomy, factories, products, reports,
changes of live listings)."""

from . import catalog, factories, products, reports, revisions

__all__ = ["catalog", "factories", "products", "reports", "revisions"]

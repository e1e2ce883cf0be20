"""Staff side of the catalog: one module per concept (taxonomy, factories, products, reports)."""

from . import catalog, factories, products, reports

__all__ = ["catalog", "factories", "products", "reports"]

from .catalog import Category, IndustrialBelt
from .factory import CustomizationLevel, Factory, FactoryTier, VerificationStatus
from .moderation import ProductReport, ReportReason, ReportStatus
from .product import Product, ProductImage, ProductStatus

__all__ = [
    "Category",
    "CustomizationLevel",
    "Factory",
    "FactoryTier",
    "IndustrialBelt",
    "Product",
    "ProductImage",
    "ProductReport",
    "ProductStatus",
    "ReportReason",
    "ReportStatus",
    "VerificationStatus",
]

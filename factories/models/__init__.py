from .catalog import Category, IndustrialBelt
from .factory import CustomizationLevel, Factory, FactoryTier, VerificationCheck, VerificationStatus
from .media import FactoryPhoto
from .moderation import ProductReport, ReportReason, ReportStatus
from .product import Product, ProductImage, ProductStatus
from .revision import ProductRevision, RevisionStatus

__all__ = [
    "Category",
    "CustomizationLevel",
    "Factory",
    "FactoryPhoto",
    "FactoryTier",
    "IndustrialBelt",
    "Product",
    "ProductImage",
    "ProductReport",
    "ProductRevision",
    "ProductStatus",
    "ReportReason",
    "ReportStatus",
    "RevisionStatus",
    "VerificationCheck",
    "VerificationStatus",
]

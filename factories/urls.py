from django.urls import path

from marketplace.core.public_cache import public_cached

from .api import catalog, factories, media, products, revisions

urlpatterns = [
    path("categories/", catalog.CategoryListApi.as_view(), name="categories"),
    path("industrial-belts/", catalog.IndustrialBeltListApi.as_view(), name="industrial-belts"),
    path("factories/", factories.FactoryListCreateApi.as_view(), name="factory-list"),
    path("factories/<int:pk>/", factories.FactoryDetailApi.as_view(), name="factory-detail"),
    path("factories/<int:pk>/verify/", factories.FactoryVerifyApi.as_view(), name="factory-verify"),
    path("factories/<int:pk>/reject/", factories.FactoryRejectApi.as_view(), name="factory-reject"),
    path("factories/<int:pk>/suspend/", factories.FactorySuspendApi.as_view(), name="factory-suspend"),
    path("factories/<int:pk>/photos/", media.FactoryPhotoUploadApi.as_view(), name="factory-photos"),
    path(
        "factories/<int:pk>/photos/<int:photo_id>/",
        media.FactoryPhotoDetailApi.as_view(),
        name="factory-photo",
    ),
    path("factories/<int:pk>/licence/", media.FactoryLicenceApi.as_view(), name="factory-licence"),
    path("products/", public_cached(products.ProductListCreateApi.as_view()), name="product-list"),
    path("products/<int:pk>/", public_cached(products.ProductDetailApi.as_view()), name="product-detail"),
    path("products/<int:pk>/images/", products.ProductImageUploadApi.as_view(), name="product-images"),
    path(
        "products/<int:pk>/images/<int:image_id>/",
        products.ProductImageDetailApi.as_view(),
        name="product-image-detail",
    ),
    path("products/<int:pk>/approve/", products.ProductApproveApi.as_view(), name="product-approve"),
    path("products/<int:pk>/reject/", products.ProductRejectApi.as_view(), name="product-reject"),
    path(
        "products/<int:pk>/revision/approve/",
        revisions.ProductRevisionApproveApi.as_view(),
        name="product-revision-approve",
    ),
    path(
        "products/<int:pk>/revision/reject/",
        revisions.ProductRevisionRejectApi.as_view(),
        name="product-revision-reject",
    ),
    path("products/<int:pk>/report/", products.ProductReportApi.as_view(), name="product-report"),
]

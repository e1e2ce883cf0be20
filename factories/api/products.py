from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.fields import SingleLineField, price_field, quantity_field
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsFactoryUser, IsStaffUser, caller, viewer

from .. import selectors, services
from ..models import Product, ProductImage, ReportReason
from ..validators import MAX_PRICE_TIERS
from .base import ImageUploadApi, ReasonSerializer, get_visible_or_404, require_owner
from .serializers import (
    PRICE_TIERS_HELP,
    PriceTierSerializer,
    ProductImageAddedSerializer,
    ProductOutputSerializer,
)


class ProductInputSerializer(serializers.Serializer):
    title = SingleLineField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    category = serializers.SlugField(
        help_text="A sub-category slug from GET categories/ (one with a parent; top-level ones are refused)."
    )
    factory_price = price_field()
    moq = quantity_field(max_value=10_000_000)
    lead_time_days = serializers.IntegerField(min_value=1, max_value=365)
    customizable = serializers.BooleanField(required=False, default=False)
    # Left out: the listing follows the factory's `accepts_trials`.
    trial_eligible = serializers.BooleanField(
        required=False, help_text="true is refused unless the factory accepts trials."
    )
    price_tiers = serializers.ListField(
        child=PriceTierSerializer(),
        max_length=MAX_PRICE_TIERS,
        required=False,
        help_text=PRICE_TIERS_HELP,
    )
    attributes = serializers.JSONField(required=False, default=dict)
    # "draft" keeps it private; anything else sends it to review.
    status = serializers.ChoiceField(
        choices=["draft", "pending_review"], required=False, default="pending_review"
    )


class ProductFilter(filters.FilterSet):
    category = filters.CharFilter(method="filter_category")
    factory = filters.NumberFilter(field_name="factory_id")
    status = filters.CharFilter()
    customizable = filters.BooleanFilter()
    trial_eligible = filters.BooleanFilter(method="filter_trial_eligible")
    price_min = filters.NumberFilter(field_name="factory_price", lookup_expr="gte")
    price_max = filters.NumberFilter(field_name="factory_price", lookup_expr="lte")
    moq_max = filters.NumberFilter(field_name="moq", lookup_expr="lte")

    class Meta:
        model = Product
        fields = ["category", "factory", "status", "customizable", "trial_eligible"]

    def filter_trial_eligible(self, queryset: QuerySet[Product], name: str, value: bool) -> QuerySet[Product]:
        # The same effective rule as the output: the factory must take trials too.
        eligible = Q(trial_eligible=True, factory__accepts_trials=True)
        return queryset.filter(eligible if value else ~eligible)

    def filter_category(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return queryset.filter(category_id__in=selectors.category_with_descendants(value))


class ProductListCreateApi(generics.GenericAPIView):
    serializer_class = ProductOutputSerializer
    filterset_class = ProductFilter

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.product_visible_to(viewer(self.request))

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsFactoryUser()]
        return [permissions.AllowAny()]

    @extend_schema(responses=ProductOutputSerializer(many=True), tags=["products"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            ProductOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        request=ProductInputSerializer, responses={201: ProductOutputSerializer}, tags=["products"]
    )
    @idempotent
    def post(self, request: Request) -> Response:
        factory = getattr(request.user, "factory", None)
        if factory is None:
            raise ValidationError({"detail": _("Register your factory first (POST /api/v1/factories/).")})
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        submit = values.pop("status") != "draft"
        product = services.product_create(factory=factory, actor=caller(request), data=values, submit=submit)
        product = selectors.product_visible_to(viewer(request)).get(pk=product.pk)
        return Response(
            ProductOutputSerializer(product, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductDetailApi(APIView):
    def get_permissions(self) -> list[BasePermission]:
        if self.request.method in ("PATCH", "DELETE"):
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def _output(self, request: Request, pk: int) -> Response:
        product = selectors.product_visible_to(viewer(request)).get(pk=pk)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)

    @extend_schema(responses=ProductOutputSerializer, tags=["products"])
    def get(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)

    @extend_schema(
        request=ProductInputSerializer(partial=True), responses=ProductOutputSerializer, tags=["products"]
    )
    def patch(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        require_owner(request, product.factory.owner_id)
        data = ProductInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "status"}
        # `status: "pending_review"` (re)submits the listing in the same transaction as the edit,
        # so a refused submission leaves the edit unapplied too.
        wanted = data.validated_data.get("status")
        services.product_update(
            product=product,
            actor=caller(request),
            data=values,
            submit=wanted == "pending_review",
            draft=wanted == "draft",
        )
        return self._output(request, pk)

    @extend_schema(responses={204: None}, tags=["products"])
    def delete(self, request: Request, pk: int) -> Response:
        """Delisting, not deletion: trials and orders keep pointing at the product."""
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        require_owner(request, product.factory.owner_id)
        services.product_delist(product=product, actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductImageUploadApi(ImageUploadApi):
    class InputSerializer(serializers.Serializer):
        # A plain FileField: Pillow validation happens in the service, with our own messages.
        image = serializers.FileField(
            error_messages={"required": gettext_lazy("Attach an image file in the field 'image'.")}
        )

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={201: ProductImageAddedSerializer},
        tags=["products"],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        # Visibility and ownership first: nobody else's upload is even parsed (unless an
        # Idempotency-Key asks to compare bodies; the size limit below holds for that parse too).
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        require_owner(request, product.factory.owner_id)
        data = self.upload_data(request, self.InputSerializer)
        image = services.product_image_add(product=product, actor=caller(request), upload=data["image"])
        return Response(
            ProductImageAddedSerializer(image, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductImageDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None}, tags=["products"])
    def delete(self, request: Request, pk: int, image_id: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        require_owner(request, product.factory.owner_id)
        # Its owner may also remove a photo that is still waiting for review.
        image = get_visible_or_404(ProductImage.all_objects.filter(product=product), image_id)
        services.product_image_delete(image=image, actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductApproveApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStaffUser]

    @extend_schema(request=None, responses=ProductOutputSerializer, tags=["moderation"])
    def post(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        services.product_approve(product=product, actor=caller(request))
        product = selectors.product_visible_to(viewer(request)).get(pk=pk)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)


class ProductRejectApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStaffUser]

    @extend_schema(request=ReasonSerializer, responses=ProductOutputSerializer, tags=["moderation"])
    def post(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.product_reject(product=product, actor=caller(request), reason=data.validated_data["reason"])
        product = selectors.product_visible_to(viewer(request)).get(pk=pk)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)


class ProductReportApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = serializers.ChoiceField(choices=ReportReason.values)
        detail = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        product = serializers.IntegerField(source="product_id")
        reason = serializers.CharField()
        detail = serializers.CharField()
        status = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, tags=["moderation"])
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.product_report_create(
            product=product, reporter=caller(request), **data.validated_data
        )
        return Response(self.OutputSerializer(report).data, status=status.HTTP_201_CREATED)

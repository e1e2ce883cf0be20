from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.fields import SingleLineField, count_field
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsFactoryUser, IsStaffUser, caller, viewer

from .. import selectors, services
from ..models import CustomizationLevel, Factory, FactoryTier, VerificationCheck
from .base import ReasonSerializer, get_visible_or_404, require_owner
from .serializers import FactoryOutputSerializer


class FactoryInputSerializer(serializers.Serializer):
    name = SingleLineField(max_length=120)
    province = SingleLineField(max_length=32)
    city = SingleLineField(max_length=32)
    industrial_belt = serializers.SlugField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="A slug from GET industrial-belts/; empty or null for none.",
    )
    categories = serializers.ListField(
        child=serializers.SlugField(),
        allow_empty=False,
        min_length=1,
        max_length=50,
        help_text="At least one category slug from GET categories/ (an empty list is refused).",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    established_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    staff_count = count_field(required=False, allow_null=True, min_value=1)
    monthly_capacity = count_field(required=False, allow_null=True, min_value=1)
    customization = serializers.ChoiceField(choices=CustomizationLevel.values, required=False)
    accepts_trials = serializers.BooleanField(required=False)
    max_trial_quantity = serializers.IntegerField(required=False, min_value=1, max_value=100_000)
    trial_days = serializers.IntegerField(required=False, min_value=7, max_value=180)
    deposit_percent = serializers.IntegerField(
        required=False,
        min_value=10,
        max_value=90,
        help_text="The share of a bulk order paid before production (定金), 10–90; the balance is paid on delivery.",
    )
    credit_code = serializers.CharField(
        help_text="The unified social credit code: exactly 18 characters, not used by another factory.",
        max_length=18,
        min_length=18,
        error_messages={
            "min_length": _("A unified social credit code has 18 characters."),
            "max_length": _("A unified social credit code has 18 characters."),
        },
    )
    video_url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="An https:// link to a factory tour video (视频看厂); empty to remove it.",
    )


class FactoryFilter(filters.FilterSet):
    province = filters.CharFilter()
    industrial_belt = filters.CharFilter(field_name="industrial_belt__slug")
    category = filters.CharFilter(field_name="categories__slug", distinct=True)
    verification_status = filters.CharFilter()
    tier = filters.CharFilter()
    customization = filters.CharFilter()

    class Meta:
        model = Factory
        fields = ["province", "industrial_belt", "category", "verification_status", "tier", "customization"]


class FactoryListCreateApi(generics.GenericAPIView):
    serializer_class = FactoryOutputSerializer
    filterset_class = FactoryFilter

    def get_queryset(self) -> QuerySet[Factory]:
        # The output lists each factory's photos: one query for the page, not one per factory.
        return selectors.factory_visible_to(viewer(self.request)).prefetch_related("photos")

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsFactoryUser()]
        return [permissions.AllowAny()]

    @extend_schema(responses=FactoryOutputSerializer(many=True), tags=["factories"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            FactoryOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        request=FactoryInputSerializer, responses={201: FactoryOutputSerializer}, tags=["factories"]
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = FactoryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        factory = services.factory_create(owner=caller(request), data=data.validated_data)
        factory = selectors.factory_visible_to(viewer(request)).get(pk=factory.pk)
        return Response(
            FactoryOutputSerializer(factory, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class FactoryDetailApi(APIView):
    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "PATCH":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(responses=FactoryOutputSerializer, tags=["factories"])
    def get(self, request: Request, pk: int) -> Response:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        return Response(FactoryOutputSerializer(factory, context={"request": request}).data)

    @extend_schema(
        request=FactoryInputSerializer(partial=True), responses=FactoryOutputSerializer, tags=["factories"]
    )
    def patch(self, request: Request, pk: int) -> Response:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        require_owner(request, factory.owner_id)
        data = FactoryInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.factory_update(factory=factory, actor=caller(request), data=data.validated_data)
        factory = selectors.factory_visible_to(viewer(request)).get(pk=pk)
        return Response(FactoryOutputSerializer(factory, context={"request": request}).data)


class FactoryVerifyApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStaffUser]

    class InputSerializer(serializers.Serializer):
        tier = serializers.ChoiceField(choices=FactoryTier.values, required=False)
        checks = serializers.MultipleChoiceField(
            choices=VerificationCheck.values,
            required=False,
            help_text="What staff checked: business_licence, site_visit, video_tour (any of them).",
        )

    @extend_schema(request=InputSerializer, responses=FactoryOutputSerializer, tags=["moderation"])
    def post(self, request: Request, pk: int) -> Response:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        factory = services.factory_verify(
            factory=factory,
            actor=caller(request),
            tier=data.validated_data.get("tier"),
            checks=sorted(data.validated_data.get("checks", ())),
        )
        return Response(
            FactoryOutputSerializer(
                selectors.factory_visible_to(viewer(request)).get(pk=pk), context={"request": request}
            ).data
        )


class _FactoryReasonApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStaffUser]
    service: Callable[..., Factory]

    @extend_schema(request=ReasonSerializer, responses=FactoryOutputSerializer, tags=["moderation"])
    def post(self, request: Request, pk: int) -> Response:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(factory=factory, actor=caller(request), reason=data.validated_data["reason"])
        return Response(
            FactoryOutputSerializer(
                selectors.factory_visible_to(viewer(request)).get(pk=pk), context={"request": request}
            ).data
        )


class FactoryRejectApi(_FactoryReasonApi):
    service = staticmethod(services.factory_reject)


class FactorySuspendApi(_FactoryReasonApi):
    service = staticmethod(services.factory_suspend)

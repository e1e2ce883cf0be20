from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from factories.api.base import get_visible_or_404, require_owner
from marketplace.api.fields import SingleLineField, count_field, price_field
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsBuyerUser, caller

from . import selectors, services
from .models import BuyerProfile, Channel, Platform


class ChannelSerializer(serializers.ModelSerializer):
    platform = serializers.ChoiceField(choices=Platform.values)
    handle = SingleLineField(max_length=80)
    followers = count_field(default=0)

    class Meta:
        model = Channel
        fields = ["platform", "handle", "followers"]
        validators: list = []  # uniqueness is checked by the service, with a clearer message


class AudienceSerializer(serializers.Serializer):
    age_min = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    age_max = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    female_share = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Share of the audience that is female, from 0 to 1."),
    )


class BuyerInputSerializer(serializers.Serializer):
    display_name = SingleLineField(max_length=80)
    # DRF passes max_length on to the list serializer (3.15+); its stubs do not know it yet.
    channels = ChannelSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]
    categories = serializers.ListField(
        child=serializers.SlugField(),
        allow_empty=False,
        min_length=1,
        max_length=50,
        help_text="At least one category slug from GET categories/ (an empty list is refused).",
    )
    price_min = price_field(min_value=Decimal("0"))
    price_max = price_field(help_text="Must not be below price_min.")
    monthly_gmv = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False
    )
    units_per_session = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    province = SingleLineField(max_length=32, required=False, allow_blank=True)
    city = SingleLineField(max_length=32, required=False, allow_blank=True)
    needs_customization = serializers.BooleanField(required=False)
    audience = AudienceSerializer(required=False)


class BuyerRecordSerializer(serializers.Serializer):
    """The streamer's track record (documents the `record` object; filled by the trials app)."""

    trials_count = serializers.IntegerField()
    feedback_on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    sample_followthrough_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    cancellations_count = serializers.IntegerField()


class BuyerOutputSerializer(serializers.ModelSerializer):
    channels = ChannelSerializer(many=True, read_only=True)
    categories: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    audience = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = BuyerProfile
        fields = [
            "id",
            "display_name",
            "channels",
            "categories",
            "price_min",
            "price_max",
            "monthly_gmv",
            "units_per_session",
            "province",
            "city",
            "needs_customization",
            "audience",
            "record",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(AudienceSerializer)
    def get_audience(self, profile: BuyerProfile) -> dict:
        share = profile.audience_female_share
        return {
            "age_min": profile.audience_age_min,
            "age_max": profile.audience_age_max,
            "female_share": float(share) if share is not None else None,
        }

    @extend_schema_field(BuyerRecordSerializer)
    def get_record(self, profile: BuyerProfile) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in profile.record.items()}


class BuyerListCreateApi(generics.GenericAPIView):
    serializer_class = BuyerOutputSerializer

    def get_queryset(self) -> QuerySet[BuyerProfile]:
        return selectors.buyer_visible_to(caller(self.request))

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsBuyerUser()]
        return [permissions.IsAuthenticated()]

    @extend_schema(responses=BuyerOutputSerializer(many=True), tags=["buyers"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(BuyerOutputSerializer(page, many=True).data)

    @extend_schema(request=BuyerInputSerializer, responses={201: BuyerOutputSerializer}, tags=["buyers"])
    @idempotent
    def post(self, request: Request) -> Response:
        data = BuyerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.buyer_create(user=caller(request), data=data.validated_data)
        profile = selectors.buyer_visible_to(caller(request)).get(pk=profile.pk)
        return Response(BuyerOutputSerializer(profile).data, status=status.HTTP_201_CREATED)


class BuyerDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=BuyerOutputSerializer, tags=["buyers"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            BuyerOutputSerializer(get_visible_or_404(selectors.buyer_visible_to(caller(request)), pk)).data
        )

    @extend_schema(
        request=BuyerInputSerializer(partial=True), responses=BuyerOutputSerializer, tags=["buyers"]
    )
    def patch(self, request: Request, pk: int) -> Response:
        profile = get_visible_or_404(selectors.buyer_visible_to(caller(request)), pk)
        require_owner(request, profile.user_id)
        data = BuyerInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.buyer_update(profile=profile, actor=caller(request), data=data.validated_data)
        return Response(BuyerOutputSerializer(selectors.buyer_visible_to(caller(request)).get(pk=pk)).data)

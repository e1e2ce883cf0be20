"""addresses/: the caller's address book (streamers: shipping; factories: dispatch / return), and
divisions/ for the province → city → district pickers."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.fields import SingleLineField
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import caller

from . import divisions, services
from .models import Address
from .snapshot import snapshot


class AddressInput(serializers.Serializer):
    recipient = SingleLineField(max_length=40)
    mobile = serializers.CharField(max_length=20, help_text="A mainland mobile number: 11 digits, 13–19…")
    province_code = serializers.CharField(max_length=6, help_text="From GET divisions/.")
    city_code = serializers.CharField(max_length=6, help_text="From GET divisions/?province=….")
    district_code = serializers.CharField(
        max_length=6,
        required=False,
        allow_blank=True,
        default="",
        help_text="Empty for a city without districts.",
    )
    street = SingleLineField(max_length=120)
    postcode = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    is_default = serializers.BooleanField(required=False, default=False)


class AddressPatch(AddressInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class AddressOutput(serializers.ModelSerializer):
    place = serializers.SerializerMethodField(help_text="Province, city and district names.")

    class Meta:
        model = Address
        fields = [
            "id",
            "kind",
            "recipient",
            "mobile",
            "province_code",
            "city_code",
            "district_code",
            "place",
            "street",
            "postcode",
            "is_default",
            "created_at",
            "updated_at",
        ]

    def get_place(self, address: Address) -> dict:  # bare: the schema reads this hint
        frozen = snapshot(address)
        return {k: frozen[k] for k in ("province", "city", "district")}


class AddressListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AddressOutput(many=True), tags=["addresses"])
    def get(self, request: Request) -> Response:
        book = Address.objects.filter(owner=caller(request))
        return Response(AddressOutput(book, many=True).data)

    @extend_schema(request=AddressInput, responses={201: AddressOutput}, tags=["addresses"])
    @idempotent
    def post(self, request: Request) -> Response:
        data = AddressInput(data=request.data)
        data.is_valid(raise_exception=True)
        address = services.address_create(actor=caller(request), data=data.validated_data)
        return Response(AddressOutput(address).data, status=status.HTTP_201_CREATED)


class AddressDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _mine(self, request: Request, pk: int) -> Address:
        return get_object_or_404(Address.objects.filter(owner=caller(request)), pk=pk)

    @extend_schema(responses=AddressOutput, tags=["addresses"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(AddressOutput(self._mine(request, pk)).data)

    @extend_schema(request=AddressPatch, responses=AddressOutput, tags=["addresses"])
    def patch(self, request: Request, pk: int) -> Response:
        data = AddressPatch(data=request.data)
        data.is_valid(raise_exception=True)
        address = services.address_update(
            address=self._mine(request, pk), actor=caller(request), data=data.validated_data
        )
        return Response(AddressOutput(address).data)

    @extend_schema(responses={204: None}, tags=["addresses"])
    def delete(self, request: Request, pk: int) -> Response:
        services.address_delete(address=self._mine(request, pk), actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DivisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DivisionListApi(APIView):
    """Provinces; `?province=` its cities; `?province=&city=` that city's districts (GB/T 2260)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("province", str, required=False),
            OpenApiParameter("city", str, required=False),
        ],
        responses=DivisionSerializer(many=True),
        tags=["addresses"],
    )
    def get(self, request: Request) -> Response:
        province = request.query_params.get("province", "")[:6]
        city = request.query_params.get("city", "")[:6]
        if city:
            choices = divisions.district_choices(province, city)
        elif province:
            choices = divisions.city_choices(province)
        else:
            choices = divisions.province_choices()
        return Response([{"code": code, "name": name} for code, name in choices])

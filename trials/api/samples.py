from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.accounts.models import User
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsBuyerUser, caller

from .. import selectors
from ..models import SampleRequest
from ..services import samples
from .base import ActionApi
from .serializers import SampleOutputSerializer, address_field
from .trials import ShipInput


class SampleListCreateApi(generics.GenericAPIView):
    serializer_class = SampleOutputSerializer
    queryset = SampleRequest.objects.none()  # for the schema; reads go through selectors

    class InputSerializer(serializers.Serializer):
        product = serializers.IntegerField()
        note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        address = address_field()

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsBuyerUser()]
        return [permissions.IsAuthenticated()]

    @extend_schema(responses=SampleOutputSerializer(many=True), tags=["samples"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.sample_visible_to(caller(request)))
        return self.get_paginated_response(
            SampleOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=InputSerializer, responses={201: SampleOutputSerializer}, tags=["samples"])
    @idempotent
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sample = samples.sample_create(
            actor=caller(request),
            product_id=data.validated_data["product"],
            note=data.validated_data["note"],
            address=data.validated_data.get("address"),
        )
        return Response(
            SampleOutputSerializer(sample, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class SampleDetailApi(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SampleOutputSerializer

    def get_queryset(self) -> QuerySet[SampleRequest]:
        return selectors.sample_visible_to(caller(self.request))


class _SampleAction(ActionApi[SampleRequest, SampleRequest]):
    output_serializer = SampleOutputSerializer

    def visible(self, user: User) -> QuerySet[SampleRequest]:
        return selectors.sample_visible_to(user)


View = TypeVar("View", bound=type[_SampleAction])


def _schema(input_serializer: type[serializers.Serializer] | None = None) -> Callable[[View], View]:
    return extend_schema_view(
        post=extend_schema(request=input_serializer, responses=SampleOutputSerializer, tags=["samples"])
    )


@_schema()
class SampleAcceptApi(_SampleAction):
    def perform(self, sample: SampleRequest, user: User, data: dict[str, Any]) -> SampleRequest:
        return samples.sample_accept(sample=sample, actor=user)


class DeclineInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@_schema(DeclineInput)
class SampleDeclineApi(_SampleAction):
    input_serializer = DeclineInput

    def perform(self, sample: SampleRequest, user: User, data: dict[str, Any]) -> SampleRequest:
        return samples.sample_decline(sample=sample, actor=user, reason=data["reason"])


@_schema()
class SampleCancelApi(_SampleAction):
    def perform(self, sample: SampleRequest, user: User, data: dict[str, Any]) -> SampleRequest:
        return samples.sample_cancel(sample=sample, actor=user)


@_schema(ShipInput)
class SampleShipApi(_SampleAction):
    input_serializer = ShipInput

    def perform(self, sample: SampleRequest, user: User, data: dict[str, Any]) -> SampleRequest:
        return samples.sample_ship(sample=sample, actor=user, **data)


@_schema()
class SampleReceiveApi(_SampleAction):
    def perform(self, sample: SampleRequest, user: User, data: dict[str, Any]) -> SampleRequest:
        return samples.sample_receive(sample=sample, actor=user)

"""/api/v1/tours/…: thin views over the services and selectors (one operation each)."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.models import User
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsBuyerUser, IsFactoryUser, caller
from marketplace.core.errors import ValidationError

from .. import selectors
from ..models import TourAvailability, TourBooking
from ..services import availability as availability_services
from ..services import bookings, ratings
from ..services.common import factory_of
from ..zones import viewer_zone
from . import serializers as s

TZ_PARAM = OpenApiParameter(
    "tz", OpenApiTypes.STR, description="IANA time zone to show times in (default Asia/Shanghai)"
)
TAGS = ["tours"]


def _zone(request: Request) -> ZoneInfo:
    return viewer_zone(request.query_params.get("tz"))


def _context(request: Request) -> dict[str, Any]:
    return {"request": request, "zone": _zone(request)}


class AvailabilityApi(APIView):
    """The calling factory's weekly availability (time ranges in Asia/Shanghai)."""

    permission_classes = [permissions.IsAuthenticated, IsFactoryUser]

    @extend_schema(
        responses={
            200: s.AvailabilitySerializer,
            404: OpenApiResponse(description="No tour availability published yet (the JSON error shape)."),
        },
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        availability = selectors.availability_of(factory_of(caller(request)))
        if availability is None:
            return Response(
                {"detail": _("No tour availability published yet.")}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(_availability_out(availability))

    @extend_schema(request=s.AvailabilitySerializer, responses=s.AvailabilitySerializer, tags=TAGS)
    def put(self, request: Request) -> Response:
        data = s.AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        availability = availability_services.tour_availability_save(
            actor=caller(request),
            meeting_url=v["meeting_url"],
            slot_minutes=v["slot_minutes"],
            parallel_calls=v["parallel_calls"],
            active=v["active"],
            windows=[
                availability_services.WindowInput(w["weekday"], w["starts"], w["ends"]) for w in v["windows"]
            ],
            blackouts=v["blackouts"],
        )
        return Response(_availability_out(availability))


def _availability_out(availability: TourAvailability) -> dict[str, Any]:
    return s.AvailabilitySerializer(
        {
            "meeting_url": availability.meeting_url,
            "slot_minutes": availability.slot_minutes,
            "parallel_calls": availability.parallel_calls,
            "active": availability.active,
            "time_zone": "Asia/Shanghai",
            "windows": list(availability.windows.all()),
            "blackouts": [b.date for b in availability.blackouts.all()],
        }
    ).data


def _date_param(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


class SlotsApi(APIView):
    """A factory's bookable slots between two dates (at most 31 days), with free places."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="first day (Asia/Shanghai), default today"
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="last day, default 13 days later"),
            TZ_PARAM,
        ],
        responses=s.SlotsOutputSerializer,
        tags=TAGS,
    )
    def get(self, request: Request, factory_id: int) -> Response:
        zone = _zone(request)
        factory = selectors.bookable_factory(factory_id)
        if factory is None:
            return Response(
                {"detail": _("This factory takes no tour bookings.")}, status=status.HTTP_404_NOT_FOUND
            )
        first = _date_param(request, "from", timezone.localdate())
        last = _date_param(request, "to", first + timedelta(days=13))
        availability = factory.tour_availability
        slots = selectors.tour_slots(availability=availability, first=first, last=last)
        body = {
            "factory": factory.pk,
            "time_zone": str(zone),
            "slot_minutes": availability.slot_minutes,
            "slots": slots,
        }
        return Response(s.SlotsOutputSerializer(body, context={"zone": zone}).data)


class BookingListCreateApi(generics.GenericAPIView):
    serializer_class = s.BookingOutputSerializer
    queryset = TourBooking.objects.none()  # for the schema; reads go through selectors

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsBuyerUser()]
        return [permissions.IsAuthenticated()]

    @extend_schema(parameters=[TZ_PARAM], responses=s.BookingOutputSerializer(many=True), tags=TAGS)
    def get(self, request: Request) -> Response:
        context = _context(request)
        page = self.paginate_queryset(selectors.booking_visible_to(caller(request)))
        return self.get_paginated_response(s.BookingOutputSerializer(page, many=True, context=context).data)

    @extend_schema(
        parameters=[TZ_PARAM], request=s.BookInput, responses={201: s.BookingOutputSerializer}, tags=TAGS
    )
    @idempotent
    def post(self, request: Request) -> Response:
        context = _context(request)
        data = s.BookInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = caller(request)
        booking = bookings.tour_book(
            actor=user,
            factory_id=v["factory"],
            starts_at=v["starts_at"],
            product_ids=v["products"],
            agenda=v["agenda"],
        )
        booking = selectors.booking_visible_to(user).get(pk=booking.pk)
        return Response(
            s.BookingOutputSerializer(booking, context=context).data, status=status.HTTP_201_CREATED
        )


class BookingDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[TZ_PARAM], responses=s.BookingOutputSerializer, tags=TAGS)
    def get(self, request: Request, pk: int) -> Response:
        booking = get_object_or_404(selectors.booking_visible_to(caller(request)), pk=pk)
        return Response(s.BookingOutputSerializer(booking, context=_context(request)).data)


class _BookingAction(APIView):
    """One POST per step: the booking among those the caller may see (else 404), one service call."""

    permission_classes = [permissions.IsAuthenticated]
    input_serializer: type[serializers.Serializer[Any]] | None = None

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        context = _context(request)
        user = caller(request)
        booking = get_object_or_404(selectors.booking_visible_to(user), pk=pk)
        data: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.perform(booking, user, data)
        booking = selectors.booking_visible_to(user).get(pk=pk)
        return Response(s.BookingOutputSerializer(booking, context=context).data)


V = TypeVar("V", bound=Callable[..., Response])


def _action_schema(input_serializer: type[serializers.Serializer[Any]] | None = None) -> Callable[[V], V]:
    return extend_schema(
        parameters=[TZ_PARAM], request=input_serializer, responses=s.BookingOutputSerializer, tags=TAGS
    )


class ConfirmApi(_BookingAction):
    @_action_schema()
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        return bookings.tour_confirm(booking=booking, actor=user)


class ProposeApi(_BookingAction):
    input_serializer = s.ProposeInput

    @_action_schema(s.ProposeInput)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        return bookings.tour_propose(booking=booking, actor=user, starts_at=data["starts_at"])


class AcceptProposalApi(_BookingAction):
    @_action_schema()
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        return bookings.tour_accept_proposal(booking=booking, actor=user)


class DeclineProposalApi(_BookingAction):
    @_action_schema()
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        return bookings.tour_decline_proposal(booking=booking, actor=user)


class CancelApi(_BookingAction):
    input_serializer = s.CancelInput

    @_action_schema(s.CancelInput)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        return bookings.tour_cancel(booking=booking, actor=user, reason=data["reason"])


class RateApi(_BookingAction):
    input_serializer = s.RateInput

    @_action_schema(s.RateInput)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, booking: TourBooking, user: User, data: dict[str, Any]) -> TourBooking:
        return ratings.tour_rate(booking=booking, actor=user, rating=data["rating"], comment=data["comment"])

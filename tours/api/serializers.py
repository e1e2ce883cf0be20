"""What the tours API shows. Times come in the viewer's zone (`?tz=`, else Asia/Shanghai), always
with their offset, so a client can compare them as instants whatever zone it asked for."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.transitions import allowed_actions

from ..flows import CANCEL_CUTOFF, TABLE
from ..models import AGENDA_MAX_LENGTH, COMMENT_MAX_LENGTH, REASON_MAX_LENGTH, TourBooking, TourStatus
from ..selectors import can_rate, is_over
from ..zones import FACTORY_ZONE


class ZonedDateTimeField(serializers.DateTimeField):
    def to_representation(self, value: datetime | None) -> str | None:  # type: ignore[override]
        if value is None:
            return None
        zone = self.context.get("zone", FACTORY_ZONE)
        return value.astimezone(zone).isoformat()


class ProductRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class BookingOutputSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(source="__str__", read_only=True)
    factory_name = serializers.CharField(source="factory.name", read_only=True)
    buyer_name = serializers.CharField(source="buyer.display_name", read_only=True)
    starts_at = ZonedDateTimeField()
    ends_at = ZonedDateTimeField()
    requested_starts_at = ZonedDateTimeField()
    confirmed_at = ZonedDateTimeField()
    rated_at = ZonedDateTimeField()
    created_at = ZonedDateTimeField()
    time_zone = serializers.SerializerMethodField()
    products = ProductRefSerializer(many=True, read_only=True)
    meeting_url = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    follow_up = serializers.SerializerMethodField()

    class Meta:
        model = TourBooking
        fields = [
            "id",
            "ref",
            "factory",
            "factory_name",
            "buyer",
            "buyer_name",
            "status",
            "starts_at",
            "ends_at",
            "requested_starts_at",
            "time_zone",
            "agenda",
            "products",
            "meeting_url",
            "cancel_reason",
            "cancelled_by",
            "confirmed_at",
            "rating",
            "rating_comment",
            "rated_at",
            "created_at",
            "actions",
            "follow_up",
        ]
        read_only_fields = fields

    def get_time_zone(self, obj: TourBooking) -> str:
        return str(self.context.get("zone", FACTORY_ZONE))

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_meeting_url(self, obj: TourBooking) -> str:
        # The factory's own room: given once the call is agreed, not with an unanswered request.
        return obj.meeting_url if obj.status == TourStatus.CONFIRMED else ""

    def get_actions(self, obj: TourBooking) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        actions = allowed_actions(TABLE, obj, request.user)
        if "cancel" in actions and timezone.now() > obj.starts_at - CANCEL_CUTOFF:
            actions.remove("cancel")  # the table allows it from the state; the cut-off has passed
        if can_rate(obj, request.user):
            actions.append("rate")
        return actions

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_follow_up(self, obj: TourBooking) -> dict[str, Any] | None:
        """After the call: where the streamer goes next with the products they discussed."""
        request = self.context.get("request")
        if request is None or not is_over(obj) or obj.buyer.user_id != request.user.pk:
            return None
        return follow_up_links(obj)


def follow_up_links(booking: TourBooking) -> dict[str, Any]:
    products = list(booking.products.all())
    return {
        "trials": [
            {
                "product": p.pk,
                "title": p.title,
                "url": reverse("frontend:product", args=[p.pk]) + "#trial-request",
            }
            for p in products
        ],
        "custom_request": reverse("frontend:custom-new") + f"?tour={booking.pk}",
    }


class BookInput(serializers.Serializer):
    factory = serializers.IntegerField(min_value=1)
    starts_at = serializers.DateTimeField()
    products = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=10, default=list)
    agenda = serializers.CharField(max_length=AGENDA_MAX_LENGTH, required=False, allow_blank=True, default="")


class ProposeInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class RateInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class WindowSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    starts = serializers.TimeField(format="%H:%M")
    ends = serializers.TimeField(format="%H:%M")


class AvailabilitySerializer(serializers.Serializer):
    meeting_url = serializers.CharField(max_length=500)
    slot_minutes = serializers.IntegerField()
    parallel_calls = serializers.IntegerField(min_value=1, max_value=10)
    active = serializers.BooleanField(default=True)
    time_zone = serializers.CharField(read_only=True, default="Asia/Shanghai")
    windows = serializers.ListField(child=WindowSerializer(), max_length=28)
    blackouts = serializers.ListField(child=serializers.DateField(), max_length=100, default=list)


class SlotSerializer(serializers.Serializer):
    starts_at = ZonedDateTimeField()
    ends_at = ZonedDateTimeField()
    free = serializers.IntegerField()


class SlotsOutputSerializer(serializers.Serializer):
    factory = serializers.IntegerField()
    time_zone = serializers.CharField()
    slot_minutes = serializers.IntegerField()
    slots = SlotSerializer(many=True)

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from conversations.api.serializers import AttachmentOutputSerializer
from conversations.models import Message, Side
from marketplace.accounts.models import User
from marketplace.api.output import OutputModelSerializer
from marketplace.api.permissions import caller
from marketplace.core.transitions import FlowTable, allowed_actions

from .. import selectors
from ..flows import bulk as bulk_flow
from ..flows import custom as custom_flow
from ..flows import sample as sample_flow
from ..flows import trial as trial_flow
from ..models import (
    BulkOrder,
    CustomRequest,
    CustomRequestOffer,
    Payment,
    Quote,
    SampleRequest,
    TrialOrder,
    TrialStatus,
)
from ..payments import get_provider
from ..reveal import address_for
from ..services import payments as payments_service
from ..services import trials as trials_service


def address_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="An id from GET addresses/; the default address if left out.",
    )


class _ActionsMixin(serializers.Serializer):
    actions = serializers.SerializerMethodField(
        help_text="What the caller may do now: the transitions their role may fire, and `pay` when money is due."
    )
    table: FlowTable | None = None

    def get_actions(self, obj: Model) -> list[str]:
        request = self.context.get("request")
        return allowed_actions(self.table, obj, request.user) if request and self.table else []


class _ShippingMixin(serializers.Serializer):
    shipping_address = serializers.SerializerMethodField(
        help_text="Where the goods go, frozen when the order was made. The factory sees province and "
        "city until it accepts (confirms a bulk order), then the address with the mobile number masked "
        "(138****5678), the number itself only on the shipping step; the streamer and staff see it all."
    )

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_shipping_address(self, obj: TrialOrder | BulkOrder | SampleRequest) -> dict[str, Any] | None:
        request = self.context.get("request")
        return address_for(obj, getattr(request, "user", None))


class BulkOrderPreviewSerializer(serializers.Serializer):
    unit_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Full price per unit a bulk order pays now (approved price).",
    )
    min_quantity = serializers.IntegerField(help_text="A bulk order needs at least this many units (MOQ).")
    min_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="unit_price × min_quantity.",
    )
    price_tiers = serializers.ListField(
        child=serializers.DictField(),
        help_text="The unit price by quantity, the MOQ first: `[{min_quantity, unit_price}]` (volume "
        "prices, 阶梯价); a bulk order of n units pays the last tier whose min_quantity ≤ n.",
    )

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["price_tiers"] = [
            {"min_quantity": t["min_quantity"], "unit_price": f"{t['unit_price']:.2f}"}
            for t in instance["price_tiers"]
        ]
        return data


class TrialOutputSerializer(_ShippingMixin, _ActionsMixin, OutputModelSerializer):
    table = trial_flow.TABLE
    title = serializers.CharField(read_only=True)
    buyer = serializers.IntegerField(source="buyer_id")
    factory = serializers.IntegerField(source="factory_id")
    product = serializers.IntegerField(source="product_id", allow_null=True)
    quote = serializers.IntegerField(source="quote_id", allow_null=True)
    bulk_order = serializers.SerializerMethodField()
    buyer_name = serializers.CharField(source="buyer.display_name", read_only=True)
    # The streamer's record, so a factory can judge the request without another call.
    buyer_record = serializers.DictField(source="buyer.record", read_only=True)
    bulk_order_preview = serializers.SerializerMethodField(
        help_text="What `convert` would charge, before the buyer confirms; null once converted."
    )

    class Meta:
        model = TrialOrder
        fields = [
            "id",
            "status",
            "title",
            "buyer",
            "buyer_name",
            "buyer_record",
            "factory",
            "product",
            "quote",
            "quantity",
            "factory_price",
            "unit_price",
            "total",
            "trial_days",
            "specification",
            "carrier",
            "tracking_number",
            "units_sold",
            "units_returned",
            "rating",
            "comment",
            "created_at",
            "responded_at",
            "paid_at",
            "shipped_at",
            "received_at",
            "window_ends_at",
            "feedback_at",
            "closed_at",
            "bulk_order",
            "bulk_order_preview",
            "shipping_address",
            "actions",
        ]

    @extend_schema_field(BulkOrderPreviewSerializer(allow_null=True))
    def get_bulk_order_preview(self, obj: TrialOrder) -> dict[str, Any] | None:
        if obj.status == TrialStatus.CONVERTED:
            return None
        return BulkOrderPreviewSerializer(trials_service.bulk_order_preview(obj)).data

    def get_bulk_order(self, obj: TrialOrder) -> int | None:
        # Selectors join the reverse one-to-one, so this costs no query per row.
        try:
            return obj.bulk_order.pk
        except ObjectDoesNotExist:
            return None


class BulkPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "purpose", "provider", "status", "amount", "currency", "attempt", "created_at"]


class BulkOrderOutputSerializer(_ShippingMixin, _ActionsMixin, OutputModelSerializer):
    table = bulk_flow.TABLE
    title = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    buyer_name = serializers.CharField(source="buyer.display_name", read_only=True)
    factory_name = serializers.CharField(source="factory.name", read_only=True)
    amount_due = serializers.SerializerMethodField(
        help_text="What `pay` charges now (the deposit once confirmed, the balance once received), else null."
    )
    payments = serializers.SerializerMethodField(help_text="Every payment attempt, newest first.")

    class Meta:
        model = BulkOrder
        fields = [
            "id",
            "status",
            "status_label",
            "title",
            "trial",
            "quote",
            "buyer",
            "buyer_name",
            "factory",
            "factory_name",
            "product",
            "quantity",
            "unit_price",
            "total",
            "deposit_percent",
            "deposit_amount",
            "balance_amount",
            "amount_due",
            "payments",
            "specification",
            "delivery_date",
            "carrier",
            "tracking_number",
            "note",
            "dispute_reason",
            "created_at",
            "confirmed_at",
            "deposit_paid_at",
            "production_started_at",
            "shipped_at",
            "received_at",
            "balance_paid_at",
            "disputed_at",
            "closed_at",
            "shipping_address",
            "actions",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_amount_due(self, obj: BulkOrder) -> str | None:
        due = payments_service.BULK_DUE.get(obj.status)
        return None if due is None else f"{getattr(obj, due[1]):.2f}"

    @extend_schema_field(BulkPaymentSerializer(many=True))
    def get_payments(self, obj: BulkOrder) -> Any:
        return BulkPaymentSerializer(obj.payments.all(), many=True).data


class PaymentOutputSerializer(OutputModelSerializer):
    client_secret = serializers.SerializerMethodField()
    instructions = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "provider",
            "status",
            "amount",
            "currency",
            "attempt",
            "client_secret",
            "instructions",
        ]

    def get_client_secret(self, obj: Payment) -> str | None:
        secret: str | None = get_provider(obj.provider).details(obj).get("client_secret")
        return secret

    def get_instructions(self, obj: Payment) -> dict | None:  # the bare dict: the schema reads this hint
        instructions: dict[str, Any] | None = get_provider(obj.provider).details(obj).get("instructions")
        return instructions


class SampleOutputSerializer(_ShippingMixin, _ActionsMixin, OutputModelSerializer):
    table = sample_flow.TABLE

    class Meta:
        model = SampleRequest
        fields = [
            "id",
            "status",
            "buyer",
            "factory",
            "product",
            "note",
            "decline_reason",
            "carrier",
            "tracking_number",
            "created_at",
            "responded_at",
            "shipped_at",
            "received_at",
            "shipping_address",
            "actions",
        ]


class CustomOfferSerializer(serializers.ModelSerializer):
    factory_name = serializers.CharField(source="factory.name", read_only=True)

    class Meta:
        model = CustomRequestOffer
        fields = ["factory", "factory_name", "rank", "score", "reasons"]


class CustomRequestOutputSerializer(_ActionsMixin, OutputModelSerializer):
    table = custom_flow.TABLE
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="A category slug, or null when none was given.",
    )
    offers = serializers.SerializerMethodField(
        help_text="Open requests: the factories it was offered to and why (shown to the streamer only)."
    )

    quotes_count = serializers.SerializerMethodField(
        help_text="How many quotes the request has; null for a factory reading an open request "
        "(competitors stay unknown to each other)."
    )
    reach = serializers.SerializerMethodField(
        help_text="Open requests, for the streamer only (else null): `offered`, how many factories it "
        "was offered to, and `widen`: when that is nobody, the narrowest wider ask that reaches some, "
        '`[{"category": slug or null (any category), "factories": n}]` (at most 20 are offered). '
        "`widen` is computed on a single request's responses and null in lists."
    )

    def _reader(self) -> User | None:
        request = self.context.get("request")
        return caller(request) if request is not None else None

    def get_quotes_count(self, obj: CustomRequest) -> int | None:
        user = self._reader()
        if user is None or (user.is_factory and obj.is_open_request):
            return None
        count: int = obj.quotes_count  # annotated by the selectors
        return count

    @extend_schema_field(
        inline_serializer(
            "CustomRequestReach",
            {
                "offered": serializers.IntegerField(),
                "widen": serializers.ListField(child=serializers.DictField(), allow_null=True),
            },
            allow_null=True,
        )
    )
    def get_reach(self, obj: CustomRequest) -> dict[str, Any] | None:
        user = self._reader()
        if user is None or obj.buyer.user_id != user.pk or not obj.is_open_request:
            return None
        if self.context.get("widen"):
            return selectors.custom_request_reach(obj)
        return {"offered": len(obj.offers.all()), "widen": None}

    @extend_schema_field(CustomOfferSerializer(many=True))
    def get_offers(self, obj: CustomRequest) -> Any:
        # Factories must not see which competitors were offered the same request.
        request = self.context.get("request")
        if request is None or obj.buyer.user_id != request.user.pk:
            return []
        return CustomOfferSerializer(obj.offers.all(), many=True).data

    class Meta:
        model = CustomRequest
        fields = [
            "id",
            "status",
            "buyer",
            "factory",
            "category",
            "title",
            "requirements",
            "benchmark_url",
            "target_unit_price",
            "quantity",
            "deadline",
            "quotes_count",
            "created_at",
            "closed_at",
            "offers",
            "reach",
            "actions",
        ]


class QuoteOutputSerializer(OutputModelSerializer):
    factory_name = serializers.CharField(source="factory.name", read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "request",
            "factory",
            "factory_name",
            "unit_price",
            "moq",
            "lead_time_days",
            "proposal",
            "trial_quantity",
            "status",
            "created_at",
        ]


class QuoteComparedSerializer(serializers.Serializer):
    quote = QuoteOutputSerializer()
    total_for_quantity = serializers.DecimalField(max_digits=16, decimal_places=2)
    units_priced = serializers.IntegerField()
    unit_price_at_moq = serializers.DecimalField(max_digits=12, decimal_places=2)
    meets_quantity = serializers.BooleanField()
    lead_time_days = serializers.IntegerField()
    trial_unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    trial_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    within_target = serializers.BooleanField(allow_null=True)


class MessageOutputSerializer(serializers.ModelSerializer):
    """A message about a custom request (stored in the streamer's conversation with that factory)."""

    author = serializers.SerializerMethodField(
        help_text="Who wrote it, as the other side knows them: the streamer's display name or the factory name."
    )
    factory = serializers.IntegerField(
        source="conversation.factory_id", read_only=True, help_text="The factory of this conversation."
    )
    conversation = serializers.IntegerField(source="conversation_id", read_only=True)
    attachments = AttachmentOutputSerializer(many=True, read_only=True)
    body = serializers.CharField(
        source="shown_body",
        read_only=True,
        help_text="As in the conversation: contact details hidden from the other side until agreed.",
    )

    class Meta:
        model = Message
        fields = ["id", "author", "factory", "body", "created_at", "conversation", "attachments"]

    def get_author(self, message: Message) -> str:
        if message.side == Side.BUYER:
            return message.conversation.buyer.display_name
        return message.conversation.factory.name

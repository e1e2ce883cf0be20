from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, parsers, permissions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from conversations.attachments import attachment_check
from conversations.selectors import with_shown_bodies
from marketplace.accounts.models import User
from marketplace.api.fields import SingleLineField, price_field, quantity_field
from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import IsBuyerUser, IsFactoryUser, caller

from .. import selectors
from ..models import CustomRequest
from ..services import custom
from .serializers import (
    BulkOrderOutputSerializer,
    CustomRequestOutputSerializer,
    MessageOutputSerializer,
    QuoteComparedSerializer,
    QuoteOutputSerializer,
    TrialOutputSerializer,
    address_field,
)


def _with_offers(user: User) -> QuerySet[CustomRequest]:
    # The output shows the streamer whom an open request was offered to (one query per page).
    return selectors.custom_request_visible_to(user).prefetch_related("offers__factory")


def _visible_request(request: Request, pk: int) -> CustomRequest:
    return get_object_or_404(_with_offers(caller(request)), pk=pk)


class CustomRequestListCreateApi(generics.GenericAPIView):
    serializer_class = CustomRequestOutputSerializer
    queryset = CustomRequest.objects.none()  # for the schema; reads go through selectors

    class InputSerializer(serializers.Serializer):
        factory = serializers.IntegerField(required=False, allow_null=True)
        category = serializers.SlugField(
            required=False, allow_blank=True, help_text="A category slug from GET categories/, or empty."
        )
        title = SingleLineField(max_length=120)
        requirements = serializers.CharField(max_length=10000)
        benchmark_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
        target_unit_price = price_field(required=False, allow_null=True)
        quantity = quantity_field()
        deadline = serializers.DateTimeField(help_text="Must be in the future.")

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsBuyerUser()]
        return [permissions.IsAuthenticated()]

    @extend_schema(responses=CustomRequestOutputSerializer(many=True), tags=["custom-requests"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(_with_offers(caller(request)))
        return self.get_paginated_response(
            CustomRequestOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        request=InputSerializer, responses={201: CustomRequestOutputSerializer}, tags=["custom-requests"]
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = custom.custom_request_create(actor=caller(request), data=data.validated_data)
        return Response(
            CustomRequestOutputSerializer(obj, context={"request": request, "widen": True}).data,
            status=status.HTTP_201_CREATED,
        )


class CustomRequestDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=CustomRequestOutputSerializer, tags=["custom-requests"])
    def get(self, request: Request, pk: int) -> Response:
        obj = _visible_request(request, pk)
        return Response(CustomRequestOutputSerializer(obj, context={"request": request, "widen": True}).data)


class CustomRequestCancelApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=CustomRequestOutputSerializer, tags=["custom-requests"])
    def post(self, request: Request, pk: int) -> Response:
        obj = custom.custom_request_cancel(request=_visible_request(request, pk), actor=caller(request))
        return Response(CustomRequestOutputSerializer(obj, context={"request": request}).data)


class QuoteListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        unit_price = price_field()
        moq = quantity_field()
        lead_time_days = serializers.IntegerField(min_value=1, max_value=365)
        proposal = serializers.CharField(max_length=10000)
        trial_quantity = serializers.IntegerField(
            min_value=1, max_value=100_000, help_text="At most the quote's moq."
        )

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated(), IsFactoryUser()]
        return [permissions.IsAuthenticated()]

    @extend_schema(responses=QuoteComparedSerializer(many=True), tags=["custom-requests"])
    def get(self, request: Request, pk: int) -> Response:
        """The quotes side by side, normalized (a factory sees only its own)."""
        obj = _visible_request(request, pk)
        rows = selectors.quotes_compared(
            request=obj, quotes=selectors.quotes_for(request=obj, user=caller(request))
        )
        return Response(QuoteComparedSerializer(rows, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: QuoteOutputSerializer}, tags=["custom-requests"])
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        obj = _visible_request(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quote = custom.quote_submit(request=obj, actor=caller(request), data=dict(data.validated_data))
        return Response(QuoteOutputSerializer(quote).data, status=status.HTTP_201_CREATED)


class QuoteAcceptApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: TrialOutputSerializer}, tags=["custom-requests"])
    @idempotent
    def post(self, request: Request, pk: int, quote_id: int) -> Response:
        trial = custom.quote_accept(
            request=_visible_request(request, pk), quote_id=quote_id, actor=caller(request)
        )
        return Response(
            TrialOutputSerializer(trial, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class QuoteOrderApi(APIView):
    """Accept a quote and order the goods at once, without a trial run: a bulk order of
    `quantity` (at least the quote's MOQ) at the quoted price, for the factory to confirm."""

    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        quantity = quantity_field()
        address = address_field()

    @extend_schema(
        request=InputSerializer, responses={201: BulkOrderOutputSerializer}, tags=["custom-requests"]
    )
    @idempotent
    def post(self, request: Request, pk: int, quote_id: int) -> Response:
        user = caller(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = custom.quote_order(
            request=_visible_request(request, pk),
            quote_id=quote_id,
            actor=user,
            quantity=data.validated_data["quantity"],
            address=data.validated_data.get("address"),
        )
        order = selectors.bulk_order_visible_to(user).get(pk=order.pk)
        return Response(
            BulkOrderOutputSerializer(order, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MessageListCreateApi(APIView):
    """The request's thread. Since issue 13 its messages live in the conversation of the streamer
    and each factory (conversations/), about this request; paths and fields are unchanged."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=4000, required=False, allow_blank=True, trim_whitespace=False)
        factory = serializers.IntegerField(
            required=False, allow_null=True, help_text="Open requests: which factory"
        )
        attachment = serializers.FileField(
            required=False, help_text="A JPEG, PNG or WebP image or a PDF (multipart)"
        )

    @extend_schema(responses=MessageOutputSerializer(many=True), tags=["custom-requests"])
    def get(self, request: Request, pk: int) -> Response:
        obj = _visible_request(request, pk)
        user = caller(request)
        return Response(
            MessageOutputSerializer(
                with_shown_bodies(selectors.messages_for(request=obj, user=user), user=user),
                many=True,
            ).data
        )

    @extend_schema(
        request=InputSerializer, responses={201: MessageOutputSerializer}, tags=["custom-requests"]
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        obj = _visible_request(request, pk)
        user = caller(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("attachment")
        message = custom.custom_message_post(
            request=obj,
            actor=user,
            body=data.validated_data.get("body", ""),
            factory_id=data.validated_data.get("factory"),
            attachment=attachment_check(upload) if upload is not None else None,
        )
        (message,) = with_shown_bodies(
            selectors.messages_for(request=obj, user=user).filter(pk=message.pk), user=user
        )
        return Response(MessageOutputSerializer(message).data, status=status.HTTP_201_CREATED)

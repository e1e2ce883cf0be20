"""/api/v1/conversations/…: a streamer's and a factory's direct conversations (docs/api.md)."""

from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, parsers, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from buyers.models import BuyerProfile
from factories.models import Factory
from marketplace.api.idempotency import idempotent
from marketplace.api.pagination import StandardPagination
from marketplace.api.permissions import caller

from .. import moderation, selectors, services
from ..attachments import attachment_check
from ..models import Attachment, ContactCard, Conversation, Message
from ..topics import CHOICES_PER_KIND, topics_of_pair, with_topics
from .serializers import (
    ContactCardSerializer,
    ConversationDetailSerializer,
    ConversationMessageSerializer,
    ConversationOutputSerializer,
    ReportInputSerializer,
    ReportOutputSerializer,
    TopicSerializer,
)

TAGS = ["conversations"]


def visible_conversation(request: Request, pk: int) -> Conversation:
    """One of the caller's conversations; anyone else's is a 404, whoever asks."""
    return get_object_or_404(selectors.conversations_of(caller(request)), pk=pk)


def message_context(request: Request, conversation: Conversation) -> dict[str, Any]:
    """What ConversationMessageSerializer needs to word a message for this reader."""
    return {"conversation": conversation}


class ConversationListApi(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ConversationOutputSerializer
    queryset = Conversation.objects.none()  # for the schema; reads go through selectors

    class InputSerializer(serializers.Serializer):
        factory = serializers.IntegerField(required=False, help_text="A streamer names the factory.")
        buyer = serializers.IntegerField(required=False, help_text="A factory names the streamer profile.")

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only conversations with unread messages")],
        responses=ConversationOutputSerializer(many=True),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        unread_only = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        qs = selectors.conversations_of(caller(request), unread_only=unread_only)
        # `or []` for the type only: this view always has a paginator (REST_FRAMEWORK's default).
        page = selectors.with_previews(self.paginate_queryset(qs) or [], user=caller(request))
        return self.get_paginated_response(
            ConversationOutputSerializer(page, many=True, context={"user": request.user}).data
        )

    @extend_schema(
        request=InputSerializer,
        responses={201: ConversationOutputSerializer, 200: ConversationOutputSerializer},
        tags=TAGS,
        description="Start the conversation with a factory (streamer) or a streamer (factory); the pair has "
        "one conversation, so starting it again answers 200 with the same one.",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = caller(request)
        buyer: BuyerProfile | None
        factory: Factory | None
        if user.is_buyer:
            buyer = get_object_or_404(BuyerProfile, user=user)
            factory = Factory.objects.filter(pk=data.validated_data.get("factory")).first()
            if factory is None:
                raise serializers.ValidationError({"factory": ["No such factory."]})
        elif user.is_factory:
            factory = get_object_or_404(Factory, owner=user)
            buyer = BuyerProfile.objects.filter(pk=data.validated_data.get("buyer")).first()
            if buyer is None:
                raise serializers.ValidationError({"buyer": ["No such streamer."]})
        else:
            raise serializers.ValidationError({"detail": "Only streamers and factories hold conversations."})
        before = Conversation.objects.filter(buyer=buyer, factory=factory).exists()
        conversation = services.conversation_start(actor=user, buyer=buyer, factory=factory)
        conversation = visible_conversation(request, conversation.pk)
        return Response(
            ConversationOutputSerializer(conversation, context={"user": user}).data,
            status=status.HTTP_200_OK if before else status.HTTP_201_CREATED,
        )


class UnreadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={200: OpenApiResponse(description='{"unread": n}: unread messages over all conversations')},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_total(caller(request))})


class ConversationDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ConversationDetailSerializer, tags=TAGS)
    def get(self, request: Request, pk: int) -> Response:
        conversation = visible_conversation(request, pk)
        agreement, card = selectors.other_contact(conversation, caller(request))
        context = {"user": request.user, "agreement": agreement, "contact": card}
        return Response(ConversationDetailSerializer(conversation, context=context).data)


class ConversationMessagesApi(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ConversationMessageSerializer
    queryset = Conversation.objects.none()  # for the schema
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=4000)
        attachment = serializers.FileField(
            required=False, help_text="A JPEG, PNG or WebP image or a PDF (multipart)"
        )
        topic_kind = serializers.CharField(
            required=False,
            max_length=32,
            help_text="What the message is about: product, trial, sample, bulk_order, custom_request or "
            "tour_booking (with topic_id; one of this streamer's and factory's: GET …/topics/ lists them).",
        )
        topic_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if ("topic_kind" in attrs) != ("topic_id" in attrs):
                raise serializers.ValidationError(
                    {
                        "topic_id" if "topic_kind" in attrs else "topic_kind": [
                            "Give topic_kind and topic_id together."
                        ]
                    }
                )
            return attrs

    class PageSerializer(serializers.Serializer):
        count = serializers.IntegerField(help_text="Messages in the conversation.")
        next = serializers.URLField(
            allow_null=True, help_text="The page of older messages (?before=), or null."
        )
        previous = serializers.URLField(
            allow_null=True, help_text="Always null: start again without ?before=."
        )
        results = ConversationMessageSerializer(many=True)

    class PageQuery(serializers.Serializer):
        before = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
        page_size = serializers.IntegerField(
            required=False, min_value=1, max_value=StandardPagination.max_page_size
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "before", int, description="Only messages with a smaller id (the next link sets it)"
            ),
            OpenApiParameter("page_size", int, description="At most 100; 20 when not given"),
        ],
        responses=PageSerializer,
        tags=TAGS,
        description="Newest first, paged by message id (keyset, as the thread page): `next` carries "
        "`?before=` the oldest id of this page.",
    )
    def get(self, request: Request, pk: int) -> Response:
        conversation = visible_conversation(request, pk)
        query = self.PageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        size = query.validated_data.get("page_size", StandardPagination.page_size)
        page, more = selectors.messages_before(
            conversation, before=query.validated_data.get("before"), limit=size
        )
        next_url = None
        if more:
            next_url = replace_query_param(request.build_absolute_uri(), "before", page[-1].pk)
        return Response(
            {
                "count": conversation.messages.count(),
                "next": next_url,
                "previous": None,
                "results": ConversationMessageSerializer(
                    with_topics(selectors.with_shown_bodies(page, user=caller(request))),
                    many=True,
                    context=message_context(request, conversation),
                ).data,
            }
        )

    @extend_schema(request=InputSerializer, responses={201: ConversationMessageSerializer}, tags=TAGS)
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        conversation = visible_conversation(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("attachment")
        message = services.message_post(
            conversation=conversation,
            actor=caller(request),
            body=data.validated_data.get("body", ""),
            topic=_topic(data.validated_data),
            attachment=attachment_check(upload) if upload is not None else None,
        )
        (message,) = selectors.with_shown_bodies(
            selectors.messages_of(conversation).filter(pk=message.pk), user=caller(request)
        )
        return Response(
            ConversationMessageSerializer(message, context=message_context(request, conversation)).data,
            status=status.HTTP_201_CREATED,
        )


def _topic(validated: dict[str, Any]) -> tuple[str, int] | None:
    return (validated["topic_kind"], validated["topic_id"]) if "topic_kind" in validated else None


class TopicsApi(APIView):
    """What a message of this conversation can be about: the pair's objects the writing form offers."""

    permission_classes = [permissions.IsAuthenticated]

    class Query(serializers.Serializer):
        kind = serializers.CharField(required=False, max_length=32)
        limit = serializers.IntegerField(required=False, min_value=1, max_value=100)

    class ListSerializer(serializers.Serializer):
        results = TopicSerializer(many=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, description="Only this kind (product, trial, sample, …)"),
            OpenApiParameter(
                "limit",
                int,
                description=f"Per kind, at most this many of the newest (1-100; {CHOICES_PER_KIND})",
            ),
        ],
        responses=ListSerializer,
        tags=TAGS,
        description="The pair's products, trials, samples, bulk orders, custom requests and video tours a "
        "message can be about (`topic_kind` = `kind`, `topic_id` = `id` in POST …/messages/): per kind the "
        "newest first, kinds in a fixed order.",
    )
    def get(self, request: Request, pk: int) -> Response:
        conversation = visible_conversation(request, pk)
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        topics = topics_of_pair(
            buyer_id=conversation.buyer_id,
            factory_id=conversation.factory_id,
            kind=query.validated_data.get("kind"),
            limit=query.validated_data.get("limit", CHOICES_PER_KIND),
        )
        return Response({"results": topics})


class ReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: OpenApiResponse(description='{"read_upto": message id, "unread": 0}')},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        conversation = visible_conversation(request, pk)
        marker = services.conversation_mark_read(conversation=conversation, actor=caller(request))
        return Response({"read_upto": marker, "unread": 0})


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download: never rendered inline on our origin, never sniffed as another type."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class AttachmentApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiResponse(description="The file (image or PDF)")}, tags=TAGS)
    def get(self, request: Request, pk: int, attachment_id: int) -> FileResponse:
        conversation = visible_conversation(request, pk)
        attachment = get_object_or_404(Attachment, pk=attachment_id, message__conversation=conversation)
        return attachment_response(attachment)


class ContactCardApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=ContactCardSerializer, tags=TAGS, description="The caller's own contact details."
    )
    def get(self, request: Request) -> Response:
        user = caller(request)
        card = ContactCard.objects.filter(user=user).first() or ContactCard(user=user)
        return Response(ContactCardSerializer(card).data)

    @extend_schema(request=ContactCardSerializer, responses=ContactCardSerializer, tags=TAGS)
    def put(self, request: Request) -> Response:
        data = ContactCardSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        card = services.contact_card_set(actor=caller(request), data=data.validated_data)
        return Response(ContactCardSerializer(card).data)


class ReportApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=ReportInputSerializer,
        responses={201: ReportOutputSerializer},
        tags=TAGS,
        description="Report the other side's message (`message`) or the whole conversation to staff "
        "(the moderation queue). Once per reporter and message, and once per reporter and conversation "
        "for the whole: a second report answers 409.",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        conversation = visible_conversation(request, pk)
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = None
        if "message" in data.validated_data:
            message = Message.objects.filter(
                pk=data.validated_data["message"], conversation=conversation
            ).first()
            if message is None:
                raise serializers.ValidationError({"message": ["No such message in this conversation."]})
        report = moderation.conversation_report_create(
            conversation=conversation,
            reporter=caller(request),
            reason=data.validated_data["reason"],
            detail=data.validated_data.get("detail", ""),
            message=message,
        )
        return Response(ReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)

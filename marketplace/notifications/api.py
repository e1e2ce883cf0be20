from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import caller

from . import selectors, services
from .messages import render
from .models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    """Rendered in the caller's language (Accept-Language), from the stored kind and data."""

    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "read", "read_at", "created_at"]

    def get_title(self, obj: Notification) -> str:
        return render(obj.kind, obj.data)[0]

    def get_body(self, obj: Notification) -> str:
        return render(obj.kind, obj.data)[1]

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationListApi(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationOutputSerializer
    queryset = Notification.objects.none()  # for the schema; reads go through selectors

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread notifications")],
        responses=NotificationOutputSerializer(many=True),
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        page = self.paginate_queryset(selectors.notification_list(user=caller(request), unread_only=unread))
        return self.get_paginated_response(NotificationOutputSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=NotificationOutputSerializer, tags=["notifications"])
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(selectors.notification_list(user=caller(request)), pk=pk)
        notification = services.notification_mark_read(notification=notification, user=caller(request))
        return Response(NotificationOutputSerializer(notification).data)

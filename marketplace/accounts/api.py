from typing import cast

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.validators import EMAIL_MAX_LENGTH

from . import services
from .models import Role, User


class RegisterApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []

    class InputSerializer(serializers.Serializer):
        username = serializers.RegexField(
            r"^[\w.@+-]+$",
            max_length=150,
            error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
        )
        password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
        email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)
        role = serializers.ChoiceField(choices=[Role.FACTORY.value, Role.BUYER.value])

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        role = serializers.CharField()
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, tags=["accounts"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = services.user_register(**data.validated_data)
        out = {"id": user.id, "username": user.username, "role": user.role, "token": token.key}
        return Response(self.OutputSerializer(out).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, style={"input_type": "password"})

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer("TokenOut", {"token": serializers.CharField()}),
            429: OpenApiResponse(
                description="Too many failed sign-ins for this account or address; wait `Retry-After` seconds."
            ),
        },
        tags=["accounts"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: sign-in throttling (django-axes) marks a lockout on
        # it, and its middleware turns that mark into a 429 (accounts/throttling.py).
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise serializers.ValidationError({"detail": _("Wrong username or password.")})
        token = services.auth_token_issue(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        email = serializers.EmailField()
        role = serializers.CharField()
        factory_id = serializers.IntegerField(allow_null=True)
        buyer_id = serializers.IntegerField(allow_null=True)

    @extend_schema(responses=OutputSerializer, tags=["accounts"])
    def get(self, request: Request) -> Response:
        # IsAuthenticated refused AnonymousUser (marketplace.api.permissions.caller is a layer above).
        user = cast(User, request.user)
        factory = getattr(user, "factory", None)
        buyer = getattr(user, "buyer_profile", None)
        out = {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "role": "staff" if user.is_staff_member else user.role,
            "factory_id": factory.id if factory else None,
            "buyer_id": buyer.id if buyer else None,
        }
        return Response(self.OutputSerializer(out).data)

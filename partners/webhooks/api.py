"""organizations/{id}/webhooks/…: subscriptions and their delivery log (issue 12, point 3).

Two kinds of caller: a member of the organization with their own sign-in (members read, owners
write), or a key of the organization with the `webhooks:manage` scope (checked with every other
scope in authentication.py). Another organization's subscriptions and deliveries are 404.
"""

from typing import Any, cast

from axes.helpers import get_client_ip_address
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from factories.models import Factory
from marketplace.accounts.models import ApiKey, User

from .. import selectors
from ..authentication import MemberAccess, PartnerAccess
from ..models import Organization, WebhookAttempt, WebhookDelivery, WebhookSubscription
from . import services
from .sources import PATTERNS


class MemberOrWebhookKey(permissions.BasePermission):
    """A person's own sign-in, or an organization key (whose scope authentication.py checked)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if isinstance(request.auth, PartnerAccess):
            return True
        return bool(request.user and request.user.is_authenticated) and not isinstance(
            request.auth, ApiKey | MemberAccess
        )


class Caller:
    """The organization a request may manage webhooks of, and who acts (a person, or a key)."""

    actor: User | None
    key_prefix: str | None

    def __init__(self, request: Request, pk: int) -> None:
        self.address = get_client_ip_address(request._request) or None
        if isinstance(request.auth, PartnerAccess):
            key = request.auth.key
            if key.organization_id != pk:
                raise_not_found()
            self.organization = key.organization
            self.actor, self.key_prefix = None, key.prefix
            return
        user = cast(User, request.user)  # MemberOrWebhookKey: signed in, when no key acts
        self.organization = get_object_or_404(selectors.organizations_of(user), pk=pk)
        self.actor, self.key_prefix = user, None  # the services require an owner to write

    def owner(self) -> dict[str, Any]:
        return {"organization": self.organization}

    def subscriptions(self) -> QuerySet[WebhookSubscription]:
        return WebhookSubscription.objects.filter(organization=self.organization)

    def subscription(self, webhook_id: int) -> WebhookSubscription:
        return get_object_or_404(self.subscriptions(), pk=webhook_id)


class FactoryCaller(Caller):
    """factories/{id}/webhooks/…: the factory's owner with their own sign-in; anyone else → 404."""

    def __init__(self, request: Request, pk: int) -> None:
        self.address = get_client_ip_address(request._request) or None
        self.factory = get_object_or_404(Factory.objects.filter(owner_id=request.user.pk), pk=pk)
        self.actor, self.key_prefix = cast(User, request.user), None

    def owner(self) -> dict[str, Any]:
        return {"factory": self.factory}

    def subscriptions(self) -> QuerySet[WebhookSubscription]:
        return WebhookSubscription.objects.filter(factory=self.factory)


class OwnSignIn(permissions.BasePermission):
    """A person's own sign-in (a factory's webhooks are not managed with keys)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated) and not isinstance(
            request.auth, ApiKey | MemberAccess | PartnerAccess
        )


def raise_not_found() -> None:
    get_object_or_404(Organization.objects.none())


class WebhookOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "event_types",
            "consecutive_failures",
            "disabled_at",
            "created_at",
            "previous_secret_until",
        ]


class NewWebhookOutput(WebhookOutput):
    secret = serializers.SerializerMethodField(help_text="The signing secret: shown this once.")

    class Meta(WebhookOutput.Meta):
        fields = [*WebhookOutput.Meta.fields, "secret"]

    def get_secret(self, obj: WebhookSubscription) -> str:
        return str(self.context["secret"])


class AttemptOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status_code", "error", "duration_ms"]


class DeliveryOutput(serializers.ModelSerializer):
    attempts_log = AttemptOutput(many=True, source="attempt_rows")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "object_key",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
            "redelivery_of",
            "payload",
            "attempts_log",
        ]


class WebhookListCreateApi(generics.GenericAPIView):
    permission_classes: list = [MemberOrWebhookKey]
    caller_class: type[Caller] = Caller
    serializer_class = WebhookOutput
    queryset = WebhookSubscription.objects.none()

    class InputSerializer(serializers.Serializer):
        url = serializers.CharField(max_length=500)
        event_types = serializers.ListField(
            child=serializers.ChoiceField(choices=[(p, p) for p in PATTERNS]), max_length=len(PATTERNS)
        )

    @extend_schema(responses=WebhookOutput(many=True), tags=["partners"])
    def get(self, request: Request, pk: int) -> Response:
        caller = self.caller_class(request, pk)
        page = self.paginate_queryset(caller.subscriptions().order_by("-pk"))
        return self.get_paginated_response(WebhookOutput(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: NewWebhookOutput}, tags=["partners"])
    def post(self, request: Request, pk: int) -> Response:
        caller = self.caller_class(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = services.webhook_create(
            **caller.owner(),
            actor=caller.actor,
            key_prefix=caller.key_prefix,
            address=caller.address,
            **data.validated_data,
        )
        return Response(
            NewWebhookOutput(subscription, context={"secret": secret}).data, status=status.HTTP_201_CREATED
        )


class WebhookDetailApi(APIView):
    permission_classes: list = [MemberOrWebhookKey]
    caller_class: type[Caller] = Caller

    @extend_schema(request=None, responses={204: None}, tags=["partners"])
    def delete(self, request: Request, pk: int, webhook_id: int) -> Response:
        caller = self.caller_class(request, pk)
        services.webhook_delete(
            subscription=caller.subscription(webhook_id),
            actor=caller.actor,
            key_prefix=caller.key_prefix,
            address=caller.address,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEnableApi(APIView):
    permission_classes: list = [MemberOrWebhookKey]
    caller_class: type[Caller] = Caller

    @extend_schema(request=None, responses=WebhookOutput, tags=["partners"])
    def post(self, request: Request, pk: int, webhook_id: int) -> Response:
        caller = self.caller_class(request, pk)
        subscription = services.webhook_enable(
            subscription=caller.subscription(webhook_id),
            actor=caller.actor,
            key_prefix=caller.key_prefix,
            address=caller.address,
        )
        return Response(WebhookOutput(subscription).data)


class WebhookRotateSecretApi(APIView):
    permission_classes: list = [MemberOrWebhookKey]
    caller_class: type[Caller] = Caller

    @extend_schema(request=None, responses=NewWebhookOutput, tags=["partners"])
    def post(self, request: Request, pk: int, webhook_id: int) -> Response:
        caller = self.caller_class(request, pk)
        subscription, secret = services.webhook_rotate_secret(
            subscription=caller.subscription(webhook_id),
            actor=caller.actor,
            key_prefix=caller.key_prefix,
            address=caller.address,
        )
        return Response(NewWebhookOutput(subscription, context={"secret": secret}).data)


class DeliveryListApi(generics.GenericAPIView):
    permission_classes: list = [MemberOrWebhookKey]
    caller_class: type[Caller] = Caller
    serializer_class = DeliveryOutput
    queryset = WebhookDelivery.objects.none()

    @extend_schema(responses=DeliveryOutput(many=True), tags=["partners"])
    def get(self, request: Request, pk: int, webhook_id: int) -> Response:
        subscription = self.caller_class(request, pk).subscription(webhook_id)
        deliveries = subscription.deliveries.order_by("-pk").prefetch_related("attempt_rows")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliveryOutput(page, many=True).data)


class RedeliverApi(APIView):
    permission_classes: list = [MemberOrWebhookKey]
    caller_class: type[Caller] = Caller

    @extend_schema(request=None, responses={201: DeliveryOutput}, tags=["partners"])
    def post(self, request: Request, pk: int, webhook_id: int, delivery_id: int) -> Response:
        caller = self.caller_class(request, pk)
        delivery = get_object_or_404(caller.subscription(webhook_id).deliveries, pk=delivery_id)
        again = services.webhook_redeliver(
            delivery=delivery, actor=caller.actor, key_prefix=caller.key_prefix, address=caller.address
        )
        return Response(DeliveryOutput(again).data, status=status.HTTP_201_CREATED)


# The same operations on a factory's own webhooks (`product.*` events about its products).
class FactoryWebhookListCreateApi(WebhookListCreateApi):
    permission_classes = [OwnSignIn]
    caller_class = FactoryCaller


class FactoryWebhookDetailApi(WebhookDetailApi):
    permission_classes = [OwnSignIn]
    caller_class = FactoryCaller


class FactoryWebhookEnableApi(WebhookEnableApi):
    permission_classes = [OwnSignIn]
    caller_class = FactoryCaller


class FactoryWebhookRotateSecretApi(WebhookRotateSecretApi):
    permission_classes = [OwnSignIn]
    caller_class = FactoryCaller


class FactoryDeliveryListApi(DeliveryListApi):
    permission_classes = [OwnSignIn]
    caller_class = FactoryCaller


class FactoryRedeliverApi(RedeliverApi):
    permission_classes = [OwnSignIn]
    caller_class = FactoryCaller

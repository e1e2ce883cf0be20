"""organizations/, streamer-links/ and partner/ (issue 12, points 1 and 2): thin views over
services.py and selectors.py. Organizations and their keys are managed by people signed in with
their own token (or session); API keys cannot manage them (scopes.py has no rule for these)."""

from axes.helpers import get_client_ip_address
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.models import ApiKey
from marketplace.api.fields import SingleLineField
from marketplace.api.permissions import caller
from marketplace.core.transitions import allowed_actions

from . import selectors, services
from .authentication import MemberAccess, PartnerAccess
from .flows import STREAMER_LINK_TABLE
from .models import LinkSide, LinkStatus, MemberRole, Organization, PartnerKey, Scope, StreamerLink


class SignedInPerson(permissions.IsAuthenticated):
    """A person with their own token or session; not an API key acting for someone."""

    message = _("Manage organizations and keys with your own sign-in, not with an API key.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and not isinstance(
            request.auth, ApiKey | PartnerAccess | MemberAccess
        )


class PartnerKeyOnly(permissions.BasePermission):
    message = _("Only an organization's API key can call this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.auth, PartnerAccess)


MAX_ID = 2**63 - 1  # a bigint primary key; a larger number would reach the database and fail there


def _address(request: Request) -> str | None:
    """The client's address for the audit row, read as sign-in throttling reads it (behind a
    proxy, from X-Forwarded-For when PROXY_COUNT is set; see settings)."""
    return get_client_ip_address(request._request) or None


class MemberOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=MemberRole.choices)
    created_at = serializers.DateTimeField()


class OrganizationBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StreamerBrief(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class OrganizationOutput(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="The caller's role in it.")

    class Meta:
        model = Organization
        fields = ["id", "name", "role", "created_at"]

    @extend_schema_field(serializers.ChoiceField(choices=MemberRole.choices, allow_null=True))
    def get_role(self, obj: Organization) -> str | None:
        user = self.context["request"].user
        return next((m.role for m in obj.memberships.all() if m.user_id == user.pk), None)


class OrganizationDetailOutput(OrganizationOutput):
    members = MemberOutput(many=True, source="memberships.all")
    streamers = serializers.SerializerMethodField(help_text="The streamers it acts for now (active links).")

    class Meta(OrganizationOutput.Meta):
        fields = [*OrganizationOutput.Meta.fields, "members", "streamers"]

    @extend_schema_field(StreamerBrief(many=True))
    def get_streamers(self, obj: Organization) -> list:  # bare: the schema reads this hint
        return list(StreamerBrief(selectors.streamers_of(obj), many=True).data)


def _visible_organizations(request: Request) -> QuerySet[Organization]:
    return selectors.organizations_of(caller(request)).prefetch_related("memberships__user")


class OrganizationListCreateApi(generics.GenericAPIView):
    permission_classes = [SignedInPerson]
    serializer_class = OrganizationOutput
    queryset = Organization.objects.none()  # for the schema; reads go through selectors

    class InputSerializer(serializers.Serializer):
        name = SingleLineField(max_length=100)

    @extend_schema(responses=OrganizationOutput(many=True), tags=["partners"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(_visible_organizations(request))
        return self.get_paginated_response(
            OrganizationOutput(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=InputSerializer, responses={201: OrganizationDetailOutput}, tags=["partners"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = services.organization_create(
            actor=caller(request), address=_address(request), **data.validated_data
        )
        org = _visible_organizations(request).get(pk=org.pk)
        return Response(
            OrganizationDetailOutput(org, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class OrganizationDetailApi(APIView):
    permission_classes = [SignedInPerson]

    @extend_schema(responses=OrganizationDetailOutput, tags=["partners"])
    def get(self, request: Request, pk: int) -> Response:
        org = get_object_or_404(_visible_organizations(request), pk=pk)
        return Response(OrganizationDetailOutput(org, context={"request": request}).data)


class MemberDetailApi(APIView):
    permission_classes = [SignedInPerson]

    @extend_schema(responses={204: None}, tags=["partners"])
    def delete(self, request: Request, pk: int, user_id: int) -> Response:
        org = get_object_or_404(selectors.organizations_of(caller(request)), pk=pk)
        services.member_remove(
            organization=org, actor=caller(request), user_id=user_id, address=_address(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class KeyOutput(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))
    replaced_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="prefix",
        read_only=True,
        allow_null=True,
        help_text="The prefix of the key that replaced it.",
    )

    class Meta:
        model = PartnerKey
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "rate_per_minute",
            "created_at",
            "last_used_at",
            "revoked_at",
            "expires_at",
            "replaced_by",
        ]


class NewKeyOutput(KeyOutput):
    key = serializers.SerializerMethodField(
        help_text="The key itself, shown this once; only its hash is kept."
    )

    class Meta(KeyOutput.Meta):
        fields = [*KeyOutput.Meta.fields, "key"]

    def get_key(self, obj: PartnerKey) -> str:
        raw: str = self.context["raw"]
        return raw


def _organization_of_caller(request: Request, pk: int) -> Organization:
    return get_object_or_404(selectors.organizations_of(caller(request)), pk=pk)


class KeyListCreateApi(generics.GenericAPIView):
    permission_classes = [SignedInPerson]
    serializer_class = KeyOutput
    queryset = PartnerKey.objects.none()

    class InputSerializer(serializers.Serializer):
        name = SingleLineField(max_length=100)
        scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices), max_length=10)
        rate_per_minute = serializers.IntegerField(min_value=1, max_value=6000, required=False)

    @extend_schema(responses=KeyOutput(many=True), tags=["partners"])
    def get(self, request: Request, pk: int) -> Response:
        org = _organization_of_caller(request, pk)
        page = self.paginate_queryset(selectors.keys_of(org).select_related("replaced_by"))
        return self.get_paginated_response(KeyOutput(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: NewKeyOutput}, tags=["partners"])
    def post(self, request: Request, pk: int) -> Response:
        org = _organization_of_caller(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, raw = services.key_create(
            organization=org, actor=caller(request), address=_address(request), **data.validated_data
        )
        return Response(NewKeyOutput(key, context={"raw": raw}).data, status=status.HTTP_201_CREATED)


def _key_of_caller(request: Request, pk: int, key_id: int) -> PartnerKey:
    org = _organization_of_caller(request, pk)
    return get_object_or_404(selectors.keys_of(org), pk=key_id)


class KeyRevokeApi(APIView):
    permission_classes = [SignedInPerson]

    @extend_schema(request=None, responses=KeyOutput, tags=["partners"])
    def post(self, request: Request, pk: int, key_id: int) -> Response:
        key = services.key_revoke(
            key=_key_of_caller(request, pk, key_id), actor=caller(request), address=_address(request)
        )
        return Response(KeyOutput(key).data)


class KeyRotateApi(APIView):
    permission_classes = [SignedInPerson]

    @extend_schema(request=None, responses={201: NewKeyOutput}, tags=["partners"])
    def post(self, request: Request, pk: int, key_id: int) -> Response:
        key, raw = services.key_rotate(
            key=_key_of_caller(request, pk, key_id), actor=caller(request), address=_address(request)
        )
        return Response(NewKeyOutput(key, context={"raw": raw}).data, status=status.HTTP_201_CREATED)


class LinkOutput(serializers.ModelSerializer):
    organization = OrganizationBrief()
    buyer = StreamerBrief()
    status = serializers.ChoiceField(choices=LinkStatus.choices)
    invited_by = serializers.ChoiceField(choices=LinkSide.choices)
    actions = serializers.SerializerMethodField(
        help_text="What the caller may do now with this link: `accept` (the invited side, while pending), `end`."
    )

    def get_actions(self, link: StreamerLink) -> list[str]:
        request = self.context.get("request")
        return allowed_actions(STREAMER_LINK_TABLE, link, caller(request)) if request else []

    class Meta:
        model = StreamerLink
        fields = [
            "id",
            "organization",
            "buyer",
            "status",
            "invited_by",
            "created_at",
            "accepted_at",
            "ended_at",
            "actions",
        ]


class LinkListCreateApi(generics.GenericAPIView):
    permission_classes = [SignedInPerson]
    serializer_class = LinkOutput
    queryset = StreamerLink.objects.none()

    class InputSerializer(serializers.Serializer):
        organization = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        buyer = serializers.IntegerField(
            min_value=1,
            max_value=MAX_ID,
            required=False,
            help_text="A member inviting a streamer names it; a streamer inviting an organization leaves it out.",
        )

    @extend_schema(responses=LinkOutput(many=True), tags=["partners"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.links_visible_to(caller(request)))
        return self.get_paginated_response(LinkOutput(page, many=True, context={"request": request}).data)

    @extend_schema(request=InputSerializer, responses={201: LinkOutput}, tags=["partners"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        buyer_id = data.validated_data.get("buyer")
        organization_id = data.validated_data["organization"]
        if buyer_id is None:
            link = services.organization_invite(
                actor=caller(request), organization_id=organization_id, address=_address(request)
            )
        else:
            link = services.streamer_invite(
                organization_id=organization_id,
                actor=caller(request),
                buyer_id=buyer_id,
                address=_address(request),
            )
        return Response(LinkOutput(link, context={"request": request}).data, status=status.HTTP_201_CREATED)


class LinkAcceptApi(APIView):
    permission_classes = [SignedInPerson]

    @extend_schema(request=None, responses=LinkOutput, tags=["partners"])
    def post(self, request: Request, pk: int) -> Response:
        link = get_object_or_404(selectors.links_visible_to(caller(request)), pk=pk)
        return Response(
            LinkOutput(
                services.link_accept(link=link, actor=caller(request), address=_address(request)),
                context={"request": request},
            ).data
        )


class LinkEndApi(APIView):
    permission_classes = [SignedInPerson]

    @extend_schema(request=None, responses=LinkOutput, tags=["partners"])
    def post(self, request: Request, pk: int) -> Response:
        link = get_object_or_404(selectors.links_visible_to(caller(request)), pk=pk)
        return Response(
            LinkOutput(
                services.link_end(link=link, actor=caller(request), address=_address(request)),
                context={"request": request},
            ).data
        )


class PartnerApi(APIView):
    """What a partner key is: its organization, scopes, limits, and the streamers it may name."""

    permission_classes = [PartnerKeyOnly]

    class OutputSerializer(serializers.Serializer):
        organization = OrganizationBrief()
        key = KeyOutput()
        streamers = StreamerBrief(many=True)

    @extend_schema(responses=OutputSerializer, tags=["partners"])
    def get(self, request: Request) -> Response:
        key = request.auth.key
        org = key.organization
        out = {
            "organization": org,
            "key": key,
            "streamers": selectors.streamers_of(org),
        }
        return Response(self.OutputSerializer(out).data)

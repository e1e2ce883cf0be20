"""Invitations to join an organization (issue 12, point 1): an owner invites with
`POST organizations/{id}/members/` and may withdraw an unanswered invitation; the invitee lists,
accepts and declines under member-invitations/. People with their own sign-in only (no API key)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import caller

from . import invitations, selectors
from .api import OrganizationBrief, SignedInPerson, _address
from .models import InvitationStatus, MemberInvitation, MemberRole


class InvitationOutput(serializers.ModelSerializer):
    organization = OrganizationBrief()
    username = serializers.CharField(source="invitee.username")
    invited_by = serializers.CharField(source="invited_by.username", allow_null=True, default=None)
    status = serializers.SerializerMethodField(help_text="A pending invitation past expires_at is expired.")

    class Meta:
        model = MemberInvitation
        fields = [
            "id",
            "organization",
            "username",
            "role",
            "status",
            "invited_by",
            "invited_at",
            "expires_at",
            "answered_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=InvitationStatus.choices))
    def get_status(self, obj: MemberInvitation) -> str:
        return invitations.invitation_status(obj)


class MemberInviteApi(APIView):
    permission_classes = [SignedInPerson]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)

    @extend_schema(request=InputSerializer, responses={201: InvitationOutput}, tags=["partners"])
    def post(self, request: Request, pk: int) -> Response:
        org = get_object_or_404(selectors.organizations_of(caller(request)), pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitations.member_invite(
            organization=org, actor=caller(request), address=_address(request), **data.validated_data
        )
        return Response(InvitationOutput(invitation).data, status=status.HTTP_201_CREATED)


class InvitationListApi(generics.GenericAPIView):
    permission_classes = [SignedInPerson]
    serializer_class = InvitationOutput
    queryset = MemberInvitation.objects.none()

    @extend_schema(responses=InvitationOutput(many=True), tags=["partners"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(invitations.invitations_for(caller(request)))
        return self.get_paginated_response(InvitationOutput(page, many=True).data)


class _AnswerApi(APIView):
    permission_classes = [SignedInPerson]
    answer = staticmethod(invitations.invitation_accept)

    @extend_schema(request=None, responses=InvitationOutput, tags=["partners"])
    def post(self, request: Request, pk: int) -> Response:
        # Someone else's invitation is not found, like any private object.
        get_object_or_404(invitations.invitations_for(caller(request)), pk=pk)
        invitation = self.answer(invitation_id=pk, actor=caller(request), address=_address(request))
        return Response(InvitationOutput(invitation).data)


class InvitationAcceptApi(_AnswerApi):
    answer = staticmethod(invitations.invitation_accept)


class InvitationDeclineApi(_AnswerApi):
    answer = staticmethod(invitations.invitation_decline)


class InvitationWithdrawApi(APIView):
    """An owner takes back an invitation nobody has answered; the invitee can no longer accept it."""

    permission_classes = [SignedInPerson]

    @extend_schema(request=None, responses=InvitationOutput, tags=["partners"])
    def post(self, request: Request, pk: int, invitation_id: int) -> Response:
        # Another organization's, or another organization's invitation: not found.
        org = get_object_or_404(selectors.organizations_of(caller(request)), pk=pk)
        invitation = get_object_or_404(org.invitations.select_related("organization"), pk=invitation_id)
        invitation = invitations.invitation_withdraw(
            invitation=invitation, actor=caller(request), address=_address(request)
        )
        return Response(InvitationOutput(invitation).data)

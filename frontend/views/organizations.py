"""The organizations page (issue 12, point 1): a streamer sees who works for them, accepts or
declines an invitation, invites an organization and leaves one at any time; an agency's members
create organizations, invite streamers and see their links; an owner invites people to join (and
may withdraw an unanswered invitation) and the invited account accepts or declines here. The same services as the API."""

from functools import wraps
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.core.transitions import allowed_actions
from partners import invitations, selectors, services
from partners.flows import STREAMER_LINK_TABLE
from partners.models import InvitationStatus, LinkStatus, MemberInvitation, MemberRole, StreamerLink

from ..auth import P, PageView, SignedInRequest, SignedInView, is_signed_in
from .common import service_call


def _signed_in(view: SignedInView[P]) -> PageView[P]:
    """Signed in; no factory or streamer profile needed (an agency's staff may have neither)."""

    @wraps(view)
    def gate(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not is_signed_in(request):
            return redirect(reverse("frontend:login") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return gate


def _number(request: SignedInRequest, name: str) -> int | None:
    value = request.POST.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@_signed_in
@require_http_methods(["GET", "POST"])
def organizations(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        service_call(
            request,
            lambda: services.organization_create(
                actor=request.user,
                name=request.POST.get("name", "")[:100],
                address=get_client_ip_address(request),
            ),
            success=_("Organization created."),
        )
        return redirect("frontend:organizations")
    user = request.user
    buyer = getattr(user, "buyer_profile", None)
    links = list(selectors.links_visible_to(user).exclude(status=LinkStatus.ENDED))
    for link in links:
        # The buttons are what the link's table lets this person do now (accept, end). Here and below
        # the template reads attributes this page sets on the rows (hence the ignores).
        link.actions = allowed_actions(STREAMER_LINK_TABLE, link, user)  # type: ignore[attr-defined]
    mine = list(selectors.organizations_of(user).prefetch_related("memberships__user"))
    for org in mine:
        role = next(m.role for m in org.memberships.all() if m.user_id == user.pk)
        org.my_role = role  # type: ignore[attr-defined]
        open_links = [link for link in links if link.organization_id == org.pk]
        org.open_links = open_links  # type: ignore[attr-defined]
        org.waiting = [  # type: ignore[attr-defined]
            i for i in org.invitations.select_related("invitee").order_by("-invited_at") if _pending(i)
        ]
    context = {
        "invitations": [i for i in invitations.invitations_for(user) if _pending(i)],
        "roles": MemberRole.choices,
        "buyer": buyer,
        "own_links": [link for link in links if buyer is not None and link.buyer_id == buyer.pk],
        "organizations": mine,
        "owner_role": MemberRole.OWNER,
        "title": _("Organizations"),
    }
    return render(request, "frontend/organizations.html", context)


def _pending(invitation: MemberInvitation) -> bool:
    return invitations.invitation_status(invitation) == InvitationStatus.PENDING


@_signed_in
@require_POST
def member_invite(request: SignedInRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(selectors.organizations_of(request.user), pk=pk)
    service_call(
        request,
        lambda: invitations.member_invite(
            organization=organization,
            actor=request.user,
            username=request.POST.get("username", "")[:150],
            role=request.POST.get("role", MemberRole.MEMBER),
            address=get_client_ip_address(request),
        ),
        success=_("Invitation sent: they join once they accept it."),
    )
    return redirect("frontend:organizations")


@_signed_in
@require_POST
def invitation_withdraw(request: SignedInRequest, pk: int, invitation_id: int) -> HttpResponse:
    organization = get_object_or_404(selectors.organizations_of(request.user), pk=pk)
    invitation = get_object_or_404(organization.invitations.select_related("organization"), pk=invitation_id)
    service_call(
        request,
        lambda: invitations.invitation_withdraw(
            invitation=invitation, actor=request.user, address=get_client_ip_address(request)
        ),
        success=_("Invitation withdrawn: they can no longer accept it."),
    )
    return redirect("frontend:organizations")


@_signed_in
@require_POST
def invitation_answer(request: SignedInRequest, pk: int, answer: str) -> HttpResponse:
    get_object_or_404(invitations.invitations_for(request.user), pk=pk)
    answers = {
        "accept": (invitations.invitation_accept, _("Welcome: you are now in the organization.")),
        "decline": (invitations.invitation_decline, _("Invitation declined.")),
    }
    if answer not in answers:
        raise Http404
    call, success = answers[answer]
    service_call(
        request,
        lambda: call(invitation_id=pk, actor=request.user, address=get_client_ip_address(request)),
        success=success,
    )
    return redirect("frontend:organizations")


@_signed_in
@require_POST
def organization_invite(request: SignedInRequest) -> HttpResponse:
    organization_id = _number(request, "organization")
    buyer_id = _number(request, "buyer")
    if organization_id is None or (request.POST.get("buyer", "").strip() and buyer_id is None):
        messages.error(request, _("Numbers are whole numbers, as shown on this page."))
        return redirect("frontend:organizations")
    address = get_client_ip_address(request)

    def invite() -> StreamerLink:
        if buyer_id is None:
            return services.organization_invite(
                actor=request.user, organization_id=organization_id, address=address
            )
        return services.streamer_invite(
            organization_id=organization_id, actor=request.user, buyer_id=buyer_id, address=address
        )

    service_call(request, invite, success=_("Invitation sent."))
    return redirect("frontend:organizations")


@_signed_in
@require_POST
def link_accept(request: SignedInRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(selectors.links_visible_to(request.user), pk=pk)
    service_call(
        request,
        lambda: services.link_accept(link=link, actor=request.user, address=get_client_ip_address(request)),
        success=_("Invitation accepted."),
    )
    return redirect("frontend:organizations")


@_signed_in
@require_POST
def link_end(request: SignedInRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(selectors.links_visible_to(request.user), pk=pk)
    service_call(
        request,
        lambda: services.link_end(link=link, actor=request.user, address=get_client_ip_address(request)),
        success=_("Done: the organization no longer works for this streamer."),
    )
    return redirect("frontend:organizations")

import pytest

from partners import invitations, services
from partners.models import Scope
from tests import makers

ALL_SCOPES = list(Scope.values)


@pytest.fixture
def owner(db):
    return makers.UserMaker(username="mcn_owner")


@pytest.fixture
def organization(owner):
    return services.organization_create(actor=owner, name="星河 MCN")


@pytest.fixture
def streamer(organization, owner):
    """A streamer the organization acts for (invited by it, accepted by the streamer)."""
    buyer = makers.BuyerMaker()
    link = services.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=buyer.pk)
    services.link_accept(link=link, actor=buyer.user)
    return buyer


@pytest.fixture
def outsider(db):
    """A streamer of no organization."""
    return makers.BuyerMaker()


@pytest.fixture
def product(db):
    return makers.ProductMaker()


def make_key(organization, owner, scopes=None, **kwargs):
    key, raw = services.key_create(
        organization=organization, actor=owner, name="选品工具", scopes=scopes or ALL_SCOPES, **kwargs
    )
    return key, raw


@pytest.fixture
def partner(api, organization, owner):
    """An API client holding a key of the organization with every scope."""
    key, raw = make_key(organization, owner)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    api.key = key
    return api


def member_join(*, organization, owner, username, role="member"):
    """An account joins the organization the only way there is: invited by an owner, accepted."""
    invitation = invitations.member_invite(
        organization=organization, actor=owner, username=username, role=role
    )
    return invitations.invitation_accept(invitation_id=invitation.pk, actor=invitation.invitee)

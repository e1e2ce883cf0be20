"""An organization member acting for one of its streamers on the pages (issue 12, point 1).

The API's way (partners.authentication.TokenAuthentication) brought to the pages. A member picks
a streamer in the header's switcher; the choice is kept in the session and checked again on every
request (partners.selectors.member_streamer: an active link of an organization the member is in),
so a streamer who leaves, or a member who is removed, ends it on the next request. While it
holds, the streamer-side pages (views.common.signed_in) run as the streamer's account, as a
member's API request does: every selector, permission and service is the streamer's unchanged (a
member can never do more than the streamer could), and the audit rows written name the member
(marketplace.core.events.member_acting). The member's own pages (account, notifications,
organizations) never act for anyone.

`acting(request)` is the one place the choice is resolved; the pages read it through
`workspace_user` (whose deals they show and write) and `current_streamer` (whose profile), and the
header through `person` (who is signed in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from marketplace.accounts.models import User
from marketplace.core.events import member_acting
from partners.selectors import member_streamer, member_streamers

SESSION_KEY = "yuantou_acting_for"
_CACHE = "_yuantou_acting"
_ENDED = "_yuantou_acting_ended"


@dataclass(frozen=True)
class Acting:
    member: User  # the person signed in
    streamer: BuyerProfile  # whom they act for (with its user)


def acting(request: HttpRequest) -> Acting | None:
    """Whom the signed-in member acts for on this request, or None (acting as themselves).

    Checked once per request against the database, never trusted from the session alone: the
    stored choice names the member who made it and the streamer, and both must still hold."""
    if _CACHE in request.__dict__:
        cached: Acting | None = request.__dict__[_CACHE]
        return cached
    result = _resolve(request)
    request.__dict__[_CACHE] = result
    return result


def _resolve(request: HttpRequest) -> Acting | None:
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_KEY) is None:
        return None
    stored = session[SESSION_KEY]
    user = request.user
    choice = _parse(stored)
    streamer = None
    if choice is not None and user.is_authenticated and choice[0] == user.pk and _may_act(user):
        streamer = member_streamer(user=user, buyer_id=choice[1])
        if streamer is not None and streamer.user_id == user.pk:
            streamer = None  # one's own profile is not someone to act for
    if streamer is None or not user.is_authenticated:  # (a streamer is found for accounts only)
        del session[SESSION_KEY]
        request.__dict__[_ENDED] = True
        _forget_open_forms(request)
        if choice is not None and user.is_authenticated and choice[0] == user.pk:
            # The streamer left the organization, or the member left it: say why the pages
            # changed. A choice that was never this person's ends silently.
            messages.warning(
                request,
                _(
                    "You no longer act for %(name)s: they are not a streamer of your organizations "
                    "any more. You are back on your own account."
                )
                % {"name": choice[2]},
            )
        return None
    member_acting(user)
    return Acting(member=user, streamer=streamer)


def ended(request: HttpRequest) -> bool:
    """Whether this request found the stored choice no longer holding (and dropped it): a form it
    sends was made for the streamer, and must not be done as the person instead."""
    acting(request)
    return bool(request.__dict__.get(_ENDED))


def _parse(stored: Any) -> tuple[int, int, str] | None:
    """(member id, streamer id, streamer's name when chosen), or None for anything else."""
    if not isinstance(stored, dict):
        return None
    member, buyer, name = stored.get("member"), stored.get("buyer"), stored.get("name")
    if type(member) is not int or type(buyer) is not int or not isinstance(name, str):
        return None
    return member, buyer, name


def _may_act(user: User | AnonymousUser) -> bool:
    # As on the API: a factory's account never acts for a streamer.
    return user.is_authenticated and not user.is_factory


def person(request: HttpRequest) -> User | AnonymousUser:
    """Who is signed in, whoever the page acts for: the header's name, the bell, own pages (the
    AnonymousUser on a public page)."""
    current = acting(request)
    return current.member if current is not None else request.user


def workspace_user(request: HttpRequest) -> User | AnonymousUser:
    """The account whose deals the streamer-side pages show and write: the streamer acted for,
    else the person signed in (the AnonymousUser on a public page)."""
    current = acting(request)
    return current.streamer.user if current is not None else request.user


def current_streamer(request: HttpRequest) -> BuyerProfile | None:
    """The streamer profile of the workspace: the one acted for, else the person's own (None for
    a factory, staff, or an account with no streamer profile yet)."""
    current = acting(request)
    if current is not None:
        return current.streamer
    user = request.user
    if not user.is_authenticated or not user.is_buyer:
        return None
    return BuyerProfile.objects.filter(user=user).first()


def act_for(request: HttpRequest, buyer_id: int) -> BuyerProfile | None:
    """Start acting for the streamer `buyer_id` if one of the person's organizations works for
    them now; None (and nothing stored) otherwise."""
    user = person(request)
    if not user.is_authenticated or not _may_act(user):
        return None
    streamer = member_streamer(user=user, buyer_id=buyer_id)
    if streamer is None or streamer.user_id == user.pk:
        return None
    request.session[SESSION_KEY] = {"member": user.pk, "buyer": streamer.pk, "name": streamer.display_name}
    request.__dict__.pop(_CACHE, None)
    _forget_open_forms(request)
    return streamer


def act_as_self(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.__dict__[_CACHE] = None
    _forget_open_forms(request)


def _forget_open_forms(request: HttpRequest) -> None:
    # The pages hold no "for whom" of their own: a form left open in another tab would be sent
    # for whomever the session acts for now. A new CSRF secret (as signing in makes) refuses
    # every form shown before the switch; the CSRF page asks to reload it.
    rotate_token(request)


def choices(user: User) -> list[BuyerProfile]:
    """The streamers the switcher offers `user` (none for a factory)."""
    if not _may_act(user):
        return []
    return list(member_streamers(user).exclude(user=user))

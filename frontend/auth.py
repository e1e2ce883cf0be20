"""The pages' signed-in requests, as types: a view behind the sign-in gate takes a SignedInRequest,
whose `user` is an account, so no view narrows (or casts) `request.user` on its own. The API's
counterpart is marketplace.api.permissions.caller."""

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeAlias, TypeGuard, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase

from marketplace.accounts.models import User

P = ParamSpec("P")


class SignedInRequest(HttpRequest):
    """The request of a page behind the sign-in gate (`account_required`, and views.common's
    `signed_in` and `signed_in_as_self` built on it): the gate has sent every anonymous visitor to
    the sign-in page, so `user` is an account (the streamer's while a member acts for one). A type
    only: at run time it is Django's HttpRequest, as django-stubs suggests for such views."""

    user: User


# A page view as written (it takes a SignedInRequest), and as the URLconf sees it once gated.
SignedInView: TypeAlias = Callable[Concatenate[SignedInRequest, P], HttpResponseBase]
PageView: TypeAlias = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def is_signed_in(request: HttpRequest) -> TypeGuard[SignedInRequest]:
    """For a gate of its own (views.organizations): the check `account_required` makes."""
    return request.user.is_authenticated


def account_required(view: SignedInView[P]) -> PageView[P]:
    """Signed in, else to the sign-in page and back: Django's login_required, typed."""
    # The one cast of the pages' requests: login_required lets no AnonymousUser reach `view`, a
    # check mypy cannot see through; asserting the SignedInRequest here spares every view its own.
    return login_required(cast("PageView[P]", view), login_url="frontend:login")

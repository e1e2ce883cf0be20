"""Has this person completed their factory or streamer profile? Every workspace page asks, so the
answer is kept in the session: it is looked up once at sign-in (or on the first page after it),
and the pages of someone with a profile cost no query for it."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from buyers.models import BuyerProfile
from factories.models import Factory
from marketplace.accounts.models import User

from .auth import SignedInRequest

SESSION_KEY = "yuantou_profile_done"


def has_profile(user: User) -> bool:
    if user.is_staff_member:
        return True  # staff work in the admin; they have no profile to complete
    if user.is_factory:
        return Factory.objects.filter(owner=user).exists()
    if user.is_buyer:
        return BuyerProfile.objects.filter(user=user).exists()
    return True


def profile_done(request: SignedInRequest) -> bool:
    """True once the signed-in user has a profile. Only a "yes" is final: a "no" is asked again, so
    a profile created elsewhere (the API, the admin) unlocks the pages on the next request."""
    if request.session.get(SESSION_KEY):
        return True
    done = has_profile(request.user)
    if done:
        request.session[SESSION_KEY] = True
    return done


def remember_profile_done(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = True


@receiver(user_logged_in, dispatch_uid="frontend.onboarding.on_sign_in")
def _on_sign_in(sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    # Session bookkeeping, not business logic: answer the question once while signing in, so
    # that the first workspace page after it costs no extra query either.
    if request is not None and hasattr(request, "session") and has_profile(user):
        request.session[SESSION_KEY] = True

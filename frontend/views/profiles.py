"""The factory and streamer profile forms (create on first run, edit afterwards). Each calls its
app's service, the one the API calls, so the page refuses what the API refuses, in the same words."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buyers import services as buyers
from buyers.models import BuyerProfile
from factories import services as factories
from factories.models import Factory
from factories.services.media import MAX_FACTORY_PHOTOS
from marketplace.core.errors import NotAllowed, ValidationError

from ..auth import SignedInRequest, account_required
from ..forms.fields import add_service_errors
from ..forms.profiles import (
    STREAMER_ERROR_FIELDS,
    ChannelFormSet,
    FactoryProfileForm,
    StreamerProfileForm,
    channel_initial,
)
from ..onboarding import remember_profile_done
from .signup import safe_next


def _done(request: HttpRequest, *, created: bool, url_name: str) -> HttpResponseRedirect:
    if created:
        remember_profile_done(request)
        messages.success(request, _("Your profile is saved. Welcome to Yuantou!"))
        return redirect(safe_next(request) or reverse("frontend:dashboard"))
    messages.success(request, _("Your profile is saved."))
    return redirect(url_name)


@account_required
@require_http_methods(["GET"])
def my_profile(request: SignedInRequest) -> HttpResponse:
    """One link for the header and the dashboard: the profile form of the person's role."""
    user = request.user
    if user.is_factory:
        return redirect("frontend:factory-profile")
    if user.is_buyer:
        return redirect("frontend:streamer-profile")
    raise PermissionDenied


@account_required
@require_http_methods(["GET", "POST"])
def factory_profile(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if not user.is_factory:
        raise PermissionDenied
    factory = Factory.objects.filter(owner=user).select_related("industrial_belt").first()
    form = FactoryProfileForm(request.POST or None, factory=factory)
    if request.method == "POST" and form.is_valid():
        try:
            if factory is None:
                factories.factory_create(owner=user, data=form.service_data())
            else:
                factories.factory_update(factory=factory, actor=user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        except NotAllowed as error:
            form.add_error(None, str(error.message))
        else:
            return _done(request, created=factory is None, url_name="frontend:factory-profile")
    context = {
        "form": form,
        "factory": factory,
        "photos": list(factory.photos.all()) if factory else [],
        "next": safe_next(request),
        "max_photos": MAX_FACTORY_PHOTOS,
    }
    return render(request, "frontend/factory_profile.html", context)


@account_required
@require_http_methods(["GET", "POST"])
def streamer_profile(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if not user.is_buyer:
        raise PermissionDenied
    profile = BuyerProfile.objects.filter(user=user).first()
    form = StreamerProfileForm(request.POST or None, profile=profile)
    channels = ChannelFormSet(request.POST or None, initial=channel_initial(profile), prefix="channels")
    if request.method == "POST" and form.is_valid() and channels.is_valid():
        data = form.service_data(channels.rows())
        try:
            # One atomic service call: a refused channel row leaves the profile unchanged too.
            if profile is None:
                buyers.buyer_create(user=user, data=data)
            else:
                buyers.buyer_update(profile=profile, actor=user, data=data)
        except ValidationError as error:
            add_service_errors(form, error, STREAMER_ERROR_FIELDS)
        except NotAllowed as error:
            form.add_error(None, str(error.message))
        else:
            return _done(request, created=profile is None, url_name="frontend:streamer-profile")
    context = {"form": form, "channels": channels, "profile": profile, "next": safe_next(request)}
    return render(request, "frontend/streamer_profile.html", context)

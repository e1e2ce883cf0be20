"""Matches with their reasons: "streamers who fit you" for a factory, "recommended for you"
(products and factories) for a streamer. The same search selectors the match endpoints call, so
the order, scores and reason sentences are the API's."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from factories.models import VerificationStatus
from search import selectors as matching
from search.backends import SearchUnavailable

from ..acting import current_streamer
from ..auth import SignedInRequest
from .common import signed_in

STREAMERS_SHOWN = 20
PRODUCTS_SHOWN = 12
FACTORIES_SHOWN = 6


@signed_in
@require_GET
def streamers_for_factory(request: SignedInRequest) -> HttpResponse:
    if not request.user.is_factory:
        raise PermissionDenied(_("Only factory accounts see the streamers who fit them."))
    # Through the user's cached relation: the matching selector reads request.user.factory again.
    factory = getattr(request.user, "factory", None)
    context: dict[str, Any] = {"factory": factory, "matches": [], "problem": None}
    if factory is None:
        context["problem"] = _("Create your factory profile first.")
    elif factory.verification_status != VerificationStatus.VERIFIED:
        # The API answers 403 with this sentence; streamers' profiles are shown to verified factories only.
        context["problem"] = _("Your factory must be verified before you can see matching streamers.")
    else:
        try:
            context["matches"] = matching.buyer_matches(
                factory=factory, user=request.user, limit=STREAMERS_SHOWN
            )
        except SearchUnavailable:
            context["problem"] = _("Search is temporarily unavailable; try again in a minute.")
    return render(request, "frontend/fit_streamers.html", context)


@signed_in
@require_GET
def recommended_for_streamer(request: SignedInRequest) -> HttpResponse:
    if not request.user.is_buyer:
        raise PermissionDenied(_("Only streamer accounts get recommendations."))
    # Categories prefetched once: both matching calls read them.
    buyer = current_streamer(request)
    if buyer is not None:
        prefetch_related_objects([buyer], "categories")
    context: dict[str, Any] = {"buyer": buyer, "products": [], "factories": [], "problem": None}
    if buyer is None:
        context["problem"] = _("Create your streamer profile first.")
    else:
        try:
            context["products"] = matching.product_matches(buyer=buyer, limit=PRODUCTS_SHOWN)
            context["factories"] = matching.factory_matches(buyer=buyer, limit=FACTORIES_SHOWN)
        except SearchUnavailable:
            context["problem"] = _("Search is temporarily unavailable; try again in a minute.")
    return render(request, "frontend/recommended.html", context)

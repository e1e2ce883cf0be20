"""Sign in / sign out (Django's auth views with our templates) and the dashboard each role lands on."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from factories.models import Factory

from .. import selectors as pages
from ..acting import acting, current_streamer
from ..auth import SignedInRequest
from .common import signed_in

DASHBOARD_ROWS = 10

sign_in = auth_views.LoginView.as_view(
    template_name="frontend/sign_in.html",
    redirect_authenticated_user=True,
    next_page=reverse_lazy("frontend:dashboard"),  # default only: a safe ?next= wins
)
sign_out = auth_views.LogoutView.as_view(next_page=reverse_lazy("frontend:home"))


@signed_in
@require_GET
def dashboard(request: SignedInRequest) -> HttpResponse:
    """Open deals first. A factory sees its record (what streamers see about it); a streamer theirs."""
    user = request.user
    context = {
        "factory": Factory.objects.filter(owner=user).first() if user.is_factory else None,
        "buyer": current_streamer(request),
        # An organization member acting for the streamer sees the streamer's record, not "yours".
        "for_them": acting(request) is not None,
        "trials": pages.trials_of(user)[:DASHBOARD_ROWS],
        "bulk_orders": pages.bulk_orders_of(user)[:DASHBOARD_ROWS],
        "samples": pages.samples_of(user)[:DASHBOARD_ROWS],
        "requests": pages.custom_requests_of(user)[:DASHBOARD_ROWS],
    }
    return render(request, "frontend/dashboard.html", context)

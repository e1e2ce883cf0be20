"""All of /api/v1/. Each app contributes its own `urls.py`; the paths are fixed by docs/api.md."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.accounts import api as accounts_api

urlpatterns = [
    path("auth/register/", accounts_api.RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", accounts_api.TokenApi.as_view(), name="auth-token"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("", include("marketplace.addresses.urls")),
    path("", include("factories.urls")),
    path("", include("buyers.urls")),
    path("", include("partners.urls")),
    path("", include("conversations.urls")),
    path("", include("trials.urls")),
    path("", include("tours.urls")),
    path("", include("marketplace.notifications.urls")),
    path("", include("search.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
]

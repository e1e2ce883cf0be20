from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from marketplace.core import health

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("healthz", health.live, name="healthz"),
    path("readyz", health.ready, name="readyz"),
    # The staff moderation dashboard (frontend/views/moderation.py), under the admin it links into;
    # before admin/, whose catch-all would answer its path.
    path("admin/moderation/", include("frontend.moderation_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("marketplace.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]
# Friendly pages in both languages; paths under /api/ get the API's JSON error shape from
# marketplace.api.errors; a database outage that escapes the middleware (e.g. saving the session)
# is a 503, not a 500.
handler400 = "frontend.views.errors.bad_request"
handler403 = "frontend.views.errors.permission_denied"
handler404 = "frontend.views.errors.page_not_found"
handler500 = "frontend.views.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

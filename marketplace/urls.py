from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

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
    # Without a CSRF token: a token in the header's language menu made every page set a cookie, so
    # no anonymous page could be kept in the public cache (core/public_cache.py). All a forged
    # POST can do is switch the visitor's language, which the menu undoes.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
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

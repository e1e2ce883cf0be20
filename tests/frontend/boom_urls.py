"""The site's URLs plus two views that fail, to see the 500 pages (pytest.mark.urls)."""

from django.urls import path

from marketplace.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *urlpatterns]

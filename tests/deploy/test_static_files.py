"""Production serves static files itself (WhiteNoise): hashed names from collectstatic, cached for
good, compressed; a name that is not in the manifest is a 404, never a page."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected_once(tmp_path_factory):
    """collectstatic hashes and compresses every app's files (~40 s here): once for the module."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def collected(settings, collected_once):
    settings.STORAGES = MANIFEST_STORAGES
    settings.STATIC_ROOT = collected_once
    return collected_once


def test_collectstatic_writes_hashed_compressed_files_that_the_app_serves_for_good(collected, settings):
    # given
    settings.DEBUG = False
    url = staticfiles_storage.url("frontend/site.css")
    # then: the name carries the content hash
    assert (
        url.startswith("/static/frontend/site.")
        and url.endswith(".css")
        and url != "/static/frontend/site.css"
    )
    assert (collected / url.removeprefix("/static/")).with_suffix(".css.gz").exists()
    # when
    response = Client(HTTP_ACCEPT_ENCODING="gzip").get(url)
    # then
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"].startswith("text/css")


def test_pages_link_the_hashed_names(collected, db, settings):
    settings.DEBUG = False
    page = Client().get("/", HTTP_HOST="localhost").content.decode()
    assert staticfiles_storage.url("frontend/site.css") in page
    assert 'href="/static/frontend/site.css"' not in page

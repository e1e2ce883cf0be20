"""Content-Security-Policy (django-csp): scripts and styles only from our files, checked on the
served pages and in every template, so a new inline script is caught here rather than in a browser."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [
    *Path(settings.BASE_DIR).glob("*/templates"),
    *Path(settings.BASE_DIR).glob("marketplace/*/templates"),
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+=["']([^"']*)["']""", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/sign-in/", "/admin/login/", "/api/v1/docs/"])
def test_pages_carry_a_policy_without_unsafe_inline(web, path):
    response = web.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][:2] == ["'self'", "https://js.stripe.com"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-hashes'" not in response["Content-Security-Policy"]
    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page)


def test_the_docs_page_loads_its_start_up_script_from_a_url(web):
    page = web.get("/api/v1/docs/").content.decode()
    assert '<script src="/api/v1/docs/?script=' in page or "docs/?script=" in page


def test_no_template_has_inline_script_style_or_unknown_event_handler():
    # given: every template of the project
    templates = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]
    assert len(templates) > 20
    # then
    offenders = []
    for path in templates:
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(path))
        offenders += [f"{path}: {h}" for h in EVENT_HANDLER.findall(text)]
    assert offenders == []

from decimal import Decimal

import pytest

from search.backends import reset_backends
from search.indexing import MODELS, index_dirty
from tests import makers


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # makers set a password on every user; the production hasher makes that ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_backends():
    reset_backends()
    yield
    reset_backends()


def index_all() -> None:
    for kind in MODELS:
        index_dirty(kind)


def product(title, *, factory=None, category="storage", price="30.00", moq=100, **kw):
    kw.setdefault("description", "")
    return makers.ProductMaker(
        title=title,
        factory=factory or makers.FactoryMaker(),
        category=makers.category(category),
        factory_price=Decimal(price),
        moq=moq,
        **kw,
    )

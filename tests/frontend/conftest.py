from decimal import Decimal

import pytest
from django.test import Client

from tests import makers


class Browser(Client):
    """A person at a browser: English by default (tests assert exact messages), signed in as someone."""

    def __init__(self, language="en", **kwargs):
        super().__init__(HTTP_ACCEPT_LANGUAGE=language, **kwargs)

    def as_user(self, user):
        self.force_login(user)
        return self


@pytest.fixture
def web():
    return Browser()


@pytest.fixture
def web_zh():
    return Browser(language="zh-hans")


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(name="义乌市好物收纳用品厂", max_trial_quantity=50, trial_days=30)


@pytest.fixture
def product(factory):
    return makers.ProductMaker(factory=factory, title="桌面收纳盒", factory_price=Decimal("12.35"), moq=100)


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker(display_name="小鹿主播")


@pytest.fixture
def other_buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def other_factory(db):
    return makers.FactoryMaker()

import pytest
from django.db import IntegrityError

from buyers.models import Channel, Platform
from tests import makers

pytestmark = pytest.mark.django_db


def test_handle_is_unique_per_platform_ignoring_case():
    # given
    first, second = makers.BuyerMaker(), makers.BuyerMaker()
    Channel.objects.create(buyer=first, platform=Platform.KUAISHOU, handle="TaoCiXiaoWang")
    # when / then: the database refuses the same account with other letter case (races bypass the service)
    with pytest.raises(IntegrityError):
        Channel.objects.create(buyer=second, platform=Platform.KUAISHOU, handle="taocixiaowang")


def test_same_handle_on_another_platform_is_another_account():
    first, second = makers.BuyerMaker(), makers.BuyerMaker()
    Channel.objects.create(buyer=first, platform=Platform.KUAISHOU, handle="taocixiaowang")
    Channel.objects.create(buyer=second, platform=Platform.XIAOHONGSHU, handle="TaoCiXiaoWang")
    assert Channel.objects.filter(handle__iexact="taocixiaowang").count() == 2

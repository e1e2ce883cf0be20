"""factory_boy factories for test data (named `makers` because `factories` is one of our apps)."""

import random
import string
from decimal import Decimal

import factory as fb
from rest_framework.authtoken.models import Token

from buyers.models import BuyerProfile, Channel, Platform
from factories.models import Category, Factory, Product, ProductStatus, VerificationStatus
from factories.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
from marketplace.accounts.models import Role, User
from marketplace.addresses.models import Address

PASSWORD = "Kz8!river-lantern"


def valid_credit_code(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    body = (
        "91"
        + "".join(rng.choice(string.digits) for _ in range(6))
        + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    )
    return body + credit_code_check_char(body)


class UserMaker(fb.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = fb.Sequence(lambda n: f"user{n}")
    email = fb.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.BUYER
    password = fb.PostGenerationMethodCall("set_password", PASSWORD)

    @fb.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class FactoryUserMaker(UserMaker):
    role = Role.FACTORY


class StaffUserMaker(UserMaker):
    role = Role.STAFF
    is_staff = True
    is_superuser = True


def category(slug: str) -> Category:
    return Category.objects.get(slug=slug)


class FactoryMaker(fb.django.DjangoModelFactory):
    class Meta:
        model = Factory
        skip_postgeneration_save = True

    owner = fb.SubFactory(FactoryUserMaker)
    name = fb.Sequence(lambda n: f"测试工厂{n}号")
    province = "浙江"
    city = "金华"
    customization = "oem"
    accepts_trials = True
    max_trial_quantity = 50
    trial_days = 30
    credit_code = fb.LazyFunction(valid_credit_code)
    verification_status = VerificationStatus.VERIFIED

    @fb.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create:
            obj.categories.set([category(s) for s in (extracted or ["home"])])


class ProductMaker(fb.django.DjangoModelFactory):
    class Meta:
        model = Product

    factory = fb.SubFactory(FactoryMaker)
    title = fb.Sequence(lambda n: f"商品{n}")
    description = "测试商品"
    category = fb.LazyFunction(lambda: category("storage"))
    factory_price = Decimal("12.35")
    moq = 100
    lead_time_days = 7
    customizable = False
    trial_eligible = True
    status = ProductStatus.ACTIVE


class BuyerMaker(fb.django.DjangoModelFactory):
    class Meta:
        model = BuyerProfile
        skip_postgeneration_save = True

    user = fb.SubFactory(UserMaker)
    display_name = fb.Sequence(lambda n: f"主播{n}")
    price_min = Decimal("20.00")
    price_max = Decimal("80.00")
    monthly_gmv = Decimal("500000.00")
    units_per_session = 500
    province = "浙江"
    city = "杭州"

    @fb.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create:
            obj.categories.set([category(s) for s in (extracted or ["home"])])

    @fb.post_generation
    def channels(obj, create, extracted, **kwargs):
        if create:
            Channel.objects.create(
                buyer=obj, platform=Platform.DOUYIN, handle=f"h{obj.pk}", followers=120_000
            )

    @fb.post_generation
    def address(obj, create, extracted, **kwargs):
        """A default shipping address, as every streamer who orders has (extracted=False: none)."""
        if create and extracted is not False:
            Address.objects.create(owner=obj.user, is_default=True, **ADDRESS)


# 杭州市西湖区: a real division triple (province, city, district codes).
ADDRESS = {
    "kind": "shipping",
    "recipient": "林小鹿",
    "mobile": "13812345678",
    "province_code": "330000",
    "city_code": "330100",
    "district_code": "330106",
    "street": "文三路 90 号 3 幢 501",
    "postcode": "310012",
}


def token_for(user: User) -> str:
    return Token.objects.get_or_create(user=user)[0].key

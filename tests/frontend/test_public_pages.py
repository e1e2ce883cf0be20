"""Home, product and factory pages: what anyone sees, the trial price from the product's own rule,
the buttons each kind of visitor gets, and their query counts."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from factories.models import FactoryTier, IndustrialBelt, ProductImage
from tests import makers
from tests.frontend.conftest import Browser
from tests.frontend.helpers import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def super_factory():
    return makers.FactoryMaker(
        name="广州美妍生物科技有限公司",
        province="广东",
        city="广州",
        industrial_belt=IndustrialBelt.objects.get(slug="guangzhou-baiyun-cosmetics"),
        tier=FactoryTier.SUPER,
        customization="odm",
        verified_at=datetime(2026, 3, 14, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        staff_count=320,
        trials_completed=17,
        response_rate=Decimal("0.950"),
    )


@pytest.fixture
def mask(super_factory):
    product = makers.ProductMaker(
        factory=super_factory,
        title="补水睡眠面膜 120g",
        category=makers.category("facial-masks"),
        factory_price=Decimal("15.25"),
        moq=500,
        lead_time_days=12,
        attributes={"净含量": "120g", "功效": "补水保湿"},
    )
    # stored out of order: the page shows them by position
    for position in (2, 0, 1):
        ProductImage.objects.create(
            product=product,
            image=f"products/{product.pk}/{position}.jpg",
            thumbnail=f"products/{product.pk}/{position}_thumb.jpg",
            width=800,
            height=800,
            position=position,
        )
    return product


def test_product_page_shows_gallery_in_order_prices_moq_lead_time_attributes(web, mask):
    # when
    response = web.get(f"/products/{mask.pk}/")
    # then
    assert response.status_code == 200
    page = html(response)
    photos = [f"/media/products/{mask.pk}/{n}.jpg" for n in (0, 1, 2)]
    assert [page.index(f'src="{url}"') for url in photos] == sorted(
        page.index(f'src="{url}"') for url in photos
    )
    assert 'alt="补水睡眠面膜 120g, photo 3 of 3"' in page
    assert '<a href="#photo-2">' in page
    assert '<div class="price big">¥15.25</div>' in page
    assert '<span class="price">¥7.63</span>' in page  # half of 15.25, half-up to the fen
    assert "<tr><th>MOQ</th><td>500</td></tr>" in page
    assert "<tr><th>Lead time</th><td>12 days</td></tr>" in page
    assert "<tr><th>功效</th><td>补水保湿</td></tr>" in page


def test_product_page_factory_card_shows_badge_tier_belt_verification_date_and_record(web, mask):
    # when
    page = html(web.get(f"/products/{mask.pk}/"))
    # then
    assert 'title="Verified on 2026-03-14">✓ Verified</span>' in page
    assert '<span class="badge super">Super factory</span>' in page
    assert "<tr><th>Tier</th><td>super factory</td></tr>" in page
    assert "<tr><th>Verified on</th><td>2026-03-14</td></tr>" in page
    assert 'href="/search/?industrial_belt=guangzhou-baiyun-cosmetics"' in page
    assert "<tr><th>Response rate</th><td>95%</td></tr>" in page
    assert "<tr><th>Trials completed</th><td>17</td></tr>" in page


def test_no_trial_price_when_the_factory_takes_no_trials(web, mask):
    # given: the listing is eligible but its factory has stopped taking trials
    type(mask.factory).objects.filter(pk=mask.factory_id).update(accepts_trials=False)
    # when
    page = html(web.get(f"/products/{mask.pk}/"))
    # then
    assert "¥7.63" not in page
    assert "Start a 50%-off trial" not in page


def test_anonymous_visitor_gets_sign_in_buttons_that_come_back(web, mask):
    # when
    page = html(web.get(f"/products/{mask.pk}/"))
    # then
    back = f"/sign-in/?next=/products/{mask.pk}/"
    assert f'<a class="button" href="{back}%23sample-request">Request a sample</a>' in page
    assert f'<a class="button" href="{back}%23trial-request">Start a 50%-off trial</a>' in page
    assert f'href="/sign-in/?next=/me/custom/new/%3Ffactory%3D{mask.factory_id}">Custom request</a>' in page
    assert f'href="/factories/{mask.factory_id}/#contact">Contact the factory</a>' in page


def test_streamer_gets_the_request_buttons_and_forms(web, mask, buyer):
    # when
    page = html(web.as_user(buyer.user).get(f"/products/{mask.pk}/"))
    # then
    assert '<a class="button" href="#sample-request">Request a sample</a>' in page
    assert '<a class="button" href="#trial-request">Start a 50%-off trial</a>' in page
    assert f'href="/me/custom/new/?factory={mask.factory_id}">Custom request</a>' in page
    assert 'id="trial-request"' in page and 'id="sample-request"' in page


def test_factory_user_gets_no_request_buttons(web, mask, other_factory):
    # when
    page = html(web.as_user(other_factory.owner).get(f"/products/{mask.pk}/"))
    # then
    assert "Request a sample" not in page
    assert "Start a 50%-off trial" not in page
    assert 'id="trial-request"' not in page


def test_product_page_in_chinese(web_zh, mask):
    # when
    page = html(web_zh.get(f"/products/{mask.pk}/"))
    # then
    assert "以 ¥7.63/件 的价格试销" in page
    assert "认证日期" in page
    assert "联系工厂" in page


@pytest.mark.parametrize("pk", [0, 999999])
def test_unknown_product_and_factory_are_404(web, pk):
    assert web.get(f"/products/{pk}/").status_code == 404
    assert web.get(f"/factories/{pk}/").status_code == 404


def test_product_page_query_count(web, mask, django_assert_num_queries):
    # then: product with factory, belt and category; its images; the factory's categories are not read
    with django_assert_num_queries(2):
        response = web.get(f"/products/{mask.pk}/")
    assert response.status_code == 200


def test_factory_page_shows_facts_belt_verification_date_products_and_record(web, mask, super_factory):
    # when
    response = web.get(f"/factories/{super_factory.pk}/")
    # then
    page = html(response)
    assert "<tr><th>Verified on</th><td>2026-03-14</td></tr>" in page
    assert "<tr><th>Employees</th><td>320</td></tr>" in page
    assert 'href="/search/?tab=factories&amp;industrial_belt=guangzhou-baiyun-cosmetics"' in page
    assert "<tr><th>Trials completed</th><td>17</td></tr>" in page
    assert '<h2>Products <span class="muted">(1)</span></h2>' in page
    assert "补水睡眠面膜 120g" in page
    assert 'id="contact"' in page


def test_factory_page_query_count_does_not_grow_with_products(web, super_factory, django_assert_num_queries):
    # given
    for n in range(10):
        makers.ProductMaker(factory=super_factory, title=f"面膜{n}")
    # then: factory, its categories, its workshop photos, products, their images
    with django_assert_num_queries(5):
        response = web.get(f"/factories/{super_factory.pk}/")
    assert '<h2>Products <span class="muted">(10)</span></h2>' in html(response)


def test_home_shows_search_box_category_tree_and_super_factories_by_belt(web, super_factory):
    # given: a standard factory is not featured
    makers.FactoryMaker(name="普通工厂")
    # when
    page = html(web.get("/"))
    # then
    assert '<form class="big-search" method="get" action="/search/" role="search">' in page
    assert '<a class="tree-top" href="/search/?category=beauty">' in page
    assert 'href="/search/?tab=factories&amp;industrial_belt=guangzhou-baiyun-cosmetics"' in page
    assert f'<a href="/factories/{super_factory.pk}/">广州美妍生物科技有限公司</a>' in page
    assert "普通工厂" not in page


def test_every_page_has_the_header_search_box(web, mask, buyer):
    # given
    web.as_user(buyer.user)
    # then
    for url in ("/", f"/products/{mask.pk}/", f"/factories/{mask.factory_id}/", "/me/", "/me/trials/"):
        assert '<form class="header-search" method="get" action="/search/" role="search">' in html(
            web.get(url)
        )


def test_header_has_no_inline_script_or_style(web, mask):
    # when
    page = html(Browser().get(f"/factories/{mask.factory_id}/"))
    # then: a strict Content-Security-Policy can be switched on without breaking these pages
    assert "<script" not in page
    assert "<style" not in page
    assert "onchange=" not in page
    assert 'style="' not in page


def test_old_home_category_links_go_to_search(web):
    # when
    response = web.get("/?category=ceramics")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/search/?category=ceramics"


def test_bell_caps_a_large_count(web, buyer):
    # given
    from marketplace.notifications.services import notification_create

    for n in range(120):
        notification_create(recipient=buyer.user, kind="trial.accepted", key=f"trial:{n}:accept", data={})
    # when
    page = html(web.as_user(buyer.user).get("/"))
    # then
    assert '<span class="bell-count">99+</span>' in page

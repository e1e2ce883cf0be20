from decimal import Decimal

import pytest

from factories.models import FactoryTier, IndustrialBelt, ProductStatus, VerificationStatus
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing():
    factory = makers.FactoryMaker(name="景德镇市青瓷坊陶瓷有限公司", categories=["ceramics"])
    return makers.ProductMaker(
        factory=factory,
        title="釉下彩手绘陶瓷饭碗 4.5英寸",
        category=makers.category("tableware"),
        factory_price=Decimal("12.35"),
        moq=300,
        trial_eligible=True,
        attributes={"材质": "高温白瓷", "产地": "江西景德镇"},
    )


def get(client, url, language="en"):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_home_shows_public_products_with_price_moq_factory_trial_and_category(client, listing):
    # given
    makers.ProductMaker(factory=listing.factory, title="待审核的新品", status=ProductStatus.PENDING_REVIEW)
    hidden_factory = makers.FactoryMaker(verification_status=VerificationStatus.PENDING)
    makers.ProductMaker(factory=hidden_factory, title="未认证工厂的商品")
    # when
    response = get(client, "/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "釉下彩手绘陶瓷饭碗 4.5英寸" in html
    assert "¥12.35" in html
    assert "MOQ 300" in html
    assert "景德镇市青瓷坊陶瓷有限公司" in html
    assert "50%-off trial" in html
    assert '<span class="tag">Tableware</span>' in html
    assert "Ceramics &amp; Tableware</a>" in html
    assert "待审核的新品" not in html
    assert "未认证工厂的商品" not in html


def test_home_speaks_chinese_by_default(client, listing):
    # when
    response = get(client, "/", language="zh-hans")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<span class="tag">餐具</span>' in html
    assert "陶瓷餐具</a>" in html


def test_home_category_tree_links_each_category_to_search(client, listing):
    # when
    response = get(client, "/")
    # then: the top category and its children, each a link to the search page filtered by it
    html = response.content.decode()
    assert '<a class="tree-top" href="/search/?category=ceramics">Ceramics &amp; Tableware</a>' in html
    assert '<li><a href="/search/?category=tableware">Tableware</a></li>' in html


def test_home_does_not_query_per_product(client, listing, django_assert_num_queries):
    # given: five more products and three super factories in two belts
    for n in range(5):
        makers.ProductMaker(factory=listing.factory, title=f"马克杯{n}")
    belt = IndustrialBelt.objects.get(slug="jingdezhen-ceramics")
    for n in range(3):
        makers.FactoryMaker(tier=FactoryTier.SUPER, industrial_belt=belt if n else None)
    # then: categories, super factories (with their belts), products, their images
    with django_assert_num_queries(4):
        response = get(client, "/")
    assert response.content.decode().count('class="card"') == 6


def test_product_page_shows_details_and_trial_price(client, listing):
    # when
    response = get(client, f"/products/{listing.pk}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>釉下彩手绘陶瓷饭碗 4.5英寸</h1>" in html
    assert "Try it at ¥6.18 per unit" in html
    assert "<tr><th>材质</th><td>高温白瓷</td></tr>" in html
    assert f'href="/factories/{listing.factory_id}/"' in html


@pytest.mark.parametrize(
    ("product_status", "factory_status"),
    [
        (ProductStatus.PENDING_REVIEW, VerificationStatus.VERIFIED),
        (ProductStatus.DRAFT, VerificationStatus.VERIFIED),
        (ProductStatus.ACTIVE, VerificationStatus.PENDING),
        (ProductStatus.ACTIVE, VerificationStatus.SUSPENDED),
    ],
)
def test_non_public_product_is_404_even_for_its_owner(client, product_status, factory_status):
    # given
    product = makers.ProductMaker(
        status=product_status, factory=makers.FactoryMaker(verification_status=factory_status)
    )
    client.force_login(product.factory.owner)
    # when
    response = get(client, f"/products/{product.pk}/")
    # then
    assert response.status_code == 404


def test_factory_page_shows_public_profile_and_public_products_only(client, listing):
    # given
    makers.ProductMaker(factory=listing.factory, title="待审核的新品", status=ProductStatus.PENDING_REVIEW)
    # when
    response = get(client, f"/factories/{listing.factory_id}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>景德镇市青瓷坊陶瓷有限公司</h1>" in html
    assert "釉下彩手绘陶瓷饭碗 4.5英寸" in html
    assert "待审核的新品" not in html
    assert "✓ Verified</span>" in html


def test_factory_page_shows_the_video_tour_rating_with_its_count(client, listing):
    # given: two streamers rated their tours (tours/services/ratings.py keeps these two figures)
    factory = listing.factory
    factory.tour_rating, factory.tours_rated = Decimal("4.50"), 2
    factory.save(update_fields=["tour_rating", "tours_rated"])
    unrated = makers.FactoryMaker()
    # when
    english = get(client, f"/factories/{factory.pk}/").content.decode()
    chinese = get(client, f"/factories/{factory.pk}/", language="zh-hans").content.decode()
    nothing = get(client, f"/factories/{unrated.pk}/").content.decode()
    # then
    assert '<th>Video tour rating</th><td>4.50 / 5 <span class="muted">(2 tours rated)</span></td>' in english
    assert '<th>视频看厂评分</th><td>4.50 / 5 <span class="muted">（2 次看厂评分）</span></td>' in chinese
    assert "<th>Video tour rating</th><td>—</td>" in nothing


def test_unverified_factory_page_is_404(client):
    # given
    factory = makers.FactoryMaker(verification_status=VerificationStatus.PENDING)
    # when
    response = get(client, f"/factories/{factory.pk}/")
    # then
    assert response.status_code == 404

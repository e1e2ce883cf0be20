"""Every admin changelist and change page opens for staff, with a query count that does not grow
with the number of rows (no N+1), and a non-staff user is sent to the login page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from buyers.models import BuyerProfile, Channel
from factories.models import Category, Factory, IndustrialBelt, Product, ProductReport
from factories.services import product_image_add, product_report_create
from marketplace.accounts.models import ApiKey, User
from marketplace.accounts.services import api_key_create
from marketplace.core.events import event_record
from marketplace.core.models import Event
from partners import services as partners
from partners.models import Organization, PartnerKey, StreamerLink
from tests.makers import PASSWORD, BuyerMaker, FactoryMaker, ProductMaker, StaffUserMaker, UserMaker, category

from .helpers import change_url, changelist_url

pytestmark = pytest.mark.django_db

# Session, user, counts, rows, filter choices: a changelist needs a fixed handful of queries.
MAX_CHANGELIST_QUERIES = 12
MAX_CHANGE_PAGE_QUERIES = 20


def new_belt(n):
    return IndustrialBelt.objects.create(
        slug=f"test-belt-{n}-{IndustrialBelt.objects.count()}",
        name=f"测试产业带{n}",
        name_en=f"Test belt {n}",
        province="浙江",
        city="义乌",
    )


def new_report(n):
    return product_report_create(product=ProductMaker(), reporter=UserMaker(), reason="counterfeit")


def new_category(n):
    return Category.objects.create(
        parent=category("home").parent or category("home"),
        slug=f"test-cat-{n}-{Category.objects.count()}",
        name=f"测试类目{n}",
        name_en=f"Test category {n}",
    )


def new_event(n):
    product = ProductMaker()
    return event_record(actor=product.factory.owner, verb="product.updated", target=product, fields=["moq"])


def new_organization(n):
    return partners.organization_create(actor=UserMaker(), name=f"测试机构{n}")


def new_streamer_link(n):
    organization = new_organization(n)
    owner = organization.memberships.get().user
    return partners.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=BuyerMaker().pk)


def new_partner_key(n):
    organization = new_organization(n)
    owner = organization.memberships.get().user
    return partners.key_create(
        organization=organization, actor=owner, name=f"测试 {n}", scopes=["catalog:read"]
    )[0]


MAKERS = {
    User: lambda n: UserMaker(),
    ApiKey: lambda n: api_key_create(user=UserMaker(), name=f"MCN tool {n}")[0],
    Event: new_event,
    Category: new_category,
    IndustrialBelt: new_belt,
    Factory: lambda n: FactoryMaker(industrial_belt=new_belt(n), categories=["home", "beauty"]),
    Product: lambda n: ProductMaker(),
    ProductReport: new_report,
    BuyerProfile: lambda n: BuyerMaker(categories=["home", "beauty"]),
    Channel: lambda n: BuyerMaker().channels.get(),
    Organization: new_organization,
    StreamerLink: new_streamer_link,
    PartnerKey: new_partner_key,
}
MODELS = list(MAKERS)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, model):
    # given
    MAKERS[model](0)
    url = changelist_url(model)
    few = queries(staff_client, url)

    # when
    for n in range(1, 6):
        MAKERS[model](n)
    many = queries(staff_client, url)

    # then
    assert many == few
    assert many <= MAX_CHANGELIST_QUERIES


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search(staff_client, model):
    # given
    MAKERS[model](0)

    # when
    response = staff_client.get(changelist_url(model), {"q": "测试"})

    # then
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_page_opens_with_bounded_queries(staff_client, model):
    # given
    obj = MAKERS[model](0)

    # when
    count = queries(staff_client, change_url(obj))

    # then
    assert count <= MAX_CHANGE_PAGE_QUERIES


def png_upload(name="p.png", size=(900, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_product_page_shows_image_thumbnails_without_n_plus_one(staff_client):
    # given (added by staff: a factory's new photos of a live listing would wait for review)
    product = ProductMaker()
    staff = StaffUserMaker()
    product_image_add(product=product, actor=staff, upload=png_upload())
    one = queries(staff_client, change_url(product))
    for _ in range(3):
        product_image_add(product=product, actor=staff, upload=png_upload())

    # when
    response = staff_client.get(change_url(product))

    # then
    assert queries(staff_client, change_url(product)) == one
    thumbnails = [img.thumbnail.url for img in product.images.all()]
    assert len(thumbnails) == 4
    for url in thumbnails:
        assert "_thumb." in url
        assert f'<img src="{url}"' in response.content.decode()


def test_event_history_on_the_change_page(staff_client):
    # given
    factory = FactoryMaker(verification_status="pending")
    event_record(actor=factory.owner, verb="factory.updated", target=factory, fields=["name"])
    one = queries(staff_client, change_url(factory))
    for _ in range(4):
        event_record(actor=factory.owner, verb="factory.updated", target=factory, fields=["city"])

    # when
    response = staff_client.get(change_url(factory))

    # then
    assert queries(staff_client, change_url(factory)) == one
    assert response.content.decode().count("<td>factory.updated</td>") == 5


def test_events_are_read_only(staff_client):
    # given
    event = new_event(0)

    # when
    page = staff_client.get(change_url(event))
    post = staff_client.post(change_url(event), {"verb": "tampered"})

    # then
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    event.refresh_from_db()
    assert event.verb == "product.updated"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_non_staff_is_sent_to_login(model):
    # given: a signed-in streamer, who is not staff
    user = UserMaker()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    url = changelist_url(model)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"


def test_anonymous_is_sent_to_login():
    # given
    client = Client()
    url = changelist_url(Factory)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"

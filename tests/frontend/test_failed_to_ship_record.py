"""A factory's record shows streamers the paid trials it never shipped (staff cancelled them with a
refund: trials.services.records FAILED_TO_SHIP), on the factory's page, its products' pages and a
trial's page; both languages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.frontend.helpers import html
from tests.trials.conftest import trial_at
from trials.models import TrialOrder
from trials.services import staff as staff_service

pytestmark = pytest.mark.django_db

ROW_EN = (
    '<tr class="failed-to-ship"><th>Paid trials not shipped</th><td>1 '
    '<span class="muted">cancelled by staff, the streamer refunded</span></td></tr>'
)
ROW_ZH = (
    '<tr class="failed-to-ship"><th>已付款未发货的试销</th><td>1 '
    '<span class="muted">已由平台取消，货款退还主播</span></td></tr>'
)
ROW_NONE = '<tr class="failed-to-ship"><th>Paid trials not shipped</th><td>0</td></tr>'


@pytest.fixture
def refunded(product, buyer, staff):
    """A paid trial the factory left unshipped for 6 days, cancelled and refunded by staff."""
    paid = trial_at("paid", product=product, buyer=buyer)
    TrialOrder.objects.filter(pk=paid.pk).update(paid_at=timezone.now() - timedelta(days=6))
    return staff_service.trial_resolve_stuck(
        trial=paid, actor=staff, name="cancel_with_refund", reason="未发货"
    )


def test_streamers_see_the_failure_to_ship_on_the_factory_product_and_trial_pages(
    web, other_buyer, buyer, product, refunded
):
    web.as_user(other_buyer.user)
    assert ROW_EN in html(web.get(f"/factories/{product.factory_id}/"))
    assert ROW_EN in html(web.get(f"/products/{product.pk}/"))
    # the streamer whose trial it was, on that trial's page
    assert ROW_EN in html(web.as_user(buyer.user).get(f"/me/trials/{refunded.pk}/"))


def test_a_factory_that_shipped_everything_shows_zero_and_no_note(web, other_buyer, other_factory):
    page = html(web.as_user(other_buyer.user).get(f"/factories/{other_factory.pk}/"))
    assert ROW_NONE in page


def test_the_figure_speaks_chinese(web_zh, other_buyer, product, refunded):
    assert ROW_ZH in html(web_zh.as_user(other_buyer.user).get(f"/factories/{product.factory_id}/"))


def test_the_api_gives_the_figure_in_the_factorys_metrics(api, product, refunded):
    response = api.get(f"/api/v1/factories/{product.factory_id}/")
    assert response.status_code == 200
    assert response.json()["metrics"]["trials_failed_to_ship"] == 1

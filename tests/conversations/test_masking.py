"""Contact details typed into messages are hidden from the other side until the two have agreed to
talk; stored as written; shown once agreed. Prices, order numbers and dates stay as they are."""

import pytest
from django.utils import translation

from conversations.masking import contact_masked
from conversations.models import Message
from marketplace.notifications.models import Notification
from tests import makers
from tests.frontend.conftest import Browser

H = "[contact hidden]"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("电话13800138000", f"电话{H}"),
        ("手机 138 0013 8000 找王经理", f"手机 {H} 找王经理"),
        ("打138-0013-8000", f"打{H}"),
        ("+86 13800138000 或 +86-159-1234-5678", f"{H} 或 {H}"),
        ("微信:wang_li88", f"微信:{H}"),
        ("微信号：WangLi-2020 加我", f"微信号：{H} 加我"),
        ("加我微信abc12345", f"加我微信{H}"),
        ("VX: shop_2024a", f"VX: {H}"),
        ("wx:haowu888", f"wx:{H}"),
        ("WeChat ID: yiwu_box", f"WeChat ID: {H}"),
        ("邮箱 sales@yiwu-box.com.cn 谢谢", f"邮箱 {H} 谢谢"),
        ("微信 13900001111", f"微信 {H}"),
    ],
)
def test_contact_details_are_masked(text, shown):
    assert contact_masked(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "单价¥12.50，MOQ 3000",
        "订单号 13800138000123",
        "订单 PO20261204001",
        "DD13800138000",
        "2026-12-04 14:30 发货",
        "12月4日看厂",
        "用微信支付",
        "价格 1380 元，共 13800 件",
        "样品费 150 元, 运费 13.8",
        "15 16 17 18 19 20",
        "wxyzabcdef",
        "微信 ok",
    ],
)
def test_prices_orders_and_dates_are_not_masked(text):
    assert contact_masked(text) == text


def test_the_placeholder_is_translated():
    with translation.override("zh-hans"):
        assert contact_masked("电话13800138000") == "电话[联系方式已隐藏]"


def test_masked_for_the_other_side_until_agreed_then_shown(api, buyer, factory, conversation):
    from tests.trials.conftest import trial_at
    from trials.services import trials as trial_services

    written = "我的微信:wang_li88，电话 138 0013 8000，单价¥12.50，订单 PO20261204001"
    masked = f"我的微信:{H}，电话 {H}，单价¥12.50，订单 PO20261204001"
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    # when
    posted = api.as_user(factory.owner).post(url, {"body": written}, format="json")
    # then: stored as written; the author reads it as written, the streamer masked, in the list,
    # on the page and in their inbox entry
    assert posted.json()["body"] == written
    assert Message.objects.get().body == written
    assert api.as_user(buyer.user).get(url).json()["results"][0]["body"] == masked
    assert api.as_user(factory.owner).get(url).json()["results"][0]["body"] == written
    (notice,) = Notification.objects.filter(recipient=buyer.user)
    assert notice.data["body"] == masked
    page = Browser().as_user(buyer.user).get(f"/me/conversations/{conversation.pk}/").content.decode()
    assert masked in page and "wang_li88" not in page and "0013" not in page
    # when: the two agree (the factory accepts a trial)
    product = makers.ProductMaker(factory=factory, moq=100)
    trial_services.trial_accept(
        trial=trial_at("requested", product=product, buyer=buyer), actor=factory.owner
    )
    # then
    assert api.as_user(buyer.user).get(url).json()["results"][0]["body"] == written
    assert (
        written in Browser().as_user(buyer.user).get(f"/me/conversations/{conversation.pk}/").content.decode()
    )


def test_custom_request_threads_are_masked_too(api, buyer):
    from tests.trials.conftest import mask_request

    maker = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = mask_request(buyer, factory=maker)
    url = f"/api/v1/custom-requests/{request.pk}/messages/"
    # when
    posted = api.as_user(maker.owner).post(url, {"body": "邮箱 sales@yiwu-box.com.cn"}, format="json")
    # then
    assert posted.json()["body"] == "邮箱 sales@yiwu-box.com.cn"
    assert [m["body"] for m in api.as_user(buyer.user).get(url).json()] == [f"邮箱 {H}"]
    page = Browser().as_user(buyer.user).get(f"/me/custom/{request.pk}/").content.decode()
    assert f"邮箱 {H}" in page and "sales@" not in page

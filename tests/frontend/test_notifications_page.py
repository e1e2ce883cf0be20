"""The header bell and the inbox page (me/notifications/), on the notification services."""

import pytest

from frontend.inbox import notification_url
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notification_create
from tests import makers
from tests.frontend.conftest import Browser
from tests.frontend.helpers import html, messages_of

pytestmark = pytest.mark.django_db


def accepted(user, trial_id: int, title="桌面收纳盒") -> Notification:
    return notification_create(
        recipient=user,
        kind="trial.accepted",
        key=f"trial:{trial_id}:accept",
        data={
            "ref": f"T{trial_id:06d}",
            "trial_id": trial_id,
            "title": title,
            "factory": "义乌市好物收纳用品厂",
            "total": "¥61.80",
        },
    )


@pytest.fixture
def inbox(buyer, other_buyer):
    """Two unread and one read for the buyer; one unread for someone else."""
    first = accepted(buyer.user, 11)
    second = accepted(buyer.user, 12, title="马克杯")
    read = accepted(buyer.user, 13, title="旧的通知")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    theirs = accepted(other_buyer.user, 14, title="别人的通知")
    return {"first": first, "second": second, "read": read, "theirs": theirs}


def unread_ids(user) -> set[int]:
    return set(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("pk", flat=True))


def test_inbox_requires_sign_in(web):
    # when
    response = web.get("/me/notifications/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/me/notifications/"


def test_inbox_lists_only_my_notifications_newest_first_with_links(web, buyer, inbox):
    # when
    response = web.as_user(buyer.user).get("/me/notifications/")
    # then
    assert response.status_code == 200
    assert [e.title for e in response.context["entries"]] == [
        "Trial accepted: 旧的通知",
        "Trial accepted: 马克杯",
        "Trial accepted: 桌面收纳盒",
    ]
    page = html(response)
    assert '<a href="/me/trials/12/">Trial accepted: 马克杯</a>' in page
    assert "义乌市好物收纳用品厂 accepted your trial T000012. Pay ¥61.80 to start it." in page
    assert "别人的通知" not in page
    assert "(2 unread)" in page


def test_inbox_unread_filter(web, buyer, inbox):
    # when
    response = web.as_user(buyer.user).get("/me/notifications/?unread=1")
    # then
    assert [e.notification.pk for e in response.context["entries"]] == [inbox["second"].pk, inbox["first"].pk]


def test_inbox_speaks_chinese(web_zh, buyer, inbox):
    # when
    response = web_zh.as_user(buyer.user).get("/me/notifications/")
    # then
    page = html(response)
    assert "试销已接受：马克杯" in page
    assert "全部标为已读" in page
    assert "（2 条未读）" in page


def test_bell_shows_my_unread_count_on_every_page(web, buyer, inbox):
    # given
    web.as_user(buyer.user)
    # when
    pages = [web.get(url) for url in ("/", "/search/", "/me/", "/me/trials/", "/me/notifications/")]
    # then
    for response in pages:
        assert response.status_code == 200
        assert '<span class="bell-count">2</span>' in html(response)


def test_bell_without_unread_shows_no_count_and_anonymous_gets_no_bell(web, other_factory):
    # when
    signed_in = Browser().as_user(other_factory.owner).get("/")
    anonymous = web.get("/")
    # then
    assert 'href="/me/notifications/"' in html(signed_in)
    assert "bell-count" not in html(signed_in)
    assert 'href="/me/notifications/"' not in html(anonymous)


def test_bell_costs_one_query(buyer, product, inbox, django_assert_num_queries):
    # given: the home page's own four queries (see test_pages), plus session and user
    web = Browser().as_user(buyer.user)
    # then: … plus the one COUNT of the bell
    with django_assert_num_queries(7):
        response = web.get("/")
    assert '<span class="bell-count">2</span>' in html(response)


def test_inbox_query_count_does_not_grow_with_rows(web, buyer, inbox, django_assert_num_queries):
    # given: 20 more
    for n in range(20):
        accepted(buyer.user, 100 + n)
    web.as_user(buyer.user)
    # then: session, user, page count, page rows, bell (shared by the header and the heading)
    with django_assert_num_queries(5):
        response = web.get("/me/notifications/")
    assert len(response.context["entries"]) == 20


def test_mark_one_read_goes_back_to_where_the_form_said(web, buyer, inbox):
    # when
    response = web.as_user(buyer.user).post(
        f"/me/notifications/{inbox['first'].pk}/read/", {"next": "/me/trials/11/"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/me/trials/11/"
    assert unread_ids(buyer.user) == {inbox["second"].pk}


def test_mark_read_never_redirects_off_site(web, buyer, inbox):
    # when
    response = web.as_user(buyer.user).post(
        f"/me/notifications/{inbox['first'].pk}/read/", {"next": "https://evil.example/"}
    )
    # then
    assert response["Location"] == "/me/notifications/"


def test_marking_someone_elses_notification_is_404_and_changes_nothing(web, buyer, inbox, other_buyer):
    # when
    response = web.as_user(buyer.user).post(f"/me/notifications/{inbox['theirs'].pk}/read/")
    # then
    assert response.status_code == 404
    assert unread_ids(other_buyer.user) == {inbox["theirs"].pk}


def test_mark_all_read_marks_only_mine(web, buyer, inbox, other_buyer):
    # given
    read_before = Notification.objects.get(pk=inbox["read"].pk).read_at
    # when
    response = web.as_user(buyer.user).post("/me/notifications/read-all/", follow=True)
    # then
    assert messages_of(response) == ["Marked 2 notifications as read."]
    assert unread_ids(buyer.user) == set()
    assert unread_ids(other_buyer.user) == {inbox["theirs"].pk}
    assert Notification.objects.get(pk=inbox["read"].pk).read_at == read_before  # kept its own time
    assert "bell-count" not in html(response)


def test_mark_all_read_with_nothing_unread_says_so(web, other_factory):
    # when
    response = web.as_user(other_factory.owner).post("/me/notifications/read-all/", follow=True)
    # then
    assert messages_of(response) == ["Nothing unread."]


@pytest.mark.parametrize("url", ["/me/notifications/read-all/", "/me/notifications/1/read/"])
def test_marking_read_is_post_only(web, buyer, url):
    # when
    response = web.as_user(buyer.user).get(url)
    # then
    assert response.status_code == 405


def test_mark_read_without_csrf_token_is_refused(buyer, inbox):
    # given
    web = Browser(enforce_csrf_checks=True).as_user(buyer.user)
    # when
    one = web.post(f"/me/notifications/{inbox['first'].pk}/read/")
    every = web.post("/me/notifications/read-all/")
    # then
    assert (one.status_code, every.status_code) == (403, 403)
    assert unread_ids(buyer.user) == {inbox["first"].pk, inbox["second"].pk}


def test_inbox_forms_carry_csrf_tokens(web, buyer, inbox):
    # when
    page = html(web.as_user(buyer.user).get("/me/notifications/"))
    # then: mark all, (open, mark read) for each of the two unread, sign out — the language menu
    # posts without one (a CSRF-exempt set_language, so anonymous pages can be cached: marketplace/urls.py)
    assert page.count('name="csrfmiddlewaretoken"') == 1 + 2 * 2 + 1


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1" * 40])
def test_bad_page_numbers_show_a_page(web, buyer, inbox, page):
    # when
    response = web.as_user(buyer.user).get("/me/notifications/", {"page": page})
    # then
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("data", "url"),
    [
        ({"ref": "T000012", "trial_id": 12}, "/me/trials/12/"),
        ({"ref": "S000003", "sample_id": 3}, "/me/samples/3/"),
        ({"ref": "C000007", "custom_request_id": 7}, "/me/custom/7/"),
        ({"ref": "T000012", "title": "payment instructions carry only the trial's ref"}, "/me/trials/12/"),
        ({"ref": "B000009", "bulk_order_id": 9}, "/me/bulk-orders/9/"),
        ({"ref": "B000009", "amount": "¥741.00"}, "/me/bulk-orders/9/"),  # a deposit's instructions
        ({"ref": "X000001"}, None),
        ({"ref": "T"}, None),
        ({"ref": "T12a"}, None),
        ({"trial_id": "12"}, None),
        ({}, None),
    ],
)
def test_notification_links_to_its_object(data, url):
    assert notification_url(data) == url


def test_an_unknown_kind_still_renders(web, buyer):
    # given
    notification_create(recipient=buyer.user, kind="unknown.kind", key="x:1", data={"title": "某事"})
    # when
    response = web.as_user(buyer.user).get("/me/notifications/")
    # then
    assert response.status_code == 200
    assert "Update: 某事" in html(response)


def test_factory_sees_its_own_notifications(web, factory):
    # given
    makers_product = makers.ProductMaker(factory=factory)
    accepted(factory.owner, 21, title=makers_product.title)
    # when
    response = web.as_user(factory.owner).get("/me/notifications/")
    # then
    assert [e.url for e in response.context["entries"]] == ["/me/trials/21/"]

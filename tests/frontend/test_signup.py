"""Sign-up on the web (the API's account service), sign-in's ?next=, password reset by e-mail and
the first-run page that leads a new user to their profile."""

import re

import pytest
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token

from marketplace.accounts.models import Role, User
from marketplace.core.models import Event
from tests import makers
from tests.frontend.helpers import html

pytestmark = pytest.mark.django_db

GOOD = {
    "role": "factory",
    "username": "haowu_factory",
    "email": "boss@haowu.example",
    "password1": makers.PASSWORD,
    "password2": makers.PASSWORD,
}


def errors_of(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- sign-up ---------------------------------------------------------------------------------


def test_sign_up_page_labels_every_input_in_both_languages(web, web_zh):
    # when
    en, zh = web.get("/sign-up/"), web_zh.get("/sign-up/")
    # then
    assert (en.status_code, zh.status_code) == (200, 200)
    page = html(en)
    assert "<h1>Sign up</h1>" in page
    for name in ("id_username", "id_email", "id_password1", "id_password2", "id_role_0", "id_role_1"):
        assert f'for="{name}"' in page
    assert 'value="staff"' not in page
    assert "<h1>注册</h1>" in html(zh)
    assert "工厂：我生产商品，希望主播来卖" in html(zh)


@pytest.mark.parametrize("role", ["factory", "buyer"])
def test_signing_up_creates_the_account_through_the_api_service_and_signs_in(web, role):
    # when
    response = web.post("/sign-up/", {**GOOD, "role": role})
    # then: the same service as POST /api/v1/auth/register/: user, API token and event row
    assert (response.status_code, response["Location"]) == (302, "/welcome/")
    user = User.objects.get(username="haowu_factory")
    assert (user.role, user.email, user.is_staff) == (role, "boss@haowu.example", False)
    assert user.check_password(makers.PASSWORD)
    assert Token.objects.filter(user=user).exists()
    assert list(Event.objects.filter(verb="user.registered").values_list("target_id", flat=True)) == [user.pk]
    assert int(web.session["_auth_user_id"]) == user.pk


def test_a_forged_staff_role_is_refused_and_creates_nothing(web):
    # when
    response = web.post("/sign-up/", {**GOOD, "role": "staff"})
    # then
    assert response.status_code == 200
    assert errors_of(response, "role") == [
        "Select a valid choice. staff is not one of the available choices."
    ]
    assert not User.objects.filter(username="haowu_factory").exists()
    assert "_auth_user_id" not in web.session


def test_the_service_refuses_staff_even_if_the_form_were_bypassed():
    # given: the form is one guard; the service the form calls is the other
    from marketplace.accounts.services import user_register
    from marketplace.core.errors import ValidationError

    # when / then
    with pytest.raises(ValidationError):
        user_register(username="sneaky", password=makers.PASSWORD, email="s@x.example", role=Role.STAFF)
    assert not User.objects.filter(username="sneaky").exists()


def test_a_taken_username_is_refused_in_english_and_chinese_whatever_its_case(web, web_zh):
    # given
    makers.UserMaker(username="HaoWu_Factory")
    # when
    en = web.post("/sign-up/", GOOD)
    # then
    assert errors_of(en, "username") == ["This username is taken."]
    assert "该用户名已被使用。" in html(web_zh.post("/sign-up/", GOOD))
    assert User.objects.filter(username__iexact="haowu_factory").count() == 1


def test_a_used_email_is_refused(web):
    # given
    makers.UserMaker(email="BOSS@haowu.example")
    # when
    response = web.post("/sign-up/", GOOD)
    # then
    assert errors_of(response, "email") == ["An account with this e-mail already exists."]
    assert not User.objects.filter(username="haowu_factory").exists()


def test_a_weak_password_gets_the_validators_words_under_the_password(web, web_zh):
    # when
    weak = {**GOOD, "password1": "12345678", "password2": "12345678"}
    en = web.post("/sign-up/", weak)
    # then
    assert errors_of(en, "password1") == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert "这个密码太常见了。" in html(web_zh.post("/sign-up/", weak))
    assert not User.objects.exists()


def test_different_passwords_are_refused(web, web_zh):
    # when
    different = {**GOOD, "password2": makers.PASSWORD + "x"}
    en = web.post("/sign-up/", different)
    # then
    assert errors_of(en, "password2") == ["The two passwords are not the same."]
    assert "两次输入的密码不一致。" in html(web_zh.post("/sign-up/", different))
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "", "This field is required."),
        ("username", "bad name!", "Use letters, digits and @ . + - _ only."),
        ("username", "x" * 10_000, "Ensure this value has at most 150 characters (it has 10000)."),
        ("username", "ab\x07c", "Use letters, digits and @ . + - _ only."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "a@b.example\x00", "Null characters are not allowed."),
        (
            "email",
            "x" * 10_000 + "@b.example",
            "Ensure this value has at most 254 characters (it has 10010).",
        ),
        ("password1", "Kz8!river\x1blantern", "Remove the invisible control characters from this text."),
        ("password1", "x" * 10_000, "Ensure this value has at most 128 characters (it has 10000)."),
        ("role", "", "This field is required."),
        ("role", "1", "Select a valid choice. 1 is not one of the available choices."),
    ],
)
def test_bad_sign_up_input_is_a_form_error_and_creates_nothing(web, field, value, message):
    # when
    data = {**GOOD, field: value}
    if field == "password1":
        data["password2"] = value
    response = web.post("/sign-up/", data)
    # then
    assert response.status_code == 200
    assert message in errors_of(response, field)
    assert not User.objects.exists()


def test_sign_up_keeps_a_safe_next_and_drops_an_unsafe_one(web):
    # when
    safe = web.post("/sign-up/?next=/me/trials/", GOOD)
    web.logout()
    evil = web.post(
        "/sign-up/", {**GOOD, "username": "other", "email": "o@x.example", "next": "//evil.example/"}
    )
    # then
    assert safe["Location"] == "/welcome/?next=%2Fme%2Ftrials%2F"
    assert evil["Location"] == "/welcome/"


def test_signed_in_people_are_sent_on_from_sign_up(web, buyer):
    # when
    response = web.as_user(buyer.user).get("/sign-up/")
    # then
    assert (response.status_code, response["Location"]) == (302, "/me/")


def test_sign_up_enforces_csrf():
    # given: a real browser session without the token
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    # when
    refused = browser.post("/sign-up/", GOOD)
    # then
    assert refused.status_code == 403
    assert not User.objects.exists()
    # and with the token from the page it works
    page = browser.get("/sign-up/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(page)).group(1)
    accepted = browser.post("/sign-up/", {**GOOD, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert User.objects.filter(username="haowu_factory").exists()


def test_the_header_offers_sign_up_to_visitors_only(web, buyer):
    # when
    anonymous = html(web.get("/"))
    signed_in = html(web.as_user(buyer.user).get("/"))
    # then
    assert '<a href="/sign-up/">Sign up</a>' in anonymous
    assert "/sign-up/" not in signed_in


# --- sign-in keeps ?next= ------------------------------------------------------------------------


def test_sign_in_page_carries_next_into_its_form_and_its_sign_up_link(web):
    # when
    page = html(web.get("/sign-in/?next=/me/custom/"))
    # then
    assert '<input type="hidden" name="next" value="/me/custom/">' in page
    assert 'href="/sign-up/?next=/me/custom/"' in page
    assert 'href="/password-reset/"' in page


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_sign_in_never_redirects_off_site(web, buyer, target):
    # when
    response = web.post(
        "/sign-in/", {"username": buyer.user.username, "password": makers.PASSWORD, "next": target}
    )
    # then
    assert (response.status_code, response["Location"]) == (302, "/me/")


def test_sign_in_keeps_a_local_next_with_its_query(web, buyer):
    # when
    response = web.post(
        "/sign-in/?next=/me/trials/%3Fpage%3D2",
        {"username": buyer.user.username, "password": makers.PASSWORD, "next": "/me/trials/?page=2"},
    )
    # then
    assert response["Location"] == "/me/trials/?page=2"


def test_an_unsafe_next_is_not_even_put_in_the_sign_in_form(web):
    # when
    page = html(web.get("/sign-in/?next=https://evil.example/"))
    # then: (the header's language switch keeps the page's own URL, which is not a redirect target)
    assert '<input type="hidden" name="next" value="">' in page
    assert 'href="/sign-up/">No account yet? Sign up</a>' in page


# --- password reset ------------------------------------------------------------------------------


def reset_link(message) -> str:
    return re.search(r"http://testserver(/password-reset/\S+/\S+/)", message.body).group(1)


def test_password_reset_mails_a_link_that_sets_a_new_password(web, buyer):
    # when
    response = web.post("/password-reset/", {"email": buyer.user.email})
    # then: one e-mail to that address with a working link
    assert (response.status_code, response["Location"]) == (302, "/password-reset/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == ([buyer.user.email], "Reset your Yuantou password")
    assert f"Hello {buyer.user.username}," in message.body
    form_page = web.get(reset_link(message), follow=True)
    assert "<h1>Choose a new password</h1>" in html(form_page)
    done = web.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Plum-lantern-42!", "new_password2": "Plum-lantern-42!"},
    )
    assert (done.status_code, done["Location"]) == (302, "/password-reset/done/")
    buyer.user.refresh_from_db()
    assert buyer.user.check_password("Plum-lantern-42!")
    # and the link works only once
    again = web.get(reset_link(message), follow=True)
    assert "<h1>This link no longer works</h1>" in html(again)


def test_password_reset_mail_is_in_the_language_of_the_page(web_zh, buyer):
    # when
    web_zh.post("/password-reset/", {"email": buyer.user.email})
    # then
    message = mail.outbox[0]
    assert message.subject == "重置你的源头密码"
    assert f"{buyer.user.username}，你好：" in message.body
    assert "打开下面的链接设置新密码" in message.body


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(web):
    # when
    response = web.post("/password-reset/", {"email": "nobody@nowhere.example"})
    # then: nobody learns which addresses have accounts
    assert (response.status_code, response["Location"]) == (302, "/password-reset/sent/")
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not-an-email", "x" * 10_000, "a@b.example\x00"])
def test_bad_password_reset_input_is_a_form_error(web, buyer, email):
    # when
    response = web.post("/password-reset/", {"email": email})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mail.outbox == []


def test_a_forged_reset_link_is_refused(web, buyer):
    # when
    response = web.get("/password-reset/MQ/set-password-forged/", follow=True)
    # then
    assert response.status_code == 200
    assert "<h1>This link no longer works</h1>" in html(response)


def test_password_reset_pages_speak_chinese(web_zh):
    # when
    page = html(web_zh.get("/password-reset/"))
    sent = html(web_zh.get("/password-reset/sent/"))
    # then
    assert "<h1>重置密码</h1>" in page
    assert '<label for="id_email">' in page
    assert "<h1>请查收邮件</h1>" in sent


# --- first run -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "form_url", "button"),
    [
        (makers.FactoryUserMaker, "/me/profile/factory/", "Complete your factory profile"),
        (makers.UserMaker, "/me/profile/streamer/", "Complete your streamer profile"),
    ],
)
def test_a_new_user_is_led_from_any_workspace_page_to_their_profile(web, maker, form_url, button):
    # given
    user = maker()
    web.as_user(user)
    # when
    for url in ("/me/", "/me/trials/", "/me/samples/", "/me/custom/"):
        response = web.get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            f"/welcome/?next={url.replace('/', '%2F')}",
        )
    page = web.get("/welcome/?next=/me/trials/")
    # then
    assert page.status_code == 200
    assert f'<a class="button" href="{form_url}?next=%2Fme%2Ftrials%2F">{button}</a>' in html(page)


def test_signing_up_lands_on_the_first_run_page_in_chinese(web_zh):
    # when
    response = web_zh.post("/sign-up/", {**GOOD, "role": "buyer"}, follow=True)
    # then
    assert response.redirect_chain == [("/welcome/", 302)]
    assert "<h1>欢迎来到源头</h1>" in html(response)
    assert "完善主播资料" in html(response)


def test_a_post_without_a_profile_goes_to_the_first_run_page_without_replaying(web, product):
    # given
    web.as_user(makers.UserMaker())
    # when
    response = web.post(f"/products/{product.pk}/trial/", {"quantity": 5})
    # then
    assert (response.status_code, response["Location"]) == (302, "/welcome/")
    from trials.models import TrialOrder

    assert not TrialOrder.objects.exists()


def test_first_run_page_sends_people_with_a_profile_on(web, buyer, factory):
    # when
    streamer = web.as_user(buyer.user).get("/welcome/?next=/me/samples/")
    owner = Client().get("/welcome/")
    factory_owner = web.as_user(factory.owner).get("/welcome/")
    # then
    assert streamer["Location"] == "/me/samples/"
    assert owner["Location"] == "/sign-in/?next=/welcome/"
    assert factory_owner["Location"] == "/me/"


def test_first_run_page_refuses_an_unsafe_next(web):
    # given
    web.as_user(makers.UserMaker())
    # when
    page = html(web.get("/welcome/?next=https://evil.example/"))
    # then
    assert '<a class="button" href="/me/profile/streamer/">' in page


def test_staff_have_no_first_run(web):
    # given
    staff = makers.StaffUserMaker()
    web.as_user(staff)
    # when / then
    assert web.get("/me/").status_code == 200
    assert web.get("/welcome/").status_code == 403


def test_a_profile_made_through_the_api_unlocks_the_pages_on_the_next_request(web):
    # given: signed in without a profile
    user = makers.UserMaker()
    web.as_user(user)
    assert web.get("/me/").status_code == 302
    # when
    makers.BuyerMaker(user=user)
    # then
    assert web.get("/me/").status_code == 200


def test_the_profile_check_costs_no_query_once_signed_in(web, buyer, django_assert_num_queries):
    # given: signed in through the real form (the check runs while signing in)
    web.post("/sign-in/", {"username": buyer.user.username, "password": makers.PASSWORD})
    # then: session, user, the list, the header's unread count (as before the first-run check existed)
    with django_assert_num_queries(4):
        assert web.get("/me/trials/").status_code == 200


def test_password_reset_with_the_mail_server_down_is_not_an_error_page(web, buyer, settings):
    # given
    settings.EMAIL_BACKEND = "tests.frontend.failing_mail.DownBackend"
    # when
    response = web.post("/password-reset/", {"email": buyer.user.email})
    # then: Django logs it; the page is the same as for any address (it tells nobody who has an account)
    assert (response.status_code, response["Location"]) == (302, "/password-reset/sent/")

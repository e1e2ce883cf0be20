"""The factory and streamer profile forms: create on first run, edit afterwards, through the same
services as the API; every refusal is a form error in the page's language and changes nothing."""

from decimal import Decimal

import pytest
from django.test import Client

from buyers.models import BuyerProfile, Channel
from factories.models import Factory, VerificationStatus
from marketplace.core.models import Event
from tests import makers
from tests.frontend.helpers import html, messages_of, verbs

pytestmark = pytest.mark.django_db

CODE = makers.valid_credit_code()
WRONG_CHECK = CODE[:17] + ("0" if CODE[17] != "0" else "1")


def factory_data(**changes) -> dict:
    data = {
        "name": "义乌市好物收纳用品厂",
        "credit_code": CODE.lower(),
        "province": "浙江",
        "city": "金华",
        "industrial_belt": "yiwu-commodities",
        "categories": ["storage", "home"],
        "description": "收纳盒、桌面整理",
        "established_year": "2008",
        "staff_count": "120",
        "monthly_capacity": "50000",
        "customization": "oem",
        "accepts_trials": "on",
        "max_trial_quantity": "60",
        "trial_days": "30",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def streamer_data(channels=(("douyin", "xiaolu", "120000"), ("kuaishou", "xiaolu_ks", "8000")), **changes):
    data = {
        "display_name": "小鹿主播",
        "categories": ["skincare"],
        "price_min": "29.90",
        "price_max": "89",
        "units_per_session": "800",
        "monthly_gmv": "300000",
        "province": "浙江",
        "city": "杭州",
        "needs_customization": "on",
        "audience_age_min": "18",
        "audience_age_max": "35",
        "audience_female_percent": "85",
        "channels-TOTAL_FORMS": str(len(channels) + 1),
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "10",
    }
    for n, (platform, handle, followers) in enumerate(channels):
        data.update(
            {
                f"channels-{n}-platform": platform,
                f"channels-{n}-handle": handle,
                f"channels-{n}-followers": followers,
            }
        )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.fixture
def factory_user(db):
    return makers.FactoryUserMaker()


@pytest.fixture
def streamer_user(db):
    return makers.UserMaker()


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/me/profile/", "/me/profile/factory/", "/me/profile/streamer/"])
def test_anonymous_visitors_are_sent_to_sign_in(web, url):
    # when
    response = web.get(url)
    # then
    assert (response.status_code, response["Location"]) == (302, f"/sign-in/?next={url}")


def test_each_role_gets_its_own_form_and_the_other_party_is_refused(web, factory, buyer):
    # when / then
    assert web.as_user(factory.owner).get("/me/profile/")["Location"] == "/me/profile/factory/"
    assert web.get("/me/profile/streamer/").status_code == 403
    assert web.as_user(buyer.user).get("/me/profile/")["Location"] == "/me/profile/streamer/"
    refused = web.post("/me/profile/factory/", factory_data())
    assert refused.status_code == 403
    assert "<h1>Not allowed</h1>" in html(refused)
    assert Factory.objects.count() == 1


def test_staff_have_no_profile_form(web):
    # given
    web.as_user(makers.StaffUserMaker())
    # when / then: staff change profiles in the admin
    assert [
        web.get(u).status_code for u in ("/me/profile/", "/me/profile/factory/", "/me/profile/streamer/")
    ] == [
        403,
        403,
        403,
    ]


def test_a_factory_edits_only_its_own_factory(web, factory, other_factory):
    # when: the form has no factory id; it always edits the signed-in owner's
    web.as_user(other_factory.owner).post(
        "/me/profile/factory/", factory_data(credit_code=other_factory.credit_code, name="改名")
    )
    # then
    factory.refresh_from_db()
    other_factory.refresh_from_db()
    assert (factory.name, other_factory.name) == ("义乌市好物收纳用品厂", "改名")


# --- factory profile -----------------------------------------------------------------------------


def test_factory_form_labels_every_input_in_both_languages(web, web_zh, factory_user):
    # when
    en = html(web.as_user(factory_user).get("/me/profile/factory/"))
    zh = html(web_zh.as_user(factory_user).get("/me/profile/factory/"))
    # then
    assert "<h1>Complete your factory profile</h1>" in en
    for name in (
        "id_name",
        "id_credit_code",
        "id_province",
        "id_city",
        "id_industrial_belt",
        "id_established_year",
        "id_staff_count",
        "id_monthly_capacity",
        "id_accepts_trials",
        "id_max_trial_quantity",
        "id_trial_days",
    ):
        assert f'<label for="{name}">' in en
    assert '<option value="浙江">Zhejiang (浙江)</option>' in en
    assert '<optgroup label="浙江">' in en
    assert '<option value="yiwu-commodities">Yiwu small commodities · 金华</option>' in en
    assert '<datalist id="city-suggestions">' in en
    assert "<h1>完善工厂资料</h1>" in zh
    assert '<option value="浙江">浙江</option>' in zh


def test_a_factory_creates_its_profile_through_the_service_and_goes_on(web, factory_user):
    # when
    response = web.as_user(factory_user).post("/me/profile/factory/?next=/me/trials/", factory_data())
    # then
    assert (response.status_code, response["Location"]) == (302, "/me/trials/")
    factory = Factory.objects.get(owner=factory_user)
    assert (factory.name, factory.credit_code, factory.province, factory.city) == (
        "义乌市好物收纳用品厂",
        CODE,
        "浙江",
        "金华",
    )
    assert factory.industrial_belt.slug == "yiwu-commodities"
    assert sorted(factory.categories.values_list("slug", flat=True)) == ["home", "storage"]
    assert (factory.established_year, factory.staff_count, factory.monthly_capacity) == (2008, 120, 50000)
    assert (
        factory.customization,
        factory.accepts_trials,
        factory.max_trial_quantity,
        factory.trial_days,
    ) == (
        "oem",
        True,
        60,
        30,
    )
    assert factory.verification_status == VerificationStatus.PENDING
    assert verbs(factory) == ["factory.created"]
    # and the workspace is open now
    assert web.get("/me/trials/").status_code == 200


def test_after_creating_without_next_the_factory_lands_on_the_dashboard(web, factory_user):
    # when
    response = web.as_user(factory_user).post("/me/profile/factory/", factory_data(), follow=True)
    # then
    assert response.redirect_chain == [("/me/", 302)]
    assert messages_of(response) == ["Your profile is saved. Welcome to Yuantou!"]


@pytest.mark.parametrize(
    ("code", "en", "zh"),
    [
        (
            WRONG_CHECK,
            "The unified social credit code's check character is wrong; please check it for typos.",
            "统一社会信用代码",
        ),
        (
            CODE[:17],
            "A unified social credit code has 18 characters; this one has 17.",
            "统一社会信用代码为 18 位,此代码为 17 位。",
        ),
        ("", "This field is required.", "该字段是必填项。"),
    ],
)
def test_a_bad_credit_code_is_explained_in_english_and_chinese(web, web_zh, factory_user, code, en, zh):
    # when
    response = web.as_user(factory_user).post("/me/profile/factory/", factory_data(credit_code=code))
    # then
    assert response.status_code == 200
    assert errors_of(response, "credit_code") == [en]
    assert zh in html(
        web_zh.as_user(factory_user).post("/me/profile/factory/", factory_data(credit_code=code))
    )
    assert not Factory.objects.exists()


def test_the_credit_code_check_character_error_reads_in_chinese(web_zh, factory_user):
    # when
    page = html(
        web_zh.as_user(factory_user).post("/me/profile/factory/", factory_data(credit_code=WRONG_CHECK))
    )
    # then: the validator's own words, translated
    from django.utils import translation

    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        expected = gettext(
            "The unified social credit code's check character is wrong; please check it for typos."
        )
    assert expected != "The unified social credit code's check character is wrong; please check it for typos."
    assert expected.replace("'", "&#x27;") in page or expected in page


def test_a_credit_code_registered_by_another_factory_is_refused(web, web_zh, factory_user, other_factory):
    # when
    en = web.as_user(factory_user).post(
        "/me/profile/factory/", factory_data(credit_code=other_factory.credit_code)
    )
    # then
    assert errors_of(en, "credit_code") == [
        "A factory with this unified social credit code is already registered."
    ]
    zh = web_zh.as_user(factory_user).post(
        "/me/profile/factory/", factory_data(credit_code=other_factory.credit_code)
    )
    assert "该统一社会信用代码的工厂已经登记过。" in html(zh)
    assert not Factory.objects.filter(owner=factory_user).exists()


def test_the_edit_form_shows_the_stored_profile(web, factory):
    # when
    page = html(web.as_user(factory.owner).get("/me/profile/factory/"))
    # then
    assert "<h1>Factory profile</h1>" in page
    assert 'value="义乌市好物收纳用品厂"' in page
    assert f'value="{factory.credit_code}"' in page
    assert '<option value="浙江" selected>' in page
    assert 'name="max_trial_quantity" value="50"' in page


def test_a_factory_edits_capacity_and_trial_terms(web, factory):
    # when
    response = web.as_user(factory.owner).post(
        "/me/profile/factory/",
        factory_data(
            name=factory.name,
            credit_code=factory.credit_code,
            monthly_capacity="80000",
            accepts_trials=None,
            customization="odm",
            trial_days="45",
            deposit_percent="40",
        ),
        follow=True,
    )
    # then
    assert response.redirect_chain == [("/me/profile/factory/", 302)]
    assert messages_of(response) == ["Your profile is saved."]
    factory.refresh_from_db()
    assert (
        factory.monthly_capacity,
        factory.accepts_trials,
        factory.customization,
        factory.trial_days,
        factory.deposit_percent,
    ) == (80000, False, "odm", 45, 40)
    assert verbs(factory)[-1] == "factory.updated"


def test_a_verified_factory_cannot_swap_its_credit_code(web, factory):
    # when
    response = web.as_user(factory.owner).post("/me/profile/factory/", factory_data(name=factory.name))
    # then
    assert errors_of(response, "credit_code") == [
        "Your factory is verified under this credit code; ask staff to change it."
    ]
    factory.refresh_from_db()
    assert factory.credit_code != CODE


def test_a_stored_province_outside_the_list_stays_selectable(web, factory):
    # given
    Factory.objects.filter(pk=factory.pk).update(province="浙江省")
    # when
    page = html(web.as_user(factory.owner).get("/me/profile/factory/"))
    # then
    assert '<option value="浙江省" selected>浙江省</option>' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 10_000, "Ensure this value has at most 120 characters (it has 10000)."),
        ("name", "好物\x08工厂", "Remove the invisible control characters from this text."),
        ("name", "好物\x00工厂", "Null characters are not allowed."),
        ("credit_code", "x" * 10_000, "Ensure this value has at most 64 characters (it has 10000)."),
        ("province", "火星", "Select a valid choice. 火星 is not one of the available choices."),
        ("city", "x" * 10_000, "Ensure this value has at most 32 characters (it has 10000)."),
        (
            "industrial_belt",
            "atlantis",
            "Select a valid choice. atlantis is not one of the available choices.",
        ),
        ("categories", [], "Choose at least one category."),
        ("categories", ["no-such"], "Select a valid choice. no-such is not one of the available choices."),
        ("established_year", "1800", "Ensure this value is greater than or equal to 1900."),
        ("established_year", "二零零八", "Enter a whole number."),
        ("staff_count", "-5", "Ensure this value is greater than or equal to 1."),
        ("monthly_capacity", "9" * 40, "Ensure this value is less than or equal to 2000000000."),
        ("monthly_capacity", "1e9", "Enter a whole number."),
        ("customization", "both", "Select a valid choice. both is not one of the available choices."),
        ("max_trial_quantity", "0", "Ensure this value is greater than or equal to 1."),
        ("max_trial_quantity", "100001", "Ensure this value is less than or equal to 100000."),
        ("trial_days", "3", "Ensure this value is greater than or equal to 7."),
        ("trial_days", "", "This field is required."),
        ("deposit_percent", "5", "Ensure this value is greater than or equal to 10."),
        ("deposit_percent", "95", "Ensure this value is less than or equal to 90."),
        ("description", "x" * 10_000, "Ensure this value has at most 5000 characters (it has 10000)."),
    ],
)
def test_bad_factory_input_is_a_form_error_and_changes_nothing(web, factory, field, value, message):
    # given
    before = Event.objects.count()
    # when
    data = {**factory_data(credit_code=factory.credit_code), field: value}
    response = web.as_user(factory.owner).post("/me/profile/factory/", data)
    # then
    assert response.status_code == 200
    assert message in errors_of(response, field)
    assert "Please correct the errors below." in html(response)
    assert Event.objects.count() == before
    factory.refresh_from_db()
    assert (factory.name, factory.max_trial_quantity, factory.trial_days) == ("义乌市好物收纳用品厂", 50, 30)


def test_factory_form_errors_read_in_chinese(web_zh, factory_user):
    # when
    page = html(
        web_zh.as_user(factory_user).post("/me/profile/factory/", factory_data(staff_count="-1", name=""))
    )
    # then
    assert "请修改下面标出的错误。" in page
    assert "该字段是必填项。" in page
    assert "确保该值大于或等于1。" in page


def test_the_factory_form_enforces_csrf(factory_user):
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(factory_user)
    # when
    response = browser.post("/me/profile/factory/", factory_data())
    # then
    assert response.status_code == 403
    assert not Factory.objects.exists()


# --- streamer profile ----------------------------------------------------------------------------


def test_streamer_form_labels_every_input_in_both_languages(web, web_zh, streamer_user):
    # when
    en = html(web.as_user(streamer_user).get("/me/profile/streamer/"))
    zh = html(web_zh.as_user(streamer_user).get("/me/profile/streamer/"))
    # then
    assert "<h1>Complete your streamer profile</h1>" in en
    for name in (
        "id_display_name",
        "id_price_min",
        "id_price_max",
        "id_units_per_session",
        "id_monthly_gmv",
        "id_province",
        "id_city",
        "id_needs_customization",
        "id_audience_age_min",
        "id_audience_age_max",
        "id_audience_female_percent",
        "id_channels-0-platform",
        "id_channels-0-handle",
        "id_channels-0-followers",
        "id_channels-1-DELETE",
    ):
        assert f'for="{name}"' in en
    assert "<h1>完善主播资料</h1>" in zh
    assert "客单价下限（元）" in zh


def test_a_streamer_creates_a_profile_with_two_channels(web, streamer_user):
    # when
    response = web.as_user(streamer_user).post("/me/profile/streamer/", streamer_data())
    # then
    assert (response.status_code, response["Location"]) == (302, "/me/")
    profile = BuyerProfile.objects.get(user=streamer_user)
    assert (profile.display_name, profile.price_min, profile.price_max) == (
        "小鹿主播",
        Decimal("29.90"),
        Decimal("89.00"),
    )
    assert (profile.units_per_session, profile.monthly_gmv, profile.province, profile.city) == (
        800,
        Decimal("300000.00"),
        "浙江",
        "杭州",
    )
    assert (profile.audience_age_min, profile.audience_age_max, profile.audience_female_share) == (
        18,
        35,
        Decimal("0.85"),
    )
    assert profile.needs_customization is True
    assert list(profile.categories.values_list("slug", flat=True)) == ["skincare"]
    assert sorted(profile.channels.values_list("platform", "handle", "followers")) == [
        ("douyin", "xiaolu", 120000),
        ("kuaishou", "xiaolu_ks", 8000),
    ]
    assert verbs(profile) == ["buyer.created"]


def test_the_edit_form_shows_the_stored_channels_and_two_empty_rows(web, buyer):
    # when
    response = web.as_user(buyer.user).get("/me/profile/streamer/")
    # then
    page = html(response)
    assert "<h1>Streamer profile</h1>" in page
    assert f'name="channels-0-handle" value="h{buyer.pk}"' in page
    assert 'name="channels-TOTAL_FORMS" value="3"' in page
    assert 'name="audience_female_percent"' in page


def test_a_streamer_replaces_a_channel_and_changes_the_price_band(web, buyer):
    # given: the stored channel is row 0; remove it and add another
    handle = f"h{buyer.pk}"
    data = streamer_data(
        channels=(("douyin", handle, "120000"), ("xiaohongshu", "lulu_red", "5600")),
        **{"channels-INITIAL_FORMS": "1", "channels-0-DELETE": "on", "price_min": "10", "price_max": "50"},
    )
    # when
    response = web.as_user(buyer.user).post("/me/profile/streamer/", data, follow=True)
    # then
    assert response.redirect_chain == [("/me/profile/streamer/", 302)]
    assert messages_of(response) == ["Your profile is saved."]
    buyer.refresh_from_db()
    assert (buyer.price_min, buyer.price_max) == (Decimal("10.00"), Decimal("50.00"))
    assert list(buyer.channels.values_list("platform", "handle", "followers")) == [
        ("xiaohongshu", "lulu_red", 5600)
    ]
    assert verbs(buyer)[-1] == "buyer.updated"


def test_saving_the_profile_keeps_the_channels_left_as_they_were(web, buyer):
    """The browser posts the stored channel back unchanged (row 0, INITIAL_FORMS 1) while the
    streamer edits something else: the channel stays (it was taken for a blank row and deleted)."""
    stored = list(buyer.channels.values_list("platform", "handle", "followers"))
    assert len(stored) == 1
    platform, handle, followers = stored[0]
    data = streamer_data(
        channels=((platform, handle, str(followers)),),
        **{"channels-INITIAL_FORMS": "1", "display_name": "改了名字的主播"},
    )
    # when
    response = web.as_user(buyer.user).post("/me/profile/streamer/", data, follow=True)
    # then
    assert messages_of(response) == ["Your profile is saved."]
    buyer.refresh_from_db()
    assert buyer.display_name == "改了名字的主播"
    assert list(buyer.channels.values_list("platform", "handle", "followers")) == stored


def test_an_inverted_price_band_is_refused_by_the_service_in_both_languages(web, web_zh, streamer_user):
    # when
    data = streamer_data(price_min="100", price_max="50")
    en = web.as_user(streamer_user).post("/me/profile/streamer/", data)
    # then
    assert errors_of(en, "price_max") == ["The top of your price band must not be below its bottom."]
    assert "客单价上限不能低于下限。" in html(
        web_zh.as_user(streamer_user).post("/me/profile/streamer/", data)
    )
    assert not BuyerProfile.objects.exists()
    assert not Channel.objects.exists()


def test_a_channel_of_another_streamer_is_refused_and_nothing_is_created(web, streamer_user, other_buyer):
    # given
    taken = other_buyer.channels.get()
    # when
    response = web.as_user(streamer_user).post(
        "/me/profile/streamer/", streamer_data(channels=(("douyin", taken.handle.upper(), "10"),))
    )
    # then
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        f"Douyin (抖音) account @{taken.handle} is already registered by another streamer."
    ]
    assert not BuyerProfile.objects.filter(user=streamer_user).exists()
    assert Channel.objects.count() == 1


def test_the_same_channel_twice_is_refused(web, streamer_user):
    # when
    response = web.as_user(streamer_user).post(
        "/me/profile/streamer/", streamer_data(channels=(("douyin", "lulu", "1"), ("douyin", "LULU", "2")))
    )
    # then
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        "The same account is listed twice: LULU."
    ]
    assert not BuyerProfile.objects.exists()


def test_a_channel_row_needs_platform_handle_and_followers(web, streamer_user):
    # when
    response = web.as_user(streamer_user).post(
        "/me/profile/streamer/", streamer_data(channels=(("douyin", "", "-3"),))
    )
    # then
    row = response.context["channels"].forms[0]
    assert row.errors == {
        "handle": ["This field is required."],
        "followers": ["Ensure this value is greater than or equal to 0."],
    }
    assert not BuyerProfile.objects.exists()


def test_a_forged_huge_number_of_channel_rows_is_refused_without_building_them(web, streamer_user):
    # when
    response = web.as_user(streamer_user).post(
        "/me/profile/streamer/", streamer_data(**{"channels-TOTAL_FORMS": "1000000"})
    )
    # then
    assert response.status_code == 200
    assert len(response.context["channels"].forms) == 15
    assert response.context["channels"].non_form_errors() == ["Please submit at most 10 forms."]
    assert not BuyerProfile.objects.exists()


def test_a_broken_management_form_is_an_error_not_a_crash(web, streamer_user):
    # when
    data = streamer_data(**{"channels-TOTAL_FORMS": "lots"})
    response = web.as_user(streamer_user).post("/me/profile/streamer/", data)
    # then
    assert response.status_code == 200
    assert not BuyerProfile.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "", "This field is required."),
        ("display_name", "x" * 10_000, "Ensure this value has at most 80 characters (it has 10000)."),
        ("display_name", "小\x1f鹿", "Remove the invisible control characters from this text."),
        ("categories", [], "Choose at least one category you sell."),
        ("price_min", "-1", "Ensure this value is greater than or equal to 0."),
        ("price_min", "abc", "Enter a number."),
        ("price_max", "9" * 40, "Ensure that there are no more than 12 digits in total."),
        ("price_max", "0", "Ensure this value is greater than or equal to 0.01."),
        ("price_max", "NaN", "Enter a number."),
        ("units_per_session", "99999999999", "Ensure this value is less than or equal to 10000000."),
        ("monthly_gmv", "-5", "Ensure this value is greater than or equal to 0."),
        ("audience_age_min", "200", "Ensure this value is less than or equal to 120."),
        ("audience_female_percent", "101", "Ensure this value is less than or equal to 100."),
        ("audience_female_percent", "half", "Enter a whole number."),
        (
            "province",
            "x" * 10_000,
            f"Select a valid choice. {'x' * 10_000} is not one of the available choices.",
        ),
        ("city", "杭\x00州", "Null characters are not allowed."),
    ],
)
def test_bad_streamer_input_is_a_form_error_and_changes_nothing(web, buyer, field, value, message):
    # given
    before = Event.objects.count()
    # when
    response = web.as_user(buyer.user).post(
        "/me/profile/streamer/", streamer_data(channels=(), **{field: value})
    )
    # then
    assert response.status_code == 200
    assert message in errors_of(response, field)
    assert Event.objects.count() == before
    buyer.refresh_from_db()
    assert (buyer.display_name, buyer.price_min, buyer.price_max) == (
        "小鹿主播",
        Decimal("20.00"),
        Decimal("80.00"),
    )
    assert buyer.channels.count() == 1


def test_the_audience_age_order_is_checked_by_the_service(web, streamer_user):
    # when
    response = web.as_user(streamer_user).post(
        "/me/profile/streamer/", streamer_data(audience_age_min="40", audience_age_max="20")
    )
    # then
    assert errors_of(response, "audience_age_max") == [
        "The audience's top age must not be below its lowest age."
    ]
    assert not BuyerProfile.objects.exists()


def test_streamer_form_errors_read_in_chinese(web_zh, streamer_user):
    # when
    page = html(web_zh.as_user(streamer_user).post("/me/profile/streamer/", streamer_data(categories=[])))
    # then
    assert "请至少选择一个你带货的类目。" in page
    assert "请修改下面标出的错误。" in page


def test_the_streamer_form_enforces_csrf(streamer_user):
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(streamer_user)
    # when
    response = browser.post("/me/profile/streamer/", streamer_data())
    # then
    assert response.status_code == 403
    assert not BuyerProfile.objects.exists()


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "queries"),
    [
        # session, user, the factory (with its belt), its categories, all categories, all belts,
        # and the header's unread-notification count on every signed-in page
        ("factory_owner", 8),  # + its workshop photos
        # session, user, no factory yet, all categories, all belts, unread count
        ("new_factory_user", 6),
        # session, user, the profile, its categories, its channels, all categories, unread count
        ("streamer", 7),
    ],
)
def test_profile_forms_query_a_fixed_number_of_times(
    web, factory, buyer, who, queries, django_assert_num_queries
):
    # given: more rows than one, so a per-row query would show
    Channel.objects.create(buyer=buyer, platform="kuaishou", handle="second", followers=5)
    user, url = {
        "factory_owner": (factory.owner, "/me/profile/factory/"),
        "new_factory_user": (makers.FactoryUserMaker(), "/me/profile/factory/"),
        "streamer": (buyer.user, "/me/profile/streamer/"),
    }[who]
    web.as_user(user)
    # then
    with django_assert_num_queries(queries):
        assert web.get(url).status_code == 200

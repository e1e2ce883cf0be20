"""The address book through the API: validation (mainland mobile numbers, real division codes),
one default per person, the limits, and who may read or change an entry; the divisions picker."""

import pytest
from django.db import IntegrityError, transaction

from marketplace.addresses.models import Address
from tests import makers

pytestmark = pytest.mark.django_db
URL = "/api/v1/addresses/"


@pytest.fixture
def streamer(db):
    return makers.BuyerMaker(address=False).user


def body(**changes):
    return {**makers.ADDRESS, **changes}


def test_a_streamer_adds_an_address_and_the_first_is_the_default(api, streamer):
    response = api.as_user(streamer).post(URL, body(mobile="+86 138-1234-5678"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["mobile"], data["is_default"]) == ("shipping", "13812345678", True)
    assert data["place"] == {"province": "浙江省", "city": "杭州市", "district": "西湖区"}
    second = api.post(URL, body(recipient="林二", street="文二路 1 号")).json()
    assert second["is_default"] is False
    third = api.post(URL, body(recipient="林三", is_default=True)).json()
    assert dict(Address.objects.values_list("pk", "is_default")) == {
        data["id"]: False,
        second["id"]: False,
        third["id"]: True,
    }
    assert [a["id"] for a in api.get(URL).json()] == [third["id"], second["id"], data["id"]]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"mobile": "12812345678"},
            {"mobile": ["Enter a mainland China mobile number (11 digits, starting with 13–19)."]},
        ),
        (
            {"mobile": "1381234567"},
            {"mobile": ["Enter a mainland China mobile number (11 digits, starting with 13–19)."]},
        ),
        (
            {"mobile": "138123456789"},
            {"mobile": ["Enter a mainland China mobile number (11 digits, starting with 13–19)."]},
        ),
        (
            {"mobile": "0571-88888888"},
            {"mobile": ["Enter a mainland China mobile number (11 digits, starting with 13–19)."]},
        ),
        ({"province_code": "990000"}, {"province_code": ["Choose a province from the list."]}),
        (
            {"province_code": "710000", "city_code": "710100"},
            {"province_code": ["Choose a province from the list."]},
        ),
        ({"city_code": "320100"}, {"city_code": ["Choose a city from the list."]}),  # 南京 is not in 浙江
        ({"district_code": ""}, {"district_code": ["Choose a district from the list."]}),
        ({"district_code": "320102"}, {"district_code": ["Choose a district from the list."]}),
        ({"postcode": "31001"}, {"postcode": ["A postcode has 6 digits."]}),
        ({"recipient": "林\n小鹿"}, "recipient"),
        ({"street": "x" * 121}, "street"),
        ({"recipient": "  "}, "recipient"),
    ],
)
def test_bad_addresses_are_refused_and_nothing_is_stored(api, streamer, changes, errors):
    response = api.as_user(streamer).post(URL, body(**changes))
    assert response.status_code == 400
    if isinstance(errors, dict):
        assert response.json() == errors
    else:
        assert set(response.json()) == {errors}
    assert not Address.objects.exists()


@pytest.mark.parametrize(
    ("province", "city", "district"),
    [
        ("110000", "110100", "110101"),  # 北京市 东城区: a municipality is its own city
        ("500000", "500100", "500229"),  # 重庆市 城口县: the counties hang from the municipality too
        ("440000", "441900", ""),  # 东莞市 has no districts
    ],
)
def test_municipalities_and_cities_without_districts(api, streamer, province, city, district):
    response = api.as_user(streamer).post(
        URL, body(province_code=province, city_code=city, district_code=district)
    )
    assert response.status_code == 201, response.json()


def test_a_city_without_districts_takes_none(api, streamer):
    response = api.as_user(streamer).post(
        URL, body(province_code="440000", city_code="441900", district_code="441901")
    )
    assert response.json() == {"district_code": ["Choose a district from the list."]}


def test_editing_and_deleting_keep_one_default(api, streamer):
    first = api.as_user(streamer).post(URL, body()).json()
    second = api.post(URL, body(recipient="林二")).json()
    edited = api.patch(f"{URL}{second['id']}/", {"street": "文一路 2 号", "is_default": True}).json()
    assert (edited["street"], edited["is_default"]) == ("文一路 2 号", True)
    assert Address.objects.get(pk=first["id"]).is_default is False
    assert api.delete(f"{URL}{second['id']}/").status_code == 204
    assert Address.objects.get(pk=first["id"]).is_default is True


def test_the_database_keeps_one_default(streamer):
    Address.objects.create(owner=streamer, is_default=True, **makers.ADDRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(owner=streamer, is_default=True, **makers.ADDRESS)


def test_at_most_twenty(api, streamer):
    for n in range(Address.MAX_PER_OWNER):
        assert api.as_user(streamer).post(URL, body(recipient=f"收件人{n}")).status_code == 201
    response = api.post(URL, body())
    assert (response.status_code, response.json()) == (400, {"detail": "At most 20 addresses."})


def test_an_address_is_its_owners_only(api, streamer):
    mine = api.as_user(streamer).post(URL, body()).json()
    other = makers.BuyerMaker().user
    for method in ("get", "patch", "delete"):
        assert getattr(api.as_user(other), method)(f"{URL}{mine['id']}/").status_code == 404
    assert [a["id"] for a in api.get(URL).json()] != [mine["id"]]
    assert api.as_user(None).get(URL).status_code == 401


def test_a_factory_keeps_a_dispatch_address_and_staff_none(api, staff):
    owner = makers.FactoryMaker().owner
    response = api.as_user(owner).post(URL, body(recipient="仓库 王师傅"))
    assert (response.status_code, response.json()["kind"]) == (201, "dispatch")
    response = api.as_user(staff).post(URL, body())
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only streamers and factories keep addresses."},
    )


def test_divisions_for_the_pickers(api):
    provinces = api.get("/api/v1/divisions/").json()
    assert len(provinces) == 31 and provinces[0] == {"code": "110000", "name": "北京市"}
    assert api.get("/api/v1/divisions/?province=110000").json() == [{"code": "110100", "name": "北京市"}]
    districts = api.get("/api/v1/divisions/?province=330000&city=330100").json()
    assert {"code": "330106", "name": "西湖区"} in districts
    assert api.get("/api/v1/divisions/?province=440000&city=441900").json() == []
    assert api.get("/api/v1/divisions/?province=999999").json() == []

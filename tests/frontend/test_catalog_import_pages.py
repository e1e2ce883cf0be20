"""The catalog import pages: template downloads, upload → preview with every row's errors, confirm.
The rules themselves are tested in tests/factories/test_catalog_import.py."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from factories.catalog_import import readers
from factories.models import Product, ProductStatus
from tests import makers
from tests.factories.catalog_files import HEADERS_ZH, csv_bytes, good_row, rows_with_bad, xlsx
from tests.frontend.helpers import html, messages_of

pytestmark = pytest.mark.django_db

URL = "/me/products/import/"
CONFIRM = "/me/products/import/confirm/"
BAD = {
    8: ["负价格商品", "收纳整理", "-5", 100, 7, "是", "否", "", ""],
    20: ["起订量写错", "收纳整理", "10", "一百", 7, "", "", "", ""],
    35: ["没有的类目", "不存在的类目", "10", 100, 7, "", "", "", ""],
}


@pytest.fixture(autouse=True)
def _private_upload_dir(settings, tmp_path):
    settings.CATALOG_IMPORT_DIR = tmp_path / "imports"
    return settings.CATALOG_IMPORT_DIR


def upload(client, content: bytes, name="catalog.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', html(response)).group(1)


def shown_errors(response) -> list[tuple[int, list[str]]]:
    return [(row.number, row.errors) for row in response.context["invalid_rows"]]


def test_factory_previews_50_rows_sees_exactly_the_3_bad_ones_and_imports_47(web, factory):
    # given
    web.as_user(factory.owner)
    # when
    preview = upload(web, xlsx(rows_with_bad(50, BAD)))
    # then
    assert preview.status_code == 200
    assert shown_errors(preview) == [
        (8, ["Factory price: Ensure this value is greater than or equal to 0.01."]),
        (20, ["MOQ: Enter a whole number."]),
        (35, ["Category: Unknown category: 不存在的类目."]),
    ]
    page = html(preview)
    assert "Row 8" in page and "Row 20" in page and "Row 35" in page
    assert "Import 47 products" in page
    assert not Product.objects.exists()  # a preview writes nothing
    # when
    done = web.post(CONFIRM, {"token": token_of(preview)}, follow=True)
    # then
    assert done.redirect_chain == [("/me/", 302)]
    assert messages_of(done) == ["47 products imported; staff will review them before they are public."]
    assert Product.objects.filter(factory=factory, status=ProductStatus.PENDING_REVIEW).count() == 47


def test_preview_errors_are_in_chinese(web_zh, factory):
    # given
    web_zh.as_user(factory.owner)
    # when
    preview = upload(web_zh, xlsx(rows_with_bad(10, {8: BAD[8]})))
    # then
    page = html(preview)
    assert "第 8 行" in page
    assert "出厂价：确保该值大于或等于0.01。" in page
    assert "导入 9 个商品" in page


def test_confirming_twice_imports_once(web, factory):
    # given
    web.as_user(factory.owner)
    token = token_of(upload(web, csv_bytes([good_row(1), good_row(2)], encoding="utf-8-sig"), "c.csv"))
    first = web.post(CONFIRM, {"token": token}, follow=True)
    assert messages_of(first) == ["2 products imported; staff will review them before they are public."]
    # when
    again = web.post(CONFIRM, {"token": token}, follow=True)
    # then
    assert messages_of(again) == ["This upload has expired or was already imported; upload the file again."]
    assert Product.objects.count() == 2


def test_another_factory_cannot_import_with_someone_elses_upload(web, factory, other_factory):
    # given
    token = token_of(upload(web.as_user(factory.owner), xlsx([good_row(1)])))
    # when
    stolen = web.as_user(other_factory.owner).post(CONFIRM, {"token": token}, follow=True)
    # then
    assert messages_of(stolen) == ["This upload has expired or was already imported; upload the file again."]
    assert not Product.objects.exists()
    # and the owner's upload is still there for the owner
    web.as_user(factory.owner).post(CONFIRM, {"token": token})
    assert list(Product.objects.values_list("factory_id", flat=True)) == [factory.pk]


@pytest.mark.parametrize("token", ["", "garbage", "a" * 5000])
def test_forged_tokens_import_nothing(web, factory, token):
    # when
    response = web.as_user(factory.owner).post(CONFIRM, {"token": token}, follow=True)
    # then
    assert messages_of(response) == [
        "This upload has expired or was already imported; upload the file again."
    ]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "photo.png",
            "This is not a CSV or XLSX file. Download the template and fill it in.",
        ),
        (
            "标题,出厂价\n杯子,10\n".encode(),
            "c.csv",
            "The header row is missing these columns: Category, MOQ, Lead time (days). Download the template to see them.",
        ),
        (b"", "empty.csv", "Catalog file (XLSX or CSV): The submitted file is empty."),
    ],
)
def test_bad_files_are_refused_on_the_form_and_nothing_is_kept(
    web, factory, content, name, message, _private_upload_dir
):
    # when
    response = upload(web.as_user(factory.owner), content, name)
    # then
    assert response.status_code == 400
    assert messages_of(response) == [message]
    assert not Product.objects.exists()
    assert not _private_upload_dir.exists() or not any(_private_upload_dir.iterdir())


def test_oversized_file_is_refused_before_reading(web, factory, monkeypatch):
    # given
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    from frontend.views import catalog_import as view

    monkeypatch.setattr(view, "MAX_FILE_BYTES", 1000)
    # when
    response = upload(web.as_user(factory.owner), csv_bytes([good_row(n) for n in range(40)]), "big.csv")
    # then
    assert response.status_code == 400
    assert messages_of(response) == ["The file is larger than 0 MB; split it into smaller files."]


def test_post_without_a_file_shows_the_form_error(web, factory):
    # when
    response = web.as_user(factory.owner).post(URL, {})
    # then
    assert response.status_code == 400
    assert messages_of(response) == ["Catalog file (XLSX or CSV): This field is required."]


def test_only_a_factory_with_a_profile_reaches_the_import(web, buyer):
    # given
    factory_without_profile = makers.FactoryUserMaker()
    # then
    assert web.get(URL).status_code == 302  # anonymous → sign in
    assert web.as_user(buyer.user).get(URL).status_code == 403
    assert web.as_user(buyer.user).post(CONFIRM, {"token": "x"}).status_code == 403
    # A factory account without its profile is led to the first-run page before anything else.
    response = web.as_user(factory_without_profile).get(URL)
    assert (response.status_code, response["Location"]) == (
        302,
        "/welcome/?next=%2Fme%2Fproducts%2Fimport%2F",
    )


def test_templates_download_with_chinese_headers(web_zh, factory):
    # given
    web_zh.as_user(factory.owner)
    # when
    csv_response = web_zh.get(URL + "template.csv")
    xlsx_response = web_zh.get(URL + "template.xlsx")
    # then
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.content.decode("utf-8-sig").strip() == ",".join(HEADERS_ZH)
    sheet = load_workbook(io.BytesIO(xlsx_response.content), read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == HEADERS_ZH
    assert web_zh.get(URL + "template.pdf").status_code == 404


def test_upload_page_and_dashboard_link(web, factory):
    # when
    page = html(web.as_user(factory.owner).get(URL))
    dashboard = html(web.get("/me/"))
    # then
    assert '<label for="id_file">Catalog file (XLSX or CSV):</label>' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'href="{URL}"' in dashboard

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from factories.catalog_import import ImportFileError, catalog_import, catalog_preview, readers
from factories.models import Product, ProductStatus, VerificationStatus
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.models import Event
from tests import makers
from tests.factories.catalog_files import HEADERS_ZH, csv_bytes, good_row, rows_with_bad, xlsx

pytestmark = pytest.mark.django_db

BAD = {
    8: ["负价格商品", "收纳整理", "-5", 100, 7, "是", "否", "", ""],
    20: ["起订量写错", "收纳整理", "10", "一百", 7, "", "", "", ""],
    35: ["没有的类目", "不存在的类目", "10", 100, 7, "", "", "", ""],
}


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(accepts_trials=True)


def preview_of(content: bytes, factory):
    return catalog_preview(content=content, factory=factory, actor=factory.owner)


def errors_of(preview) -> list[tuple[int, list[str]]]:
    return [(row.number, row.errors) for row in preview.invalid]


def test_xlsx_of_50_rows_with_3_bad_rows_reports_exactly_those_and_imports_47(factory):
    # given
    content = xlsx(rows_with_bad(50, BAD))
    # when
    preview = preview_of(content, factory)
    created = catalog_import(preview=preview, actor=factory.owner)
    # then
    assert errors_of(preview) == [
        (8, ["Factory price: Ensure this value is greater than or equal to 0.01."]),
        (20, ["MOQ: Enter a whole number."]),
        (35, ["Category: Unknown category: 不存在的类目."]),
    ]
    assert created == 47
    products = Product.objects.filter(factory=factory)
    assert products.count() == 47
    assert set(products.values_list("status", flat=True)) == {ProductStatus.PENDING_REVIEW}
    assert not products.filter(title__in=["负价格商品", "起订量写错", "没有的类目"]).exists()
    first = products.get(title="桌面收纳盒0号")
    assert (first.category.slug, first.factory_price, first.moq, first.lead_time_days) == (
        "storage",
        Decimal("12.50"),
        100,
        7,
    )
    assert (first.customizable, first.trial_eligible) == (True, False)
    assert first.attributes == {"产地": "义乌", "材质": "PP"}
    assert first.search_index_dirty is True
    assert Event.objects.filter(verb="product.created", data__via="import").count() == 47


def test_errors_are_in_chinese_for_chinese_speakers(factory):
    # when
    with translation.override("zh-hans"):
        preview = preview_of(xlsx(rows_with_bad(5, BAD | {3: BAD[8], 4: BAD[20]})), factory)
    # then
    assert errors_of(preview) == [
        (3, ["出厂价：确保该值大于或等于0.01。"]),
        (4, ["起订量：输入整数。"]),
    ]


def test_a_row_is_checked_by_the_same_rules_as_the_product_service(factory):
    # given: a factory that does not take trials, a top-level category, too many decimals, a long lead time
    factory.accepts_trials = False
    factory.save(update_fields=["accepts_trials"])
    rows = [
        ["试销商品", "收纳整理", "10", 100, 7, "", "是", "", ""],
        ["顶级类目", "家居日用", "10", 100, 7, "", "", "", ""],
        ["三位小数", "收纳整理", "10.123", 100, 7, "", "", "", ""],
        ["交期太长", "收纳整理", "10", 100, 400, "", "", "", ""],
        ["零起订", "收纳整理", "10", 0, 7, "", "", "", ""],
    ]
    # when
    preview = preview_of(xlsx(rows), factory)
    # then
    assert errors_of(preview) == [
        (
            2,
            [
                "50% off trial: Your factory does not accept trials; turn trials on in your factory profile first."
            ],
        ),
        (3, ["Category: Choose a sub-category, not the top-level category home."]),
        (4, ["Factory price: Ensure that there are no more than 2 decimal places."]),
        (5, ["Lead time (days): Ensure this value is less than or equal to 365."]),
        (6, ["MOQ: Ensure this value is greater than or equal to 1."]),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(factory, encoding):
    # given
    content = csv_bytes([good_row(1), good_row(2)], encoding=encoding)
    # when
    preview = preview_of(content, factory)
    catalog_import(preview=preview, actor=factory.owner)
    # then
    assert preview.kind == "csv"
    assert errors_of(preview) == []
    assert sorted(Product.objects.values_list("title", flat=True)) == ["桌面收纳盒1号", "桌面收纳盒2号"]


def test_english_headers_and_category_names_are_accepted(factory):
    # given
    headers = ["Title", "Category", "Factory price", "MOQ", "Lead time (days)", "Customizable"]
    content = csv_bytes(
        [["Desk organiser", "Storage & organization", "¥1,200.00", "50", "10", "no"]], headers
    )
    # when
    preview = preview_of(content, factory)
    catalog_import(preview=preview, actor=factory.owner)
    # then
    product = Product.objects.get()
    assert (product.title, product.category.slug, product.factory_price, product.customizable) == (
        "Desk organiser",
        "storage",
        Decimal("1200.00"),
        False,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This is not a CSV or XLSX file. Download the template and fill it in.",
        ),
        (
            b"PK\x03\x04not really a zip",
            "This is not a CSV or XLSX file. Download the template and fill it in.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "Old Excel files (.xls) are not supported; save it as .xlsx or CSV.",
        ),
        (
            "标题,出厂价\n杯子,10\n".encode(),
            "The header row is missing these columns: Category, MOQ, Lead time (days). "
            "Download the template to see them.",
        ),
        ("标题,标题,类目\n".encode(), "The column Title appears twice."),
    ],
)
def test_files_that_cannot_be_imported_say_why_and_create_nothing(factory, content, message):
    # when
    with pytest.raises(ImportFileError) as error:
        preview_of(content, factory)
    # then
    assert error.value.message == message
    assert not Product.objects.exists()


def test_files_over_the_size_and_row_limits_are_refused(factory, monkeypatch):
    # given
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    # when / then
    with pytest.raises(ImportFileError) as error:
        preview_of(xlsx([good_row(n) for n in range(4)]), factory)
    assert error.value.message == "The file has more than 3 product rows; split it into smaller files."
    with pytest.raises(ImportFileError) as error:
        preview_of(b"a" * (readers.MAX_FILE_BYTES + 1), factory)
    assert error.value.message == "The file is larger than 5 MB; split it into smaller files."


def test_overlong_cells_and_control_characters_are_row_errors(factory):
    # given
    rows = [
        ["长" * 121, "收纳整理", "10", 100, 7, "", "", "", ""],
        ["控制\x07字符", "收纳整理", "10", 100, 7, "", "", "第一行\n第二行", ""],
        ["可以换行", "收纳整理", "10", 100, 7, "", "", "第一行\n第二行", ""],
        ["", "收纳整理", "10", 100, 7, "也许", "", "", "产地"],
    ]
    # when: a quoted cell with a line break is one spreadsheet row, so the last row is row 5
    preview = preview_of(csv_bytes(rows), factory)
    # then
    assert errors_of(preview) == [
        (2, ["Title: At most 120 characters; this cell has 121."]),
        (3, ["Title: Contains control characters; remove them."]),
        (
            5,
            [
                "Title: This cell is required.",
                "Customizable: Write 是 or 否 (yes or no).",
                "Attributes: Write attributes as name=value pairs separated by semicolons, e.g. 产地=义乌；材质=棉.",
            ],
        ),
    ]
    assert [r.product.description for r in preview.valid] == ["第一行\n第二行"]


def test_a_factory_cannot_import_into_another_factorys_catalogue(factory):
    # given
    intruder = makers.FactoryMaker()
    # when
    with pytest.raises(NotAllowed):
        catalog_preview(content=xlsx([good_row(1)]), factory=factory, actor=intruder.owner)
    preview = preview_of(xlsx([good_row(1)]), factory)
    with pytest.raises(NotAllowed):
        catalog_import(preview=preview, actor=intruder.owner)
    # then
    assert not Product.objects.exists()
    assert not Event.objects.filter(verb="product.created").exists()


def test_a_suspended_factory_imports_nothing(factory):
    # given
    preview = preview_of(xlsx([good_row(1)]), factory)
    factory.verification_status = VerificationStatus.SUSPENDED
    factory.save(update_fields=["verification_status"])
    # when
    with pytest.raises(NotAllowed):
        catalog_import(preview=preview, actor=factory.owner)
    # then
    assert not Product.objects.exists()


@pytest.mark.parametrize("rows", [10, 120])
def test_queries_per_batch_do_not_grow_with_the_batch(factory, rows, django_assert_max_num_queries):
    # given
    preview = preview_of(xlsx([good_row(n) for n in range(rows)]), factory)
    # when: one batch of 10 rows, or of 120: two savepoints, two INSERTs, the content type, two for
    # search marking, one for the factory's webhook subscriptions (none here: no delivery INSERT)
    with django_assert_max_num_queries(10):
        catalog_import(preview=preview, actor=factory.owner, batch_size=rows)
    # then
    assert Product.objects.count() == rows


def test_import_catalog_command_reports_rows_and_imports(factory, tmp_path):
    # given
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(xlsx(rows_with_bad(6, {3: BAD[20]})))
    out = io.StringIO()
    # when
    call_command("import_catalog", str(path), "--factory", str(factory.pk), stdout=out, stderr=io.StringIO())
    # then
    assert out.getvalue().splitlines() == [
        "row 3: MOQ: Enter a whole number.",
        "Imported 5 products into review; 1 rows had errors.",
    ]
    assert Product.objects.filter(factory=factory, status=ProductStatus.PENDING_REVIEW).count() == 5


def test_import_catalog_command_refuses_an_unreadable_file(factory, tmp_path):
    # given
    path = tmp_path / "catalog.csv"
    path.write_bytes(b"")
    # when
    with pytest.raises(CommandError) as error:
        call_command("import_catalog", str(path), "--factory", str(factory.pk), stderr=io.StringIO())
    # then
    assert str(error.value) == "The file is empty."
    assert not Product.objects.exists()


def test_templates_have_the_headers_the_importer_reads(factory):
    from factories.catalog_import.template import template_csv, template_xlsx

    # when
    with translation.override("zh-hans"):
        blank_csv, blank_xlsx = template_csv(), template_xlsx()
    # then
    assert blank_csv.decode("utf-8-sig").strip() == ",".join(HEADERS_ZH)
    for blank in (blank_csv, blank_xlsx):
        assert preview_of(blank, factory).rows == []


def test_xlsx_that_unpacks_too_large_is_refused_before_openpyxl_reads_it(factory, monkeypatch):
    # given: a tiny limit stands in for a zip bomb (a small file that unpacks to gigabytes)
    monkeypatch.setattr(readers, "MAX_XLSX_UNPACKED_BYTES", 1000)
    # when
    with pytest.raises(ImportFileError) as error:
        preview_of(xlsx([good_row(1)]), factory)
    # then
    assert error.value.message == "The file is larger than 5 MB; split it into smaller files."


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(factory):
    # when
    preview = preview_of(xlsx([good_row(1), [], [], ["", "收纳整理", "10", 100, 7]]), factory)
    # then
    assert [row.number for row in preview.rows] == [2, 5]
    assert errors_of(preview) == [(5, ["Title: This cell is required."])]


def test_import_catalog_dry_run_imports_nothing(factory, tmp_path):
    # given
    path = tmp_path / "catalog.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2)], encoding="gbk"))
    out = io.StringIO()
    # when
    call_command(
        "import_catalog",
        str(path),
        "--factory",
        str(factory.pk),
        "--dry-run",
        stdout=out,
        stderr=io.StringIO(),
    )
    # then
    assert out.getvalue().splitlines() == ["2 rows valid, 0 with errors; nothing imported."]
    assert not Product.objects.exists()


def test_product_build_still_refuses_a_missing_category_without_a_database_error(factory):
    from factories.services import product_create

    # when
    with pytest.raises(ValidationError) as error:
        product_create(
            factory=factory,
            actor=factory.owner,
            data={"title": "无类目", "factory_price": "10", "moq": 1, "lead_time_days": 3},
        )
    # then
    assert error.value.message_dict == {"category": ["This field cannot be null."]}
    assert not Product.objects.exists()

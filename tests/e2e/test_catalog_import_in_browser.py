"""Issue 9 (e): in a real headless Chromium, a factory uploads a 50-row XLSX with 3 bad rows,
reads exactly those 3 errors on the preview, imports the 47 others, and they wait for review.
Also at a 390 px phone width. A screenshot per step goes to $E2E_SCREENSHOTS (default: the
test's tmp folder)."""

import os
import re
from pathlib import Path

import pytest

from factories.models import Product
from tests import makers
from tests.e2e.conftest import needs_chromium
from tests.factories.catalog_files import rows_with_bad, xlsx

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
    pytest.mark.timeout(90),
]

BAD = {
    8: ["负价格商品", "收纳整理", "-5", 100, 7, "是", "否", "", ""],
    20: ["起订量写错", "收纳整理", "10", "一百", 7, "", "", "", ""],
    35: ["没有的类目", "不存在的类目", "10", 100, 7, "", "", "", ""],
}


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_factory_imports_a_catalog_with_three_bad_rows(live_server, browser, tmp_path, settings, viewport):
    # given
    settings.CATALOG_IMPORT_DIR = tmp_path / "imports"
    shots = Path(os.environ.get("E2E_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    upload = tmp_path / "catalog.xlsx"
    upload.write_bytes(xlsx(rows_with_bad(50, BAD)))
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    width = viewport["width"]
    # when: sign in straight to the import page
    page.goto(f"{live_server.url}/sign-in/?next=/me/products/import/")
    page.fill("#id_username", factory.owner.username)
    page.fill("#id_password", makers.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/me/products/import/$"))
    page.screenshot(path=shots / f"import-1-upload-{width}.png", full_page=True)
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_selector(".import-errors")
    page.screenshot(path=shots / f"import-2-preview-{width}.png", full_page=True)
    # then: exactly the three bad rows, with their messages, in Chinese
    errors = page.locator(".import-errors > li").all_inner_texts()
    assert [" ".join(e.split()) for e in errors] == [
        "第 8 行 · 负价格商品 出厂价：确保该值大于或等于0.01。",
        "第 20 行 · 起订量写错 起订量：输入整数。",
        "第 35 行 · 没有的类目 类目：未知类目:不存在的类目。",
    ]
    assert not Product.objects.exists()
    # the page's own content fits the phone (the site header is base.html's)
    overflow = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))"
    )
    assert overflow <= width
    # when
    page.get_by_role("button", name="导入 47 个商品").click()
    page.wait_for_url(re.compile(r".*/me/$"))
    page.screenshot(path=shots / f"import-3-done-{width}.png", full_page=True)
    # then
    assert "已导入 47 个商品，运营审核通过后公开。" in page.locator(".messages").inner_text()
    assert Product.objects.filter(factory=factory, status="pending_review").count() == 47
    context.close()

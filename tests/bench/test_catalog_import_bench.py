"""`make bench`: a 5,000-row XLSX catalog checked and imported (issue 9's target: under 30 s).

Prints the seconds for reading + checking, for importing, and the queries each batch of 500
takes (the same number for every batch). Not a timed test: it asserts correctness and the
constant query count, and prints the figures.
"""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories.catalog_import import catalog_import, catalog_preview
from factories.catalog_import.importer import BATCH_SIZE
from factories.models import Product
from tests import makers
from tests.factories.catalog_files import xlsx

ROWS = 5000
CATEGORIES = ["收纳整理", "面膜", "休闲零食", "女装", "Storage & organization", "茶叶"]


def row(n: int) -> list:
    return [
        f"源头工厂直供 加厚收纳盒 第{n}款",
        CATEGORIES[n % len(CATEGORIES)],
        f"{5 + n % 300}.{n % 100:02d}",
        50 + n % 1000,
        3 + n % 30,
        "是" if n % 2 else "否",
        "否",
        "加厚PP材质，可叠放，适合直播间展示。" * 3,
        f"产地=义乌；材质=PP；颜色=色{n % 7}",
    ]


@pytest.mark.django_db
def test_catalog_import_of_5000_rows():
    # given
    factory = makers.FactoryMaker(accepts_trials=True)
    content = xlsx([row(n) for n in range(ROWS)])
    batches: list[int] = []
    # when
    started = time.perf_counter()
    preview = catalog_preview(content=content, factory=factory, actor=factory.owner)
    checked = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        marks = [0]

        def batch_done(_count):
            batches.append(len(queries) - marks[-1])
            marks.append(len(queries))

        created = catalog_import(preview=preview, actor=factory.owner, progress=batch_done)
    finished = time.perf_counter()
    # then
    assert preview.invalid == []
    assert created == ROWS == Product.objects.filter(factory=factory).count()
    assert len(batches) == ROWS // BATCH_SIZE
    assert max(batches[1:]) <= batches[0]  # the first batch also looks up the content type once
    print(
        f"\ncatalog import: {ROWS} rows ({len(content) / 1024:.0f} KiB XLSX) read + checked in "
        f"{checked - started:.2f} s, imported in {finished - checked:.2f} s, total {finished - started:.2f} s; "
        f"queries per batch of {BATCH_SIZE}: {batches}"
    )

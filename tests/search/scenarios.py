"""The crafted catalog and the scenarios every product-search backend is held to: the engine
backend against a live node (test_elasticsearch_live.py) and the embedded Tantivy backend
(test_tantivy.py) run the same tables, through the API, against the database backend's answers.
"""

from datetime import timedelta

from django.utils import timezone

from factories.models import FactoryTier, IndustrialBelt
from search.api import SearchInputSerializer
from search.backends.database import DatabaseBackend
from tests import makers
from tests.search.conftest import product

URL = "/api/v1/search/products/"


def crafted_catalog() -> dict:
    """Seven products of three factories, one second apart (not yet indexed)."""
    jingdezhen = IndustrialBelt.objects.get(slug="jingdezhen-ceramics")
    ceramics = makers.FactoryMaker(
        name="景德镇瓷工坊",
        province="江西",
        city="景德镇",
        industrial_belt=jingdezhen,
        categories=["ceramics"],
    )
    beauty = makers.FactoryMaker(
        name="白云美妆厂", province="广东", city="广州", tier=FactoryTier.SUPER, categories=["beauty"]
    )
    audio = makers.FactoryMaker(name="深圳声学科技", province="广东", city="深圳")
    rows = {
        "mask": product("补水睡眠面膜", factory=beauty, category="facial-masks", price="38.00", moq=200),
        "mask2": product(
            "玻尿酸面膜 10片装", factory=beauty, category="facial-masks", price="55.00", moq=500
        ),
        "cream": product(
            "保湿面霜", factory=beauty, category="skincare", price="88.00", description="适合干皮，补水保湿"
        ),
        "buds": product(
            "TWS蓝牙5.3耳机 降噪",
            factory=audio,
            category="earphones-speakers",
            price="45.00",
            moq=300,
            customizable=True,
        ),
        "old_buds": product(
            "蓝牙5.0耳机 入门款",
            factory=audio,
            category="earphones-speakers",
            price="25.00",
            moq=1000,
            trial_eligible=False,
        ),
        "cups": product(
            "手绘陶瓷马克杯", factory=ceramics, category="cups-mugs", price="18.00", moq=50, customizable=True
        ),
        "teaset": product(
            "功夫茶具套装 Bluetooth-free", factory=ceramics, category="tea-sets", price="120.00", moq=20
        ),
    }
    # One second apart: the engine keeps dates to the millisecond, the database to the microsecond,
    # and rows made within one millisecond would sort by id on one and by time on the other.
    start = timezone.now() - timedelta(minutes=1)
    for n, row in enumerate(rows.values()):
        type(row).objects.filter(pk=row.pk).update(created_at=start + timedelta(seconds=n))
    return rows


def compound_catalog_rows() -> dict:
    """tests/search/test_compound_words.py's titles, one factory (not yet indexed)."""
    from tests.search.test_compound_words import TITLES

    factory = makers.FactoryMaker(name="测试五金厂")
    return {name: product(title, factory=factory, category="locks") for name, title in TITLES.items()}


def search(api, **params) -> dict:
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(body) -> list[str]:
    return [row["title"] for row in body["results"]]


def search_database(params: dict):
    """The database backend's answer to the same query string (parsed as the API parses it)."""
    data = SearchInputSerializer(data=params)
    data.is_valid(raise_exception=True)
    return DatabaseBackend().search_products(data.to_params())


# (q, the catalog rows found): Chinese words, one character, full-width latin, a typo
QUERIES = [
    ("面膜", {"mask", "mask2"}),
    ("茶具", {"teaset"}),
    ("补水面膜", {"mask"}),  # both words, not necessarily adjacent (保湿面霜 has 补水 only)
    ("膜", {"mask", "mask2"}),  # one character: found inside words
    ("杯", {"cups"}),
    ("瓷", {"cups", "teaset"}),  # inside 陶瓷 and inside the factory's name 景德镇瓷工坊
    ("ＴＷＳ", {"buds"}),  # full-width latin
    ("tws蓝牙", {"buds"}),
    ("蓝牙5.3耳机", {"buds"}),
    ("白云美妆", {"mask", "mask2", "cream"}),  # the factory's name
    ("bluetooth", {"teaset"}),
    ("bluetoth", {"teaset"}),  # a latin typo: the fuzzy retry
    ("mianmo", set()),
    ("鞋", set()),
]

# (query string, the rows found)
FILTERS = [
    ({"category": "facial-masks"}, {"mask", "mask2"}),
    ({"category": "beauty"}, {"mask", "mask2", "cream"}),  # a parent category
    ({"province": "江西"}, {"cups", "teaset"}),
    ({"industrial_belt": "jingdezhen-ceramics"}, {"cups", "teaset"}),
    ({"price_min": "40", "price_max": "60"}, {"mask2", "buds"}),
    ({"price_min": "38.00", "price_max": "38.00"}, {"mask"}),  # both bounds inclusive
    ({"moq_max": "50"}, {"cups", "teaset"}),
    ({"customizable": "true"}, {"buds", "cups"}),
    ({"trial_eligible": "false"}, {"old_buds"}),
    # only verified factories' products are public: the clause must keep all of them
    ({"verified_only": "true", "province": "江西"}, {"cups", "teaset"}),
    ({"q": "耳机", "trial_eligible": "true"}, {"buds"}),
    ({"q": "面膜", "price_max": "50"}, {"mask"}),
]

# Searches whose category / province / belt facets must equal the database backend's
FACET_PARAMS = [
    {"province": "广东", "category": "facial-masks"},
    {"q": "耳机"},
    {"category": "beauty", "industrial_belt": "jingdezhen-ceramics"},
    {},
]

# Searches whose price / MOQ / yes-no facets must equal the database backend's
RANGE_FACET_PARAMS = [
    {"price_min": "20", "price_max": "49.99", "customizable": "true"},
    {"q": "面膜", "moq_max": "300", "trial_eligible": "true"},
    {"verified_only": "true", "province": "广东"},
]

# (sort, the first three titles)
SORTS = [
    ("price", ["手绘陶瓷马克杯", "蓝牙5.0耳机 入门款", "补水睡眠面膜"]),
    ("-price", ["功夫茶具套装 Bluetooth-free", "保湿面霜", "玻尿酸面膜 10片装"]),
    ("newest", ["功夫茶具套装 Bluetooth-free", "手绘陶瓷马克杯", "蓝牙5.0耳机 入门款"]),
    ("relevance", ["保湿面霜", "玻尿酸面膜 10片装", "补水睡眠面膜"]),  # the super factory first
]

# (q, whether the title holding the word as typed comes first), over test_compound_words.TITLES
COMPOUNDS = [
    ("收纳盒", True),
    ("陶瓷杯", True),
    ("儿童玩具", True),
    ("蓝牙耳机", True),
    ("杯", False),
    ("ＢＬＵＥＴＯＯＴＨ", True),
]

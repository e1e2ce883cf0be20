"""Tables, names and helpers shared by the database backend's writer and reader."""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import reduce
from operator import and_
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q

from ...models import (
    BuyerDocument,
    BuyerDocumentCategory,
    FactoryDocument,
    FactoryDocumentCategory,
    ProductDocument,
)
from ...shapes import Document

DocModel = type[ProductDocument] | type[FactoryDocument] | type[BuyerDocument]
DOC_MODELS: dict[str, DocModel] = {
    "product": ProductDocument,
    "factory": FactoryDocument,
    "buyer": BuyerDocument,
}
CATEGORY_MODELS = {"factory": FactoryDocumentCategory, "buyer": BuyerDocumentCategory}
PK_NAME = {"product": "product", "factory": "factory", "buyer": "buyer"}
FACET_LIMIT = 50
VECTOR = (
    "setweight(to_tsvector('simple', ta), 'A') || setweight(to_tsvector('simple', tb), 'B')"
    " || setweight(to_tsvector('simple', tc), 'C')"
)
# A product's facet combination (search.models.FacetCombo), by document field name.
FACET_KEY = ("category_slug", "parent_category_slug", "province", "industrial_belt")
# The facets a product's text row carries as lexemes (facet_lexeme): the category filter matches
# a product's own category or its parent.
LEXEME_FACETS = (
    ("category", "category_slug"),
    ("category", "parent_category_slug"),
    ("province", "province"),
    ("industrial_belt", "industrial_belt"),
)
# The parameters of a query's SQL, as Django's `sql_with_params()` gives them: one value per
# placeholder, of whatever type its column has (the database driver's boundary).
SqlParams = tuple[Any, ...]
# A grouped counting row of ranges.grouped_sql: (facet combination id, n, r0, r1, …), all integers.
GroupedRow = tuple[int, ...]
# A counting column's alias → (facet, value) it counts: "r3" → ("price", "100-200").
Labels = dict[str, tuple[str, str]]

TEXT_COLUMNS = {"terms", "terms_a", "terms_b", "terms_c", "search_vector", "indexed_at"}


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _value_fields(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in TEXT_COLUMNS]


def _as_doc(kind: str, row: Document) -> Document:
    row["id"] = row.pop(f"{PK_NAME[kind]}_id")
    return row


def all_of(conds: Iterable[Q]) -> Q:
    """Every condition at once (Q() when there is none: no filter)."""
    return reduce(and_, conds, Q())


@contextmanager
def planner_settings(**settings: str) -> Iterator[None]:
    """Run the block with PostgreSQL planner settings (SET LOCAL, so they end with the block's
    transaction): for queries whose best plan the planner cannot see from its statistics."""
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = %s", [value])
        yield


def facet_lexeme(name: str, value: str) -> str:
    """The lexeme for one facet value in a product's tsvector (ProductText), so that the text index
    itself finds a word's hits inside a category, province or belt (reader: past the count cap).
    Hashed into one letters-and-digits token: to_tsquery parses even a quoted 'category:a-b' into
    several words, and no text term starts with "zf" and sixteen hex digits. Migration
    search/0014 computes the same in SQL: 'zf' || left(md5(name || chr(31) || value), 16)."""
    digest = hashlib.md5(f"{name}\x1f{value}".encode(), usedforsecurity=False).hexdigest()
    return f"zf{digest[:16]}"


def facet_lexemes(doc: Document) -> list[str]:
    return [facet_lexeme(name, doc[field]) for name, field in LEXEME_FACETS if doc[field]]

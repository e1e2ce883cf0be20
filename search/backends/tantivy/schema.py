"""What a product looks like inside the Tantivy index: its fields, and the search document (the
dict search/documents.py builds for every backend) turned into one Tantivy document.

The fields mirror the database backend's product tables, so both find and order the same rows:
- `terms`: the document's index terms (search.text.document_terms: every CJK bigram and character,
  every latin / numeric word), whitespace-separated, exactly as the database's tsvector holds them;
- `title`: the normalized title as characters and latin words with positions, for the title tier
  (the words as typed in the title: 3, all their parts: 2, else 1) asked as phrase queries;
- `title_pairs`: the title's adjacent CJK characters as pairs (大容量 → 大容 容量), so that "the
  title holds 补水" is one term, not a phrase over two of the commonest characters' postings
  (a broad word's tiers were most of its search time);
- the filter and facet values as fast fields; `category` holds a product's own category and its
  parent (the filter matches either), `own_category` only its own (the facet counts that one);
- `sample`: a slot 0 … SAMPLE_SLOTS - 1 spread evenly over the ids, so that "the slots below k"
  is a fair sample of any set of hits, read off the inverted index (the facets past the cap).

LAYOUT names this set of fields: an index folder built with other fields is not read or written
(store.py) until `search_index rebuild --kind product` replaces it.
"""

import re
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

import tantivy

from ...shapes import Document
from ...text import RUN, is_cjk, normalize

# The facets counted by value (the API's names → the index's fields).
VALUE_FACETS = {"category": "own_category", "province": "province", "industrial_belt": "belt"}
FLAGS = {"customizable": "customizable", "trial_eligible": "trial_eligible", "verified_only": "verified"}
# Dates count from this instant (2020-09-13, in milliseconds) so that quality and date fit one
# integer (best_key).
EPOCH_MS = 1_600_000_000_000
SAMPLE_SLOTS = 1024
# Part of every index folder's name; change it with the fields.
LAYOUT = "v3"


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    sb.add_text_field("terms", tokenizer_name="whitespace", index_option="basic")
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("title_pairs", tokenizer_name="whitespace", index_option="position")
    sb.add_float_field("quality", fast=True)
    sb.add_float_field("price", indexed=True, fast=True)
    sb.add_unsigned_field("moq", indexed=True, fast=True)
    sb.add_unsigned_field("created", fast=True)  # microseconds after EPOCH_MS (the database's precision)
    sb.add_unsigned_field("sample", indexed=True)
    # Sort keys: one integer per order, so that Tantivy's top-k by a fast field reads the rows in
    # the database backend's order (ties broken by the id as it breaks them; see the functions).
    for key in ("rel", "best", "price_up", "price_down"):
        sb.add_unsigned_field(key, fast=True)
    for flag in FLAGS.values():
        sb.add_boolean_field(flag, indexed=True, fast=True)
    for name in ("category", "own_category", "province", "belt"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    return sb.build()


SCHEMA = build_schema()


def title_tokens(text: str) -> list[str]:
    """The title as characters (CJK) and words (latin / numbers), `|` where the text breaks: "the
    title holds 大容量" is then the phrase 大 容 量, which a space or a latin word interrupts, as
    the database's `title_folded LIKE '%大容量%'` would."""
    tokens: list[str] = []
    end = 0
    for match in RUN.finditer(normalize(text)):
        if tokens and match.start() != end:
            tokens.append("|")
        run = match.group()
        # a latin run's words one by one (bluetooth-free, 5.3): LIKE '%bluetooth%' finds them
        tokens += list(run) if is_cjk(run) else [w for w in re.split(r"[.\-]", run) if w]
        end = match.end()
    return tokens


def cjk_pairs(tokens: list[str]) -> list[str] | None:
    """Adjacent CJK characters of `tokens` (title_tokens) as pairs, "|" where two tokens are not
    both CJK characters (a break, a latin word); None when there are no two characters."""
    cjk = [is_cjk(token) for token in tokens]  # once per token, not once per pair it is in
    pairs = [
        a + b if a_cjk and b_cjk else "|"
        for (a, a_cjk), (b, b_cjk) in pairwise(zip(tokens, cjk, strict=True))
    ]
    return pairs if any(pair != "|" for pair in pairs) else None


def created_us(created: datetime) -> int:
    delta = created - datetime.fromtimestamp(EPOCH_MS / 1000, tz=created.tzinfo)
    return max(0, (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


ID_BITS = 34  # ids below 17 billion
FEN_BITS = 30  # prices below 10,737,418.24 (the model allows 9,999,999.99)


def quality_units(quality: float) -> int:
    return round(quality * 1_000_000)  # qualities are rounded to 1e-6 (fit.outcomes)


def rel_key(quality: float, pk: int) -> int:
    """Descending: quality, then id ascending — the order of rows of one title tier."""
    return (quality_units(quality) << 40) | ((1 << 40) - 1 - pk)


def best_key(quality: float, created: int) -> int:
    """Descending: quality, then creation to the millisecond (created_us): the database's
    `-quality, -created_at` without words; rows of one quality and millisecond are put in order
    by their full keys (queries.ProductSearch._by_field)."""
    return (quality_units(quality) << 44) | (created // 1000)


def price_keys(price: Decimal, pk: int) -> tuple[int, int]:
    """Ascending: (price, id) and (price descending, id)."""
    fen = min(int(price * 100), (1 << FEN_BITS) - 1)
    return (fen << ID_BITS) | pk, (((1 << FEN_BITS) - 1 - fen) << ID_BITS) | pk


def sample_slot(pk: int) -> int:
    """The id's sample slot: Knuth's multiplicative hash, top 10 of 32 bits. Consecutive ids
    (a factory's listing of one afternoon) land in slots far apart."""
    return ((pk * 2_654_435_761) & 0xFFFF_FFFF) >> 22


def index_terms(doc: Document) -> list[str]:
    """The document's terms as the database's tsvector holds them: PostgreSQL's parser also
    indexes the parts of a hyphenated word (bluetooth-free: bluetooth, free), so they are here too."""
    terms = " ".join((doc["terms_a"], doc["terms_b"], doc["terms_c"])).split()
    parts = [part for term in terms if "-" in term for part in term.split("-") if part]
    return list(dict.fromkeys(terms + parts))


def product_document(doc: Document) -> tantivy.Document:
    created = created_us(doc["created_at"])
    tokens = title_tokens(doc["title"])
    quality = float(doc["quality"])
    price = Decimal(doc["factory_price"])
    price_up, price_down = price_keys(price, doc["id"])
    values = {
        "id": doc["id"],
        "terms": " ".join(index_terms(doc)),
        "title": " ".join(tokens),
        "title_pairs": " ".join(cjk_pairs(tokens) or []),
        "quality": quality,
        "price": float(price),
        "moq": doc["moq"],
        "created": created,
        "sample": sample_slot(doc["id"]),
        "rel": rel_key(quality, doc["id"]),
        "best": best_key(quality, created),
        "price_up": price_up,
        "price_down": price_down,
        "customizable": bool(doc["customizable"]),
        "trial_eligible": bool(doc["trial_eligible"]),
        "verified": bool(doc["verified"]),
        "category": [
            slug for slug in dict.fromkeys((doc["category_slug"], doc["parent_category_slug"])) if slug
        ],
        "own_category": doc["category_slug"],
        # "" (no belt, no province) is indexed too: aggregations skip documents without the
        # field, and the facet lists leave "" out as the database's do.
        "province": doc["province"] or "",
        "belt": doc["industrial_belt"] or "",
    }
    # One call with the schema (it types each value): half the time of a call per field.
    return tantivy.Document.from_dict(values, SCHEMA)

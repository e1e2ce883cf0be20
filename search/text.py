"""Turning Chinese / English / numeric text into index terms, the same way for documents and queries.

Documents are indexed as CJK bigrams and single characters, and lower-cased latin / numeric words:
that finds 面膜 inside 补水睡眠面膜 without a dictionary and is fast to build (no segmentation at
index time). A one-character query (杯) asks for the character itself. (It used to match as a
prefix of the bigrams, which kept the index ~30% smaller, but the text index then merged the
posting lists of every bigram starting with the character: 45 ms of a 66 ms search for 大容量
(大 + 容量) at 1M products.)
Queries are first split into words with jieba, then each word becomes the AND of its bigrams, so
"补水面膜" asks for 补水 and 面膜 but not the cross-word bigram 水面 that no document contains.
jieba keeps many compounds whole (收纳盒, 陶瓷杯, 儿童玩具), and their bigrams cross the join too (纳盒,
瓷杯, 童玩): 收纳盒 would then miss every 收纳 product that writes 收纳 箱/盒 apart or 收纳储物盒. So a
compound is split into the dictionary words it is made of (`word_parts`: 收纳 + 盒, 陶瓷 + 杯), each
part asked for on its own; a title holding the whole word still ranks first (`title_tier`).
When even that finds less than a page, `relaxed_tsquery` asks for most words instead of all
(`relax_needs`, as Elasticsearch's minimum_should_match "75%").
"""

import gc
import re
from functools import lru_cache
from itertools import combinations

import jieba

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on first use
_frozen = False


def _segment(text: str) -> list[str]:
    global _frozen
    words: list[str] = jieba.lcut(text)  # jieba ships no type hints
    if not _frozen:
        # jieba's dictionary is ~350k long-lived objects; without this every full garbage
        # collection walks them all, which showed up as ~20 ms pauses inside search requests.
        gc.freeze()
        _frozen = True
    return words


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Chinese characters, or a latin / numeric word: the units terms are made from.
RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+(?:[.\-][0-9a-z]+)*")
_IS_CJK = re.compile(rf"[{_CJK}]")


def normalize(text: str) -> str:
    # Full-width letters and digits (ＡＢＣ１２３) typed on Chinese keyboards become ASCII.
    text = (text or "").translate(_FULLWIDTH).lower()
    return text


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _runs(text: str) -> list[str]:
    return RUN.findall(normalize(text))


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def document_terms(*texts: str) -> list[str]:
    """Index terms of a document field: every CJK bigram and character, every latin/numeric word."""
    terms: list[str] = []
    for text in texts:
        for run in _runs(text):
            if _IS_CJK.match(run):
                terms += bigrams(run)
                terms += run  # its characters
            else:
                terms.append(run)
    # Each term once, where it first came: list extends and one fromkeys are ~a third faster
    # than a dict written term by term (terms were a fifth of the indexer's time).
    return list(dict.fromkeys(terms))


def _dictionary() -> dict[str, int]:
    jieba.dt.check_initialized()
    frequencies: dict[str, int] = jieba.dt.FREQ  # jieba ships no type hints
    return frequencies


@lru_cache(maxsize=4096)
def word_parts(word: str) -> tuple[str, ...]:
    """A CJK compound as the dictionary words it is made of, longest first from the left (收纳盒 →
    收纳, 盒; 儿童玩具 → 儿童, 玩具), so no part crosses a join. Kept whole: words of one or two
    characters, latin, and compounds that would fall apart into single characters (景德镇)."""
    if len(word) < 3 or not _IS_CJK.match(word):
        return (word,)
    known, parts, i = _dictionary(), [], 0
    while i < len(word):
        for j in range(len(word) if i else len(word) - 1, i + 1, -1):
            if known.get(word[i:j]):
                parts.append(word[i:j])
                i = j
                break
        else:
            parts.append(word[i])
            i += 1
    if sum(len(p) == 1 for p in parts) > 1:
        return (word,)
    return tuple(parts)


@lru_cache(maxsize=2048)
def query_parts(query: str) -> tuple[tuple[str, ...], ...]:
    """The query's words (jieba; each a run of CJK or of latin/digits), each as its parts."""
    words: list[str] = []
    for word in _segment(normalize(query)):
        for run in _runs(word):
            if run not in words:
                words.append(run)
    return tuple(word_parts(w) for w in words)


def _group(part: str) -> tuple[str, ...]:
    return tuple(bigrams(part)) if _IS_CJK.match(part) else (part,)


@lru_cache(maxsize=2048)
def query_groups(query: str) -> tuple[tuple[str, ...], ...]:
    """The query as groups of terms: a document matches when it has every term of every group."""
    groups: list[tuple[str, ...]] = []
    for parts in query_parts(query):
        for part in parts:
            if _group(part) not in groups:
                groups.append(_group(part))
    return tuple(groups)


def query_words(query: str) -> tuple[str, ...]:
    """Every part of every word (收纳盒 → 收纳, 盒): what a document must contain, and what
    Elasticsearch analyses, one `multi_match` each."""
    return tuple(dict.fromkeys(part for parts in query_parts(query) for part in parts))


def whole_words(query: str) -> tuple[str, ...]:
    """The words as typed (收纳盒 stays whole): a title holding them all ranks highest."""
    return tuple("".join(parts) for parts in query_parts(query))


# Relaxing a query of more words than this would mean too many combinations to ask for; such a
# long query is specific enough as it is.
MAX_RELAXED_WORDS = 6


def relax_needs(query: str) -> int | None:
    """How many of the query's words a relaxed match needs (75%, rounded down, at least one), or
    None when the query has a single word or too many to relax."""
    n = len(query_parts(query))
    if n < 2 or n > MAX_RELAXED_WORDS:
        return None
    return max(1, n * 3 // 4)


def word_terms(query: str) -> list[list[str]]:
    """Each word of the query as the terms a document must hold to have it (a relaxed match
    needs relax_needs of them)."""
    return [list(dict.fromkeys(t for part in parts for t in _group(part))) for parts in query_parts(query)]


def relaxed_word_sets(query: str) -> list[list[list[str]]]:
    """The combinations a relaxed match accepts: each a list of words, each word its terms."""
    need = relax_needs(query)
    if need is None:
        return []
    return [list(combo) for combo in combinations(word_terms(query), need)]


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(t for group in query_groups(query) for t in group))


def is_cjk(word: str) -> bool:
    """Only CJK characters: a title holding the word as a substring holds its terms too (a latin
    word may sit inside a longer one, 316 in 316l, whose term is 316l)."""
    return bool(_ONLY_CJK.fullmatch(word))


_ONLY_CJK = re.compile(rf"[{_CJK}]+")


def is_latin(query: str) -> bool:
    return bool(query.strip()) and not _IS_CJK.search(query)


def _ts(term: str) -> str:
    return f"'{term}'"


def tsquery(query: str) -> str:
    """A tsquery literal (cast, not parsed: PostgreSQL's parser does not know CJK words)."""
    return " & ".join(_ts(term) for group in query_groups(query) for term in group)


def relaxed_tsquery(query: str) -> str:
    """Most words, not all: (w1 & w2) | (w1 & w3) | (w2 & w3) for three words."""
    return " | ".join(
        "(" + " & ".join(_ts(t) for word in combo for t in word) + ")" for combo in relaxed_word_sets(query)
    )

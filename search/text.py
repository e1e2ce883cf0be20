"""Turning Chinese / English / numeric text into index terms, the same way for documents and queries.

Documents are indexed as CJK bigrams (plus each run's last character alone) and lower-cased latin /
numeric words: that finds 面膜 inside 补水睡眠面膜 without a dictionary and is fast to build (no
segmentation at index time). A one-character query (杯) matches as a prefix: any bigram starting
with it, or a run's last character; indexing every character alone as well made each document
~40% bigger for nothing more.
Queries are first split into words with jieba, then each word becomes the AND of its bigrams, so
"补水面膜" asks for 补水 and 面膜 but not the cross-word bigram 水面 that no document contains.
"""

import gc
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on first use
_frozen = False


def _segment(text: str) -> list[str]:
    global _frozen
    words = jieba.lcut(text)
    if not _frozen:
        # jieba's dictionary is ~350k long-lived objects; without this every full garbage
        # collection walks them all, which showed up as ~20 ms pauses inside search requests.
        gc.freeze()
        _frozen = True
    return words


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+(?:[.\-][0-9a-z]+)*")
_IS_CJK = re.compile(rf"[{_CJK}]")


def normalize(text: str) -> str:
    # Full-width letters and digits (ＡＢＣ１２３) typed on Chinese keyboards become ASCII.
    text = (text or "").translate(_FULLWIDTH).lower()
    return text


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _runs(text: str) -> list[str]:
    return _RUN.findall(normalize(text))


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def document_terms(*texts: str) -> list[str]:
    """Index terms of a document field: every CJK bigram and the last character of each CJK run,
    every latin/numeric word."""
    terms: dict[str, None] = {}
    for text in texts:
        for run in _runs(text):
            if _IS_CJK.match(run):
                for bg in bigrams(run):
                    terms[bg] = None
                terms[run[-1]] = None
            else:
                terms[run] = None
    return list(terms)


def is_prefix_term(term: str) -> bool:
    """A query term matched as a prefix: one CJK character (see the module docstring)."""
    return len(term) == 1 and bool(_IS_CJK.match(term))


@lru_cache(maxsize=2048)
def query_groups(query: str) -> tuple[tuple[str, ...], ...]:
    """The query as groups of terms: a document matches when it has every term of every group."""
    groups: list[tuple[str, ...]] = []
    for word in _segment(normalize(query)):
        for run in _runs(word):
            group = tuple(bigrams(run)) if _IS_CJK.match(run) else (run,)
            if group not in groups:
                groups.append(group)
    return tuple(groups)


@lru_cache(maxsize=2048)
def query_words(query: str) -> tuple[str, ...]:
    """The query's words (jieba), each a run of CJK or of latin/digits: what Elasticsearch analyses."""
    words: list[str] = []
    for word in _segment(normalize(query)):
        for run in _runs(word):
            if run not in words:
                words.append(run)
    return tuple(words)


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(t for group in query_groups(query) for t in group))


def is_latin(query: str) -> bool:
    return bool(query.strip()) and not _IS_CJK.search(query)


def tsquery(query: str) -> str:
    """A tsquery literal (cast, not parsed: PostgreSQL's parser does not know CJK words)."""
    parts = []
    for group in query_groups(query):
        parts.extend(f"'{term}':*" if is_prefix_term(term) else f"'{term}'" for term in group)
    return " & ".join(parts)

"""The API's JSON parser: bounded before it is trusted.

A body over the limit is refused with 413 before it is decoded, JSON nested deeper than
`MAX_DEPTH` with 400 (Python's decoder would otherwise recurse until it raises a RecursionError,
a 500), and a NUL character anywhere — key or value — with 400: PostgreSQL cannot store one in
text, so without this check it surfaces as a server error deep inside a save.
"""

import codecs
import json
from collections.abc import Mapping
from typing import IO, Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .exceptions import PayloadTooLarge

MAX_DEPTH = 20


def _find_nul_or_depth(data: Any) -> str | None:  # decoded JSON
    """'nul' or 'depth' for the first problem found in decoded JSON, else None (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return "nul"
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return "depth"
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None and "\x00" in key:
                    return "nul"
                stack.append((item, depth + 1))
    return None


class BoundedJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:  # the decoded JSON value
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            data = json.loads(codecs.decode(raw, encoding), parse_constant=_refuse_constant)
        except RecursionError as error:
            raise ParseError(_("JSON is nested too deeply.")) from error
        except ValueError as error:
            raise ParseError(_("The request body is not valid JSON.")) from error
        problem = _find_nul_or_depth(data)
        if problem == "depth":
            raise ParseError(_("JSON is nested too deeply."))
        if problem == "nul":
            raise ParseError(_("Text may not contain NUL characters."))
        return data


def _refuse_constant(name: str) -> NoReturn:
    """NaN and Infinity are not JSON; Python would accept them and a price could become NaN."""
    raise ValueError(name)

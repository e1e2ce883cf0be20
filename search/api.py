"""GET search/products/, search/factories/, matches/{products,factories,buyers}/ (docs/api.md)."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from buyers.api import BuyerOutputSerializer
from buyers.models import BuyerProfile
from factories.api.serializers import FactoryOutputSerializer, ProductOutputSerializer
from factories.models import VerificationStatus
from marketplace.accounts.models import User
from marketplace.api.permissions import IsBuyerUser, IsFactoryUser

from . import selectors
from .backends import Match, SearchPage, SearchParams, SearchUnavailable
from .backends.base import SORTS
from .results import product_results


class SearchUnavailableError(APIException):
    status_code = 503
    default_detail = _("Search is temporarily unavailable; try again in a minute.")
    default_code = "search_unavailable"


MAX_PAGE = 1000

View = TypeVar("View", bound=Callable[..., Response])
# An output serializer class (products, factories, streamers): what a page or a match list shows.
OutputSerializer = type[serializers.BaseSerializer[Any]]


class SearchInputSerializer(serializers.Serializer[None]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    category = serializers.SlugField(required=False, allow_blank=True, default="")
    province = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")
    industrial_belt = serializers.SlugField(required=False, allow_blank=True, default="")
    price_min = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    price_max = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    moq_max = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False, allow_null=True)
    customizable = serializers.BooleanField(required=False, allow_null=True, default=None)
    trial_eligible = serializers.BooleanField(required=False, allow_null=True, default=None)
    verified_only = serializers.BooleanField(required=False, allow_null=True, default=None)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    # Bounded: a page number of 10**20 would overflow the database's OFFSET (a 500 before).
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:  # the request's validated fields
        # As Elasticsearch's max_result_window: past the count cap nothing was counted or ranked.
        if (attrs["page"] - 1) * attrs["page_size"] >= settings.SEARCH_COUNT_CAP:
            raise serializers.ValidationError(
                {
                    "page": _("Only the first %(cap)s results can be paged through; narrow the search.")
                    % {"cap": f"{settings.SEARCH_COUNT_CAP:,}"}
                }
            )
        return attrs

    def to_params(self) -> SearchParams:
        data = dict(self.validated_data)
        page, size = data.pop("page"), data.pop("page_size")
        data["q"] = data["q"].strip()
        return SearchParams(offset=(page - 1) * size, limit=size, **data)


class FacetSerializer(serializers.Serializer[None]):
    key = serializers.CharField()
    count = serializers.IntegerField()


def _search_response(request: Request, params: SearchParams, page: SearchPage, results: object) -> Response:
    """`results`: the page's rows as JSON-ready values (a list, or a serializer's `.data`)."""
    size, number = params.limit, params.offset // params.limit + 1
    url = request.build_absolute_uri()
    next_url = replace_query_param(url, "page", number + 1) if params.offset + size < page.count else None
    previous = None
    if number > 1:
        previous = (
            replace_query_param(url, "page", number - 1) if number > 2 else remove_query_param(url, "page")
        )
    return Response(
        {
            "count": page.count,
            "next": next_url,
            "previous": previous,
            "results": results,
            "facets": page.facets,
            "relaxed": page.relaxed,
            "count_exact": page.count_exact,
            "facets_exact": page.facets_exact,
        }
    )


def _search_schema(output: OutputSerializer, tag: str) -> Callable[[View], View]:
    return extend_schema(
        parameters=[SearchInputSerializer],
        responses=inline_serializer(
            f"{tag.title()}SearchPage",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": output(many=True),
                "facets": serializers.DictField(
                    child=FacetSerializer(many=True),
                    help_text="Counts per value, each counting what passes every other filter: "
                    "category, province, industrial_belt; for products also price (ranges "
                    '"0-20", "20-50", "50-100", "100-200", "200-": the price_min / price_max that '
                    'find them are the range\'s ends, the upper one less a fen), moq (ceilings "50" … '
                    '"5000": a moq_max), customizable and trial_eligible ("true", "false") and '
                    'verified_only ("true"). Values with no result are left out.',
                ),
                "relaxed": serializers.BooleanField(
                    help_text="True when fewer than a page of results held every word of `q`, so "
                    "the results are those holding most of its words (three of four, one of two), "
                    "the ones with every word first; `count` counts them all."
                ),
                "count_exact": serializers.BooleanField(
                    help_text="False when more results match than the count cap (5,000 unless the "
                    "deployment sets SEARCH_COUNT_CAP): `count` is then a lower bound (shown as "
                    '"5,000+") and pages past the cap are refused (400 on `page`).'
                ),
                "facets_exact": serializers.BooleanField(
                    help_text="False when the facet counts were taken over about as many results "
                    "as the cap instead of all of them (the first found, or a sample spread over "
                    "them, by search backend): each count is then a lower bound, good for ordering "
                    "the values, not as a total."
                ),
            },
        ),
        tags=["search"],
    )


class ProductSearchApi(APIView):
    permission_classes = [permissions.AllowAny]

    @_search_schema(ProductOutputSerializer, "product")
    def get(self, request: Request) -> Response:
        data = SearchInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.to_params()
        try:
            page = selectors.product_search(params=params)
        except SearchUnavailable:
            raise SearchUnavailableError() from None
        return _search_response(request, params, page, product_results(ids=page.ids, request=request))


class FactorySearchApi(APIView):
    permission_classes = [permissions.AllowAny]

    @_search_schema(FactoryOutputSerializer, "factory")
    def get(self, request: Request) -> Response:
        data = SearchInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.to_params()
        try:
            page, rows = selectors.factory_search(params=params)
        except SearchUnavailable:
            raise SearchUnavailableError() from None
        prefetch_related_objects(rows, "photos")  # shown per factory: one query for the page
        results = FactoryOutputSerializer(rows, many=True, context={"request": request}).data
        return _search_response(request, params, page, results)


class MatchInputSerializer(serializers.Serializer[None]):
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=20)


def _match_schema(name: str, output: OutputSerializer) -> Callable[[View], View]:
    return extend_schema(
        parameters=[MatchInputSerializer],
        responses=inline_serializer(
            f"{name}Match",
            {
                name.lower(): output(),
                "score": serializers.FloatField(),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "record": serializers.DictField(
                    help_text=(
                        "The trial record the ranking used: its figures (counts, as in the profile), "
                        "`estimates` (each rate shrunk towards the marketplace's prior by how many "
                        "trials it rests on) and `score` (0–1). For products and factories the "
                        "factory's record, for streamers the streamer's."
                    )
                ),
            },
            many=True,
        ),
        tags=["search"],
    )


def _limit(request: Request) -> int:
    data = MatchInputSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)
    limit: int = data.validated_data["limit"]
    return limit


def _account(request: Request) -> User:
    """The signed-in account: the view's permission classes have refused anonymous callers already."""
    if not isinstance(request.user, User):
        raise NotAuthenticated()
    return request.user


def _buyer_of(request: Request) -> BuyerProfile:
    buyer: BuyerProfile | None = getattr(request.user, "buyer_profile", None)
    if buyer is None:
        raise ValidationError({"detail": _("Create your streamer profile first (POST /api/v1/buyers/).")})
    return buyer


def _matches_response(
    key: str, output: OutputSerializer, pairs: Sequence[tuple[Model, Match]], context: dict[str, object]
) -> Response:
    return Response(
        [
            {
                key: output(row, context=context).data,
                "score": m.score,
                "reasons": m.reasons,
                "record": m.record,
            }
            for row, m in pairs
        ]
    )


class _MatchApi(APIView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, SearchUnavailable):
            exc = SearchUnavailableError()
        return super().handle_exception(exc)


class ProductMatchApi(_MatchApi):
    permission_classes = [permissions.IsAuthenticated, IsBuyerUser]

    @_match_schema("Product", ProductOutputSerializer)
    def get(self, request: Request) -> Response:
        limit = _limit(request)
        pairs = selectors.product_matches(buyer=_buyer_of(request), limit=limit)
        return _matches_response("product", ProductOutputSerializer, pairs, {"request": request})


class FactoryMatchApi(_MatchApi):
    permission_classes = [permissions.IsAuthenticated, IsBuyerUser]

    @_match_schema("Factory", FactoryOutputSerializer)
    def get(self, request: Request) -> Response:
        limit = _limit(request)
        pairs = selectors.factory_matches(buyer=_buyer_of(request), limit=limit)
        prefetch_related_objects([row for row, _m in pairs], "photos")
        return _matches_response("factory", FactoryOutputSerializer, pairs, {"request": request})


class BuyerMatchApi(_MatchApi):
    permission_classes = [permissions.IsAuthenticated, IsFactoryUser]

    @_match_schema("Buyer", BuyerOutputSerializer)
    def get(self, request: Request) -> Response:
        limit = _limit(request)
        factory = getattr(request.user, "factory", None)
        if factory is None:
            raise ValidationError({"detail": _("Register your factory first (POST /api/v1/factories/).")})
        if factory.verification_status != VerificationStatus.VERIFIED:
            raise PermissionDenied(_("Your factory must be verified before you can see matching streamers."))
        pairs = selectors.buyer_matches(factory=factory, user=_account(request), limit=limit)
        return _matches_response("buyer", BuyerOutputSerializer, pairs, {"request": request})

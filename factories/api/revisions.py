"""Staff decide on changes a factory made to a live listing (ProductRevision): approve makes them
the listing, reject keeps the approved version live and tells the factory why."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import IsStaffUser, caller, viewer

from .. import selectors, services
from .base import ReasonSerializer, get_visible_or_404
from .serializers import ProductOutputSerializer


class _RevisionDecisionApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStaffUser]

    def _output(self, request: Request, pk: int) -> Response:
        product = selectors.product_visible_to(viewer(request)).get(pk=pk)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)


class ProductRevisionApproveApi(_RevisionDecisionApi):
    @extend_schema(
        request=None,
        responses=ProductOutputSerializer,
        tags=["moderation"],
        description="409 when the listing has no changes waiting for review.",
    )
    def post(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        services.product_revision_approve(product=product, actor=caller(request))
        return self._output(request, pk)


class ProductRevisionRejectApi(_RevisionDecisionApi):
    @extend_schema(
        request=ReasonSerializer,
        responses=ProductOutputSerializer,
        tags=["moderation"],
        description="The live listing stays as approved; the new photos are removed. 409 when "
        "nothing is waiting for review.",
    )
    def post(self, request: Request, pk: int) -> Response:
        product = get_visible_or_404(selectors.product_visible_to(viewer(request)), pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.product_revision_reject(
            product=product, actor=caller(request), reason=data.validated_data["reason"]
        )
        return self._output(request, pk)

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import IndustrialBelt
from ..selectors import category_list
from .serializers import CategorySerializer


class CategoryListApi(APIView):
    """The whole two-level tree, not paginated (it is small and clients cache it)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=CategorySerializer(many=True), tags=["catalog"])
    def get(self, request: Request) -> Response:
        return Response(CategorySerializer(category_list(), many=True).data)


class IndustrialBeltListApi(APIView):
    permission_classes = [permissions.AllowAny]

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = IndustrialBelt
            fields = ["slug", "name", "name_en", "province", "city"]

    @extend_schema(responses=OutputSerializer(many=True), tags=["catalog"])
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(IndustrialBelt.objects.all(), many=True).data)

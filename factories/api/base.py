from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from marketplace.api.permissions import caller

from ..images import ImageSizeLimitUploadHandler, too_large_message

M = TypeVar("M", bound=Model)


def get_visible_or_404(queryset: QuerySet[M], pk: int) -> M:
    """Someone else's private object is a 404 (docs/api.md): not visible means it does not exist for you."""
    return get_object_or_404(queryset, pk=pk)


def require_owner(request: Request, owner_id: int) -> None:
    user = caller(request)  # every view that changes something requires authentication
    if not user.is_staff_member and user.pk != owner_id:
        raise PermissionDenied(_("Only the owner can change this."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class ImageUploadApi(APIView):
    """A multipart image upload: the size limit is installed before anything reads the body (the
    idempotency fingerprint may, before `post`), so an oversized file is refused unstored."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser]
    size_limit: ImageSizeLimitUploadHandler  # installed by initial()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.size_limit = ImageSizeLimitUploadHandler(request._request)
        request._request.upload_handlers.insert(0, self.size_limit)

    def upload_data(self, request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """The parsed form, after the caller checked visibility and ownership (so nobody else's
        upload is even validated)."""
        data = serializer_class(data=request.data)
        if self.size_limit.too_large:
            raise ValidationError({"image": [too_large_message()]})
        data.is_valid(raise_exception=True)
        validated: dict[str, Any] = data.validated_data
        return validated

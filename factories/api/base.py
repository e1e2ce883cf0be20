from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.views import APIView

from ..images import ImageSizeLimitUploadHandler, too_large_message


def get_visible_or_404(queryset, pk):
    """Someone else's private object is a 404 (docs/api.md): not visible means it does not exist for you."""
    return get_object_or_404(queryset, pk=pk)


def require_owner(request, owner_id: int) -> None:
    if not request.user.is_staff_member and request.user.pk != owner_id:
        raise PermissionDenied(_("Only the owner can change this."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class ImageUploadApi(APIView):
    """A multipart image upload: the size limit is installed before anything reads the body (the
    idempotency fingerprint may, before `post`), so an oversized file is refused unstored."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.size_limit = ImageSizeLimitUploadHandler(request._request)
        request._request.upload_handlers.insert(0, self.size_limit)

    def upload_data(self, request, serializer_class) -> dict:
        """The parsed form, after the caller checked visibility and ownership (so nobody else's
        upload is even validated)."""
        data = serializer_class(data=request.data)
        if self.size_limit.too_large:
            raise ValidationError({"image": [too_large_message()]})
        data.is_valid(raise_exception=True)
        return data.validated_data

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied


def get_visible_or_404(queryset, pk):
    """Someone else's private object is a 404 (docs/api.md): not visible means it does not exist for you."""
    return get_object_or_404(queryset, pk=pk)


def require_owner(request, owner_id: int) -> None:
    if not request.user.is_staff_member and request.user.pk != owner_id:
        raise PermissionDenied(_("Only the owner can change this."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")

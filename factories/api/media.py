"""A factory's photos and business licence over the API (services/media.py holds the rules).

The licence has no URL: GET factories/{id}/licence/ streams it to staff and to the factory
itself, and answers 404 to everyone else, as if there were none."""

import mimetypes
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.idempotency import idempotent
from marketplace.api.permissions import caller, viewer

from .. import selectors, services
from ..models import Factory, FactoryPhoto
from .base import ImageUploadApi, get_visible_or_404, require_owner
from .serializers import FactoryPhotoSerializer


class _UploadApi(ImageUploadApi):
    def _factory_and_file(
        self, request: Request, pk: int, serializer_class: type[serializers.Serializer]
    ) -> tuple[Factory, dict[str, Any]]:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        require_owner(request, factory.owner_id)
        return factory, self.upload_data(request, serializer_class)


class FactoryPhotoUploadApi(_UploadApi):
    class InputSerializer(serializers.Serializer):
        image = serializers.FileField(
            error_messages={"required": gettext_lazy("Attach an image file in the field 'image'.")}
        )
        caption = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={201: FactoryPhotoSerializer},
        tags=["factories"],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        factory, data = self._factory_and_file(request, pk, self.InputSerializer)
        photo = services.factory_photo_add(
            factory=factory, actor=caller(request), upload=data["image"], caption=data["caption"]
        )
        return Response(FactoryPhotoSerializer(photo, context={"request": request}).data, status=201)


class FactoryPhotoDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None}, tags=["factories"])
    def delete(self, request: Request, pk: int, photo_id: int) -> Response:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        require_owner(request, factory.owner_id)
        photo = FactoryPhoto.objects.filter(factory=factory, pk=photo_id).first()
        if photo is None:
            raise Http404
        services.factory_photo_delete(photo=photo, actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FactoryLicenceApi(_UploadApi):
    class InputSerializer(serializers.Serializer):
        image = serializers.FileField(
            error_messages={"required": gettext_lazy("Attach an image file in the field 'image'.")}
        )

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={204: None},
        tags=["factories"],
        description="The factory uploads its business licence (an image) for staff to check; "
        "a repeated PUT replaces it (idempotent by nature).",
    )
    def put(self, request: Request, pk: int) -> Response:
        factory, data = self._factory_and_file(request, pk, self.InputSerializer)
        services.factory_licence_set(factory=factory, actor=caller(request), upload=data["image"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={(200, "image/*"): OpenApiTypes.BINARY},
        tags=["factories"],
        description="The licence image, for staff and the factory itself only (404 for anyone else).",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        factory = get_visible_or_404(selectors.factory_visible_to(viewer(request)), pk)
        user = caller(request)
        if not (user.is_staff_member or factory.owner_id == user.pk) or not factory.licence_image:
            raise Http404
        # Read whole (a re-encoded image of at most IMAGE_MAX_BYTES) so no file handle outlives it.
        with factory.licence_image.open("rb") as file:
            data = file.read()
        name = factory.licence_image.name or ""  # a file that is set has a name
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = HttpResponse(data, content_type=kind)
        response["Cache-Control"] = "private, no-store"
        return response

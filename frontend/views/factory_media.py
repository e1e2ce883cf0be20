"""The factory's photos and business licence from its profile page (factories/services/media.py
holds the rules; the API offers the same). Each action answers with a message and goes back to
the panel it came from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from factories import services
from factories.images import ImageSizeLimitUploadHandler, too_large_message
from factories.models import Factory, FactoryPhoto

from .common import service_call, signed_in


def _own_factory(request) -> Factory:
    factory = Factory.objects.filter(owner=request.user).first()
    if factory is None:
        raise PermissionDenied
    return factory


def _back(anchor: str):
    return redirect(reverse("frontend:factory-profile") + f"#{anchor}")


def _upload(request):
    """The uploaded file, or None after saying why (none chosen, or over the size limit)."""
    if getattr(request, "_size_limit", None) is not None and request._size_limit.too_large:
        messages.error(request, too_large_message())
        return None
    upload = request.FILES.get("image")
    if upload is None:
        messages.error(request, _("Choose an image file first."))
    return upload


def _limited(view):
    """Install the photo size limit before anything reads the body (so CSRF is checked inside)."""

    @csrf_exempt
    @signed_in
    @require_POST
    def wrapper(request, *args, **kwargs):
        request._size_limit = ImageSizeLimitUploadHandler(request)
        request.upload_handlers.insert(0, request._size_limit)
        return csrf_protect(view)(request, *args, **kwargs)

    return wrapper


@_limited
def factory_photo_upload(request):
    factory = _own_factory(request)
    upload = _upload(request)
    if upload is not None:
        service_call(
            request,
            lambda: services.factory_photo_add(
                factory=factory, actor=request.user, upload=upload, caption=request.POST.get("caption", "")
            ),
            success=_("Photo added to your factory page."),
        )
    return _back("factory-photos")


@signed_in
@require_POST
def factory_photo_delete(request, pk: int):
    photo = get_object_or_404(FactoryPhoto, pk=pk, factory=_own_factory(request))
    service_call(
        request,
        lambda: services.factory_photo_delete(photo=photo, actor=request.user),
        success=_("Photo removed."),
    )
    return _back("factory-photos")


@_limited
def factory_licence_upload(request):
    factory = _own_factory(request)
    upload = _upload(request)
    if upload is not None:
        service_call(
            request,
            lambda: services.factory_licence_set(factory=factory, actor=request.user, upload=upload),
            success=_("Licence received: staff will check it when verifying your factory."),
        )
    return _back("licence")

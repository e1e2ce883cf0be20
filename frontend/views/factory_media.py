"""The factory's photos and business licence from its profile page (factories/services/media.py
holds the rules; the API offers the same). Each action answers with a message and goes back to
the panel it came from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from factories import services
from factories.images import ImageSizeLimitUploadHandler, too_large_message
from factories.models import Factory, FactoryPhoto

from ..auth import P, PageView, SignedInRequest, SignedInView
from .common import service_call, signed_in

_SIZE_LIMIT = "_size_limit"  # the request's ImageSizeLimitUploadHandler


def _own_factory(request: SignedInRequest) -> Factory:
    factory = Factory.objects.filter(owner=request.user).first()
    if factory is None:
        raise PermissionDenied
    return factory


def _back(anchor: str) -> HttpResponseRedirect:
    return redirect(reverse("frontend:factory-profile") + f"#{anchor}")


def _upload(request: SignedInRequest) -> UploadedFile | None:
    """The uploaded file, or None after saying why (none chosen, or over the size limit)."""
    size_limit: ImageSizeLimitUploadHandler | None = request.__dict__.get(_SIZE_LIMIT)
    if size_limit is not None and size_limit.too_large:
        messages.error(request, too_large_message())
        return None
    upload = request.FILES.get("image")
    if upload is None:
        messages.error(request, _("Choose an image file first."))
    return upload


def _limited(view: SignedInView[P]) -> PageView[P]:
    """Install the photo size limit before anything reads the body (so CSRF is checked inside)."""

    @csrf_exempt
    @signed_in
    @require_POST
    def wrapper(request: SignedInRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        size_limit = ImageSizeLimitUploadHandler(request)
        request.__dict__[_SIZE_LIMIT] = size_limit  # for _upload, as acting.py keeps its own
        request.upload_handlers.insert(0, size_limit)
        return csrf_protect(view)(request, *args, **kwargs)

    return wrapper


@_limited
def factory_photo_upload(request: SignedInRequest) -> HttpResponse:
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
def factory_photo_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(FactoryPhoto, pk=pk, factory=_own_factory(request))
    service_call(
        request,
        lambda: services.factory_photo_delete(photo=photo, actor=request.user),
        success=_("Photo removed."),
    )
    return _back("factory-photos")


@_limited
def factory_licence_upload(request: SignedInRequest) -> HttpResponse:
    factory = _own_factory(request)
    upload = _upload(request)
    if upload is not None:
        service_call(
            request,
            lambda: services.factory_licence_set(factory=factory, actor=request.user, upload=upload),
            success=_("Licence received: staff will check it when verifying your factory."),
        )
    return _back("licence")

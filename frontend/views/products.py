"""The factory's listings: "my products", the create / edit form with photos, delisting.

Every write is one call into factories.services (the functions the API uses); a refusal from a
service is shown on the form field it concerns and nothing changes. Someone else's product is a
404, as in the API; staff may open any product's form (they may edit through the API too).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factories import selectors, services
from factories.flows import PRODUCT_TABLE
from factories.images import ImageSizeLimitUploadHandler
from factories.models import Factory, Product, ProductImage, ProductStatus, RevisionStatus
from factories.services.images import MAX_IMAGES_PER_PRODUCT
from factories.services.revisions import revision_working_values
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.transitions import allowed_actions

from ..auth import SignedInRequest
from ..listing_changes import change_rows
from ..product_forms import AttributeFormSet, ConfirmForm, ProductForm, attribute_rows, tiers_text
from .common import service_call, signed_in

T = TypeVar("T")

PAGE_SIZE = 50
IMAGE_MOVES = {"earlier": -1, "later": 1}


def _own_factory(request: SignedInRequest) -> Factory | None:
    """The signed-in factory's row; other roles get a 403 (this is the factory workspace)."""
    if not request.user.is_factory:
        raise PermissionDenied(_("Only factory accounts have product listings."))
    return Factory.objects.filter(owner=request.user).first()


def _editable(user: User) -> QuerySet[Product]:
    """Products this person may edit: their factory's, or any for staff (as in the API)."""
    qs = Product.objects.select_related("factory", "category")
    if user.is_staff_member:
        return qs
    if user.is_factory:
        return qs.filter(factory__owner=user)
    return qs.none()


def _no_factory(request: SignedInRequest) -> HttpResponseRedirect:
    messages.error(request, _("Create your factory profile first."))
    return redirect("frontend:dashboard")


def _limit_upload_size(request: SignedInRequest) -> ImageSizeLimitUploadHandler | None:
    """Stop buffering an oversized photo (the API's handler). It must be installed before anything
    reads the body, which is why the form views are csrf_exempt outside and csrf_protect inside."""
    if request.method != "POST":
        return None
    handler = ImageSizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler


def _show_service_error(exc: ValidationError, form: BaseForm) -> None:
    """Put each message of a service refusal on the field it is about (else at the top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        form.add_error(target, errors)


def _call(form: BaseForm, call: Callable[[], T]) -> T | None:
    """Run the service; refusals become form errors, and nothing was written."""
    try:
        return call()
    except ValidationError as exc:
        _show_service_error(exc, form)
    except (TransitionNotAllowed, NotAllowed) as exc:
        form.add_error(None, str(exc.message))
    return None


@signed_in
@require_GET
def product_list(request: SignedInRequest) -> HttpResponse:
    factory = _own_factory(request)
    if factory is None:
        return _no_factory(request)
    products = selectors.product_with_pending_flag(
        Product.objects.filter(factory=factory).select_related("category").prefetch_related("images")
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        Product.objects.filter(factory=factory).values_list("status").annotate(n=Count("id")).order_by()
    )
    summary = [(label, counts.get(value, 0)) for value, label in ProductStatus.choices if counts.get(value)]
    return render(
        request,
        "frontend/product_list.html",
        {"factory": factory, "page": page, "products": page.object_list, "summary": summary},
    )


@csrf_exempt
@signed_in
@require_http_methods(["GET", "POST"])
def product_new(request: SignedInRequest) -> HttpResponse:
    size_limit = _limit_upload_size(request)
    return _product_new(request, size_limit)


@csrf_protect
def _product_new(request: SignedInRequest, size_limit: ImageSizeLimitUploadHandler | None) -> HttpResponse:
    factory = _own_factory(request)
    if factory is None:
        return _no_factory(request)
    if request.method == "POST":
        form = ProductForm(
            request.POST, request.FILES, upload_too_large=bool(size_limit and size_limit.too_large)
        )
        formset = AttributeFormSet(request.POST, prefix="attr")
        if all([form.is_valid(), formset.is_valid()]):  # both checked, so every error shows at once
            product = _call(
                form,
                lambda: services.product_create_with_images(
                    factory=factory,
                    actor=request.user,
                    data=form.service_data(formset.as_dict()),
                    uploads=form.cleaned_data["images"],
                    submit="save_draft" not in request.POST,
                ),
            )
            if product is not None:
                messages.success(request, _submitted_message(product))
                return redirect("frontend:my-product-edit", product.pk)
        else:
            form.check_photos_too()
    else:
        form = ProductForm(initial={"trial_eligible": factory.accepts_trials})
        formset = AttributeFormSet(prefix="attr")
    return render(
        request,
        "frontend/product_form.html",
        {"form": form, "formset": formset, "product": None, "factory": factory, **_limits(request)},
    )


@csrf_exempt
@signed_in
@require_http_methods(["GET", "POST"])
def product_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    size_limit = _limit_upload_size(request)
    return _product_edit(request, pk, size_limit)


@csrf_protect
def _product_edit(
    request: SignedInRequest, pk: int, size_limit: ImageSizeLimitUploadHandler | None
) -> HttpResponse:
    product = get_object_or_404(_editable(request.user), pk=pk)
    revision = selectors.product_revision_latest(product)
    working = revision_working_values(product, revision)
    if request.method == "POST":
        form = ProductForm(
            request.POST,
            request.FILES,
            initial=_initial(product, working),  # so that changed_data says what the person changed
            upload_too_large=bool(size_limit and size_limit.too_large),
        )
        formset = AttributeFormSet(request.POST, prefix="attr")
        if all([form.is_valid(), formset.is_valid()]):  # both checked, so every error shows at once
            updated = _call(
                form,
                lambda: services.product_update_with_images(
                    product=product,
                    actor=request.user,
                    data=form.service_data(formset.as_dict(working["attributes"]), only_changed=True),
                    uploads=form.cleaned_data["images"],
                    submit="submit" in request.POST,
                ),
            )
            if updated is not None:
                messages.success(request, _saved_message(updated))
                return redirect("frontend:my-product-edit", product.pk)
        else:
            form.check_photos_too()
    else:
        form = ProductForm(initial=_initial(product, working))
        formset = AttributeFormSet(prefix="attr", initial=attribute_rows(working["attributes"]))
    pending = revision if revision is not None and revision.status == RevisionStatus.PENDING else None
    return render(
        request,
        "frontend/product_form.html",
        {
            "form": form,
            "formset": formset,
            "product": product,
            "factory": product.factory,
            "images": list(product.images.all()),
            "pending": pending,
            "changes": change_rows(product, pending) if pending else [],
            "pending_photos": getattr(pending, "proposed_images", []) if pending else [],
            "rejected": revision
            if revision is not None and revision.status == RevisionStatus.REJECTED
            else None,
            "delistable": "delist" in allowed_actions(PRODUCT_TABLE, product, request.user),
            **_limits(request),
        },
    )


def _initial(product: Product, working: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": working["title"],
        "description": working["description"],
        "category": working["category"],
        "factory_price": working["factory_price"],
        "price_tiers": tiers_text(working["price_tiers"]),
        "moq": product.moq,
        "lead_time_days": product.lead_time_days,
        "customizable": product.customizable,
        "trial_eligible": product.trial_eligible,
    }


def _limits(request: SignedInRequest) -> dict[str, Any]:
    # A refused form comes back without the chosen files (browsers never refill a file input).
    return {"max_images": MAX_IMAGES_PER_PRODUCT, "reselect_photos": bool(request.FILES)}


def _submitted_message(product: Product) -> str:
    if product.status == ProductStatus.DRAFT:
        return _("Saved as a draft. Submit it for review when it is ready.")
    return _("Listed. Staff review it before streamers can see it; you will be notified.")


def _saved_message(product: Product) -> str:
    if product.status == ProductStatus.PENDING_REVIEW:
        return _("Saved. The listing is waiting for review.")
    if product.status == ProductStatus.ACTIVE and selectors.product_revision_pending_exists(product):
        return _("Saved. Your changes wait for staff review; streamers see the approved version until then.")
    return _("Saved.")


@signed_in
@require_http_methods(["GET", "POST"])
def product_delist(request: SignedInRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the service. Delisting keeps the row: trials and orders point at it."""
    product = get_object_or_404(_editable(request.user), pk=pk)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        done = service_call(
            request,
            lambda: services.product_delist(product=product, actor=request.user),
            success=_("Delisted. Streamers no longer see it; edit and resubmit it to list it again."),
        )
        if done.ok:
            return redirect("frontend:my-products" if request.user.is_factory else "frontend:dashboard")
        return redirect("frontend:my-product-edit", product.pk)
    return render(request, "frontend/product_delist.html", {"product": product, "form": ConfirmForm()})


@signed_in
@require_POST
def product_image_action(request: SignedInRequest, pk: int, image_id: int, action: str) -> HttpResponse:
    """Remove a photo, or move it one place earlier / later (the first photo is the cover)."""
    product = get_object_or_404(_editable(request.user), pk=pk)
    image = get_object_or_404(ProductImage.all_objects.filter(product=product), pk=image_id)
    if action == "remove":
        service_call(
            request,
            lambda: services.product_image_delete(image=image, actor=request.user),
            success=_("Photo removed."),
        )
    elif action in IMAGE_MOVES:
        service_call(
            request,
            lambda: services.product_image_move(image=image, actor=request.user, offset=IMAGE_MOVES[action]),
        )
    else:
        messages.error(request, _("Unknown action."))
    return redirect(f"{_edit_url(product)}#photos")


def _edit_url(product: Product) -> str:
    return reverse("frontend:my-product-edit", args=[product.pk])

"""Bulk catalog import for factories: download a template, upload a file, read the preview with
every row's errors, confirm to import the valid rows. The reading, checking and writing are
factories.catalog_import's (the same code as `manage.py import_catalog`); this module only moves
the file between the two requests (frontend.upload_store) and shows the outcome."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factories.catalog_import import ImportFileError, catalog_import, catalog_preview
from factories.catalog_import.columns import COLUMNS
from factories.catalog_import.readers import MAX_FILE_BYTES, MAX_ROWS
from factories.catalog_import.template import template_csv, template_xlsx
from factories.models import Factory
from marketplace.core.errors import NotAllowed

from ..auth import SignedInRequest
from ..upload_store import upload_keep, upload_take
from .common import form_refused, signed_in

SHOWN_ERRORS = 200  # a file of 5,000 broken rows still renders a page a phone can open
SHOWN_VALID = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalog file (XLSX or CSV)"),
        # Only a hint for the file picker: the importer decides by the file's content.
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,.csv,text/csv,{XLSX_TYPE}"}),
    )


def _own_factory(request: SignedInRequest) -> Factory:
    if not request.user.is_factory:
        raise PermissionDenied(_("Only factories can import products."))
    factory = Factory.objects.filter(owner=request.user).first()
    if factory is None:
        raise PermissionDenied(_("Create your factory profile first."))
    return factory


def _upload_page(
    request: SignedInRequest, factory: Factory, form: forms.Form, status: int = 200
) -> HttpResponse:
    context = {
        "factory": factory,
        "form": form,
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
    }
    return render(request, "frontend/catalog_import.html", context, status=status)


@signed_in
@require_http_methods(["GET", "POST"])
def catalog_import_upload(request: SignedInRequest) -> HttpResponse:
    factory = _own_factory(request)
    if request.method == "GET":
        return _upload_page(request, factory, CatalogUploadForm())
    form = CatalogUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        form_refused(request, form)
        return _upload_page(request, factory, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_FILE_BYTES:
        # Refused before reading it into memory.
        messages.error(
            request,
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
        )
        return _upload_page(request, factory, form, status=400)
    content = upload.read()
    try:
        preview = catalog_preview(content=content, factory=factory, actor=request.user)
    except (ImportFileError, NotAllowed) as exc:
        messages.error(request, str(exc.message))
        return _upload_page(request, factory, form, status=400)
    valid, invalid = preview.valid, preview.invalid
    context = {
        "factory": factory,
        "file_name": upload.name[:120],
        "total": len(preview.rows),
        "valid_count": len(valid),
        "invalid_count": len(invalid),
        "valid_rows": valid[:SHOWN_VALID],
        "more_valid": max(0, len(valid) - SHOWN_VALID),
        "invalid_rows": invalid[:SHOWN_ERRORS],
        "more_invalid": max(0, len(invalid) - SHOWN_ERRORS),
        "ignored_headers": preview.ignored_headers,
        "token": upload_keep(content, factory_id=factory.pk, user_id=request.user.pk) if valid else "",
    }
    return render(request, "frontend/catalog_import_preview.html", context)


@signed_in
@require_POST
def catalog_import_confirm(request: SignedInRequest) -> HttpResponse:
    factory = _own_factory(request)
    content = upload_take(request.POST.get("token", ""), factory_id=factory.pk, user_id=request.user.pk)
    if content is None:
        messages.error(request, _("This upload has expired or was already imported; upload the file again."))
        return redirect("frontend:catalog-import")
    try:
        # Checked again: the categories, the factory's trial setting or its standing may have
        # changed since the preview, and only rows valid now are written.
        preview = catalog_preview(content=content, factory=factory, actor=request.user)
        created = catalog_import(preview=preview, actor=request.user)
    except (ImportFileError, NotAllowed) as exc:
        messages.error(request, str(exc.message))
        return redirect("frontend:catalog-import")
    messages.success(
        request,
        _("%(n)d products imported; staff will review them before they are public.") % {"n": created},
    )
    return redirect("frontend:dashboard")


@signed_in
@require_GET
def catalog_import_template(request: SignedInRequest, fmt: str) -> HttpResponse:
    _own_factory(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yuantou-catalog-template.{fmt}"'
    return response

"""The packing slip (发货单) of a sample, a trial or a bulk order: a print-friendly page with the
order number, the goods, the agreed specification and the full address. The factory opens it on
the shipping step (the only step on which it reads the number in full); the streamer and staff
at any time."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from marketplace.addresses.models import Address, AddressKind
from marketplace.addresses.snapshot import one_line, snapshot
from trials import selectors
from trials.reveal import address_for

from ..addresses import slip_url
from ..auth import SignedInRequest
from ..specification import spec_rows
from .common import signed_in

KINDS = {
    "sample": selectors.sample_visible_to,
    "trial": selectors.trial_visible_to,
    "bulk": selectors.bulk_order_visible_to,
}


@signed_in
@require_GET
def packing_slip(request: SignedInRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    obj: Any = get_object_or_404(KINDS[kind](request.user), pk=pk)
    if slip_url(kind, obj, request.user) is None:
        raise Http404  # not the shipping step for this reader
    quantity = getattr(obj, "quantity", 1)
    title = obj.title if hasattr(obj, "title") else obj.product.title
    # A sample has no frozen specification: it is the listing as it stands.
    spec = getattr(obj, "specification", None) or {
        "title": title,
        "description": obj.product.description,
        "attributes": obj.product.attributes,
    }
    to = address_for(obj, request.user)
    dispatch = Address.objects.filter(
        owner_id=obj.factory.owner_id, kind=AddressKind.DISPATCH, is_default=True
    ).first()
    context = {
        "obj": obj,
        "kind": kind,
        "title": title,
        "quantity": quantity,
        "spec_rows": spec_rows(spec),
        "to": to,
        "to_line": one_line(to),
        "from_line": one_line(snapshot(dispatch)) if dispatch else "",
    }
    return render(request, "frontend/packing_slip.html", context)

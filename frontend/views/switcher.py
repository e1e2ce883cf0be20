"""POST me/acting/: the header's "acting for" switcher (issue 12, point 1). An organization member
chooses one of its streamers, or themselves again; frontend/acting.py keeps the choice and checks
it on every request."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import acting
from ..auth import SignedInRequest, account_required
from ..onboarding import profile_done
from .signup import safe_next


def _streamer_id(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


@account_required
@require_POST
def act_for(request: SignedInRequest) -> HttpResponse:
    raw = request.POST.get("streamer", "")
    if raw.strip() == "":
        was = acting.acting(request)
        acting.act_as_self(request)
        if was is not None:
            messages.success(request, _("You act as yourself again."))
        # Someone with no profile of their own (an agency's staff) has no dashboard to go back to.
        return redirect("frontend:dashboard" if profile_done(request) else "frontend:organizations")
    buyer_id = _streamer_id(raw)
    streamer = acting.act_for(request, buyer_id) if buyer_id is not None else None
    if streamer is None:
        # Nothing stored: whoever the person acted for before, they still do.
        messages.error(request, _("You can act only for the streamers of your organizations."))
        return redirect(safe_next(request) or "frontend:dashboard")
    messages.success(
        request,
        _("You now act for %(name)s: these pages show and change their deals.")
        % {"name": streamer.display_name},
    )
    # The dashboard, not the page the switch was made on: that page may be a deal of the
    # streamer acted for before, which the new one cannot open.
    return redirect("frontend:dashboard")

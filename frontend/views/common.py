"""What every signed-in page shares: the sign-in requirement, and running a service so that its
refusals become messages on the next page instead of an error page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import stripe
from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TooManyRequests, TransitionNotAllowed, ValidationError
from marketplace.core.transitions import FlowTable, allowed_actions

from ..acting import acting
from ..acting import ended as acting_ended
from ..auth import P, PageView, SignedInRequest, SignedInView, account_required
from ..forms import form_error_messages
from ..onboarding import profile_done


def _to_welcome(request: HttpRequest) -> HttpResponseRedirect:
    welcome = reverse("frontend:welcome")
    # Come back here afterwards; a POST is not replayed, so it returns to the dashboard.
    if request.method == "GET":
        welcome += "?" + urlencode({"next": request.get_full_path()})
    return redirect(welcome)


def signed_in(view: SignedInView[P]) -> PageView[P]:
    """Workspace pages: signed in, and the factory or streamer profile completed first. A new user
    is led to the first-run page (and back here afterwards) instead of meeting half-working pages.

    An organization member acting for a streamer (acting.py) works here as the streamer's account:
    `request.user` is the streamer's for the whole view, as on the API, so every selector and
    service call is the streamer's without a parameter of its own; `acting.person` is who is signed
    in. The streamer has a profile, so the member needs none of their own for these pages."""

    @wraps(view)
    def gate(request: SignedInRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        current = acting(request)
        if current is not None:
            request.user = current.streamer.user
        elif acting_ended(request) and request.method == "POST":
            # A form made for the streamer the person no longer acts for: done as the person
            # instead it would order, pay or write in their own name. The message says why.
            return redirect("frontend:dashboard")
        elif not profile_done(request):
            return _to_welcome(request)
        return view(request, *args, **kwargs)

    return account_required(gate)


def signed_in_as_self(view: SignedInView[P]) -> PageView[P]:
    """The person's own pages (their inbox, a report they file): the gate of `signed_in`, but the
    page is always the signed-in person's, whomever the header's switcher acts for."""

    @wraps(view)
    def gate(request: SignedInRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if acting(request) is None and not profile_done(request):
            return _to_welcome(request)
        return view(request, *args, **kwargs)

    return account_required(gate)


@dataclass
class Outcome:
    ok: bool
    result: Any = None


def service_call(request: HttpRequest, call: Callable[[], Any], *, success: str | None = None) -> Outcome:
    """Run one service call. ValidationError / TransitionNotAllowed / NotAllowed carry a message a
    person can act on (the API returns the same text as 400 / 409 / 403); show it and change nothing."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return Outcome(False)
    except (TransitionNotAllowed, NotAllowed, TooManyRequests) as exc:
        messages.error(request, str(exc.message))
        return Outcome(False)
    except stripe.StripeError:
        messages.error(
            request, _("The payment service is unavailable right now; please try again in a moment.")
        )
        return Outcome(False)
    if success:
        messages.success(request, success)
    return Outcome(True, result)


def form_refused(request: HttpRequest, form: forms.BaseForm) -> None:
    for line in form_error_messages(form):
        messages.error(request, line)


@dataclass(frozen=True)
class Action:
    """A button on a detail page: its label, the form it needs (if any), and the service it calls."""

    label: Any
    call: Callable[..., Any]  # (obj, user, cleaned_data) -> result
    done: Any  # success message
    form: type[forms.Form] | None = None
    style: str = ""  # "danger" for the buttons that end a deal
    confirm: Any = None  # asked before submitting: steps that cannot be undone or commit money


def action_buttons(
    table: FlowTable,
    actions: dict[str, Action],
    obj: Model,
    user: User,
    bound: dict[str, forms.Form] | None = None,
) -> list[dict[str, Any]]:
    """The detail page's buttons (what `allowed_actions` lets this person do now that the page
    has a button for), each with its form when its action needs one: empty, or the one just
    refused (`bound`: name → form), so what the person typed is still there."""
    bound = bound or {}

    def form_of(name: str) -> forms.Form | None:
        form = actions[name].form
        if form is None:
            return None
        return bound.get(name) or form()

    return [
        {"name": n, "action": actions[n], "form": form_of(n)}
        for n in allowed_actions(table, obj, user)
        if n in actions
    ]


@dataclass(frozen=True)
class ActionRun:
    """What the POST of one button did: `ok`, and when it was refused, `bound` {name: the posted
    form} (its form, if it has one) for the page to show it again filled in."""

    ok: bool
    bound: dict[str, forms.Form] = field(default_factory=dict)


def run_action(
    request: SignedInRequest,
    obj: Model,
    actions: dict[str, Action],
    name: str,
    *,
    errors_beside_fields: bool = False,
) -> ActionRun:
    """POST of one button: validate its form, call its service; refusals become messages. A page
    that shows a refused form's errors beside its fields (`errors_beside_fields`: the tour pages)
    gets no message for them too; the service's refusals are messages either way."""
    spec = actions.get(name)
    if spec is None:
        messages.error(request, _("Unknown action."))
        return ActionRun(False)
    data: dict[str, Any] = {}
    form: forms.Form | None = None
    if spec.form is not None:
        form = spec.form(request.POST)
        if not form.is_valid():
            if not errors_beside_fields:
                form_refused(request, form)
            return ActionRun(False, {name: form})
        data = form.cleaned_data
    outcome = service_call(request, lambda: spec.call(obj, request.user, data), success=str(spec.done))
    return ActionRun(outcome.ok, {} if outcome.ok or form is None else {name: form})

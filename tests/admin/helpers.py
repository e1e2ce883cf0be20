from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from marketplace.core.events import events_for


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def staff_action_url(obj, name: str) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_staff_action", args=[obj.pk, name])


def run_action(
    client, model, action: str, objects, *, confirm: bool = True, address: str = "127.0.0.1", **form
):
    """POST a changelist action as the browser does.

    With `confirm`, the intermediate page is submitted with `form` and the redirect is followed;
    without it, the response is the intermediate page itself.
    """
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects]}
    if not confirm:
        return client.post(changelist_url(model), data, REMOTE_ADDR=address)
    return client.post(
        changelist_url(model), {**data, "apply": "yes", **form}, follow=True, REMOTE_ADDR=address
    )


def shown_messages(response) -> list[str]:
    """The messages rendered on the page the browser ends up on."""
    return [str(m) for m in response.context["messages"]]


def verbs(obj) -> list[str]:
    return list(events_for(obj).order_by("id").values_list("verb", flat=True))


def form_data(page, **changes) -> dict:
    """What the browser would post back for an unchanged form, plus `changes`."""
    forms = [page.context["adminform"].form]
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms.extend(formset.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, list):
                value = [getattr(v, "pk", v) for v in value]
            if value is None or value is False:
                continue  # what a browser does with an empty or unchecked field
            data[form.add_prefix(name)] = "on" if value is True else value
    data.update(changes)
    return {**data, "_save": "Save"}

"""Sign-up form. It parses what a person typed; the account rules (role, unique name and e-mail,
password strength) are user_register's, the same service the API's register endpoint calls."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Role

from .fields import TextField


class SignUpForm(forms.Form):
    # Only the two self-service roles are choices: a forged role=staff is "not one of the choices".
    role = forms.ChoiceField(
        label=_("I am"),
        choices=[
            (Role.FACTORY.value, _("A factory: I make products and want streamers to sell them")),
            (Role.BUYER.value, _("A streamer: I sell in live streams and look for factories")),
        ],
        widget=forms.RadioSelect,
    )
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = TextField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = TextField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {"username": d["username"], "password": d["password1"], "email": d["email"], "role": d["role"]}

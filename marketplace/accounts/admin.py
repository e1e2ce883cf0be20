"""Accounts in the admin. API keys are created through `api_key_create` so only the hash is stored;
the raw key is shown once, in the confirmation message, and can never be read again."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin import EventHistoryMixin

from .models import ApiKey, User
from .services import api_key_create


def admin_user(request: HttpRequest) -> User:
    """The person using the admin: the admin site lets signed-in staff in only, so the cast only
    drops AnonymousUser."""
    return cast(User, request.user)


# The mixin runs inside a ModelForm (cleaned_data, instance): say so to the type checker.
if TYPE_CHECKING:
    _FormBase = forms.ModelForm
else:
    _FormBase = object


class EmailUniqueIgnoringCase(_FormBase):
    """A form error instead of the database's refusal (a 500) when staff type an e-mail in use.

    The unique index on lower(email) stays the guard against races; this is the friendly answer.
    """

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data.get("email") or "")
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email


class UserCreationAdminForm(EmailUniqueIgnoringCase, AdminUserCreationForm):
    pass


class UserChangeAdminForm(EmailUniqueIgnoringCase, UserChangeForm):
    pass


@admin.register(User)
class UserAdmin(EventHistoryMixin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("username", "email", "role", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Marketplace"), {"fields": ("role", "event_history")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "role", "password1", "password2")}),
    )
    readonly_fields = ("event_history", "last_login", "date_joined")


@admin.register(ApiKey)
class ApiKeyAdmin(EventHistoryMixin, admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "read_only", "created_at", "last_used_at", "revoked_at")
    list_filter = ("read_only", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "event_history")

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("user", "name", "read_only")
        return (
            "user",
            "name",
            "read_only",
            "prefix",
            "created_at",
            "last_used_at",
            "revoked_at",
            "event_history",
        )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str] | tuple[str, ...]:
        if obj is None:
            return ()
        # The owner of an existing key never changes: the hash was issued to them.
        return (*self.readonly_fields, "user")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = api_key_create(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            actor=admin_user(request),
        )
        # The admin continues with `obj` (log entry, redirect), so it must become the created row.
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = key.pk, key.prefix, key.key_hash, key.created_at
        messages.warning(
            request,
            gettext("Copy this API key now; it will not be shown again: %(key)s") % {"key": raw},
        )

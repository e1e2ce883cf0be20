from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from marketplace.accounts.models import Role


class IsFactoryUser(permissions.BasePermission):
    message = _("Only factory accounts can do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.FACTORY)


class IsBuyerUser(permissions.BasePermission):
    message = _("Only streamer (buyer) accounts can do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.BUYER)


class IsStaffUser(permissions.BasePermission):
    message = _("Only staff can do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff_member)

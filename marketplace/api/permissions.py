from typing import cast

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from marketplace.accounts.models import Role, User


def caller(request: Request) -> User:
    """The signed-in caller of a view whose permissions require authentication. Every
    authentication the API accepts (session, user key, a partner's key acting for a streamer)
    gives a User; the cast only drops AnonymousUser, which IsAuthenticated has already refused."""
    return cast(User, request.user)


def viewer(request: Request) -> User | None:
    """The caller of a view anybody may read: the signed-in User (as in caller), else None."""
    return request.user if request.user.is_authenticated else None


class IsFactoryUser(permissions.BasePermission):
    message = _("Only factory accounts can do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.FACTORY)


class IsBuyerUser(permissions.BasePermission):
    message = _("Only streamer (buyer) accounts can do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.BUYER)


class IsStaffUser(permissions.BasePermission):
    message = _("Only staff can do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff_member)

from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.models import User
from marketplace.api.permissions import caller

Obj = TypeVar("Obj", bound=Model)  # the object the action is about (a trial, a bulk order, …)
Result = TypeVar("Result", bound=Model)  # what the service returns (the object, or a payment)


class ActionApi(APIView, Generic[Obj, Result]):
    """One POST endpoint per transition (HackSoft style): find the object among those the caller
    may see (else 404), validate input, call one service, serialize the result."""

    permission_classes = [permissions.IsAuthenticated]
    input_serializer: type[serializers.Serializer] | None = None
    output_serializer: type[serializers.Serializer]  # each action's class names it
    status_code: int = status.HTTP_200_OK

    def visible(self, user: User) -> QuerySet[Obj]:
        raise NotImplementedError

    def perform(self, obj: Obj, user: User, data: dict[str, Any]) -> Result:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        user = caller(request)
        # Only "may the caller see it" (else 404): the service locks and re-reads the row with what
        # it needs. The selector's joins serve list and detail pages; here a trial's eight joins
        # cost PostgreSQL ~8 ms of planning per action, for columns nobody read.
        obj = get_object_or_404(self.visible(user).select_related(None).prefetch_related(None), pk=pk)
        data: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        result = self.perform(obj, user, data)
        return Response(self.output(result, request), status=self.status_code)

    def output(self, result: Result, request: Request) -> dict[str, Any]:
        return self.output_serializer(result, context={"request": request}).data

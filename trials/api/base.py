from django.shortcuts import get_object_or_404
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView


class ActionApi(APIView):
    """One POST endpoint per transition (HackSoft style): find the object among those the caller
    may see (else 404), validate input, call one service, serialize the result."""

    permission_classes = [permissions.IsAuthenticated]
    input_serializer: type[serializers.Serializer] | None = None
    output_serializer: type[serializers.Serializer] | None = None
    status_code: int = status.HTTP_200_OK

    def visible(self, user):
        raise NotImplementedError

    def perform(self, obj, user, data):
        raise NotImplementedError

    def post(self, request, pk):
        # Only "may the caller see it" (else 404): the service locks and re-reads the row with what
        # it needs. The selector's joins serve list and detail pages; here a trial's eight joins
        # cost PostgreSQL ~8 ms of planning per action, for columns nobody read.
        obj = get_object_or_404(self.visible(request.user).select_related(None).prefetch_related(None), pk=pk)
        data = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        result = self.perform(obj, request.user, data)
        return Response(self.output(result, request), status=self.status_code)

    def output(self, result, request):
        return self.output_serializer(result, context={"request": request}).data

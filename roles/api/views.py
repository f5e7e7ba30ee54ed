from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hmis_gov.api.viewsets import RestrictedModelViewSet
from roles.filtersets import RoleAssignmentFilterSet, RoleFilterSet, UserFilterSet
from roles.grants import can_assign
from roles.models import Role, RoleAssignment, User

from .serializers import (
    RoleAssignmentSerializer,
    RoleSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)


class TokenView(APIView):
    """Exchange a user name and password for an API token (``Authorization: Token <token>``)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get_authenticate_header(self, request) -> str:
        return "Token"  # so that a refused log-in answers 401, as for any other endpoint

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Passing the request lets django-axes count failures and lock the account out.
        user = authenticate(
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise AuthenticationFailed("Unable to log in with the user name and password given.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class UserViewSet(RestrictedModelViewSet):
    queryset = User.objects.select_related("coc", "agency")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    ordering_fields = ["username", "last_name", "last_login", "date_joined"]
    search_fields = ["username", "first_name", "last_name", "email"]

    def perform_destroy(self, instance) -> None:
        # Accounts are deactivated, never deleted: their history must stay attributable.
        instance.is_active = False
        instance.save()


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    """The role catalogue: the same for every CoC, readable by every signed-in user."""

    queryset = Role.objects.prefetch_related("responsibilities", "permissions", "assignable_by")
    serializer_class = RoleSerializer
    filterset_class = RoleFilterSet
    ordering_fields = ["order", "name"]
    search_fields = ["name", "key"]


class RoleAssignmentViewSet(RestrictedModelViewSet):
    queryset = RoleAssignment.objects.select_related("role", "user", "coc", "agency")
    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilterSet
    ordering_fields = ["starts_on", "ends_on", "created"]

    def extra_save_kwargs(self) -> dict:
        return {"assigned_by": self.request.user}

    def perform_destroy(self, instance) -> None:
        if not can_assign(self.request.user, instance.role, instance.scope):
            raise PermissionDenied(f"You may not remove this {instance.role} assignment.")
        instance.delete()

    @extend_schema(request=None, responses=RoleAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the assignment today: its access stops at once."""
        assignment = self.get_object()
        self.check_action(assignment, "change")
        if not can_assign(request.user, assignment.role, assignment.scope):
            raise PermissionDenied(f"You may not end this {assignment.role} assignment.")
        if assignment.is_active or assignment.starts_on > timezone.localdate():
            assignment.end()
        return Response(self.get_serializer(assignment).data)

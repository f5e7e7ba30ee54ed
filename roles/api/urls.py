from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("users", views.UserViewSet, basename="user")
router.register("roles", views.RoleViewSet, basename="role")
router.register("role-assignments", views.RoleAssignmentViewSet, basename="role-assignment")

urlpatterns = [path("auth/token/", views.TokenView.as_view(), name="auth-token"), *router.urls]

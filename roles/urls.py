from django.urls import path

from . import views
from .two_factor import TwoFactorView

app_name = "roles"

urlpatterns = [
    path("", views.UserListView.as_view(), name="user_list"),
    path("add/", views.UserCreateView.as_view(), name="user_add"),
    path("<int:pk>/", views.UserView.as_view(), name="user"),
    path("<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("roles/", views.RoleListView.as_view(), name="role_list"),
    path("assignments/", views.RoleAssignmentListView.as_view(), name="assignment_list"),
    path("assignments/add/", views.RoleAssignmentCreateView.as_view(), name="assignment_add"),
    path("assignments/<int:pk>/", views.RoleAssignmentView.as_view(), name="assignment"),
    path(
        "assignments/<int:pk>/edit/",
        views.RoleAssignmentEditView.as_view(),
        name="assignment_edit",
    ),
    path("assignments/<int:pk>/end/", views.RoleAssignmentEndView.as_view(), name="assignment_end"),
    path("who-does-what/", views.MyResponsibilitiesView.as_view(), name="my_responsibilities"),
    path("two-factor/", TwoFactorView.as_view(), name="two_factor"),
    path(
        "who-does-what/<int:pk>/",
        views.ResponsibilitiesView.as_view(),
        name="responsibilities",
    ),
]

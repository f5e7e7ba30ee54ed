from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic

from agencies.models import ContinuumOfCare
from hmis_gov import mixins
from roles.coverage import coverage_for
from roles.filtersets import RoleAssignmentFilterSet, UserFilterSet
from roles.forms import EndAssignmentForm, RoleAssignmentForm, UserForm
from roles.grants import can_assign
from roles.models import Role, RoleAssignment, User
from roles.querysets import may_anywhere
from roles.tables import RoleAssignmentTable, UserTable


class NextUrlMixin:
    """Return to ``?next=`` (a local URL only) after a successful form."""

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        return context


class UserListView(mixins.ObjectListView):
    model = User
    queryset = User.objects.select_related("coc", "agency")
    filterset_class = UserFilterSet
    table_class = UserTable
    add_url_name = "roles:user_add"


class UserView(mixins.ObjectDetailView):
    model = User
    queryset = User.objects.select_related("coc", "agency")
    template_name = "roles/user_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            RoleAssignment.objects.restrict(self.request.user)
            .filter(user=self.object)
            .select_related("role", "coc", "agency")
        )
        return context


class UserCreateView(NextUrlMixin, mixins.ObjectCreateView):
    model = User
    form_class = UserForm


class UserEditView(mixins.ObjectUpdateView):
    model = User
    form_class = UserForm


class RoleListView(LoginRequiredMixin, generic.ListView):
    """The role catalogue: the same for everybody, so nothing to restrict."""

    model = Role
    queryset = Role.objects.prefetch_related("responsibilities", "permissions", "assignable_by")
    template_name = "roles/role_list.html"


class RoleAssignmentListView(mixins.ObjectListView):
    model = RoleAssignment
    queryset = RoleAssignment.objects.select_related("user", "role", "coc", "agency", "assigned_by")
    filterset_class = RoleAssignmentFilterSet
    table_class = RoleAssignmentTable
    add_url_name = "roles:assignment_add"


class RoleAssignmentView(mixins.ObjectDetailView):
    model = RoleAssignment
    queryset = RoleAssignment.objects.select_related("user", "role", "coc", "agency", "assigned_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.history.select_related("history_user").order_by(
            "-history_date"
        )
        context["can_end"] = (
            context["can_change"]
            and can_assign(self.request.user, self.object.role, self.object.scope)
            and (self.object.ends_on is None or self.object.ends_on > timezone.localdate())
        )
        return context


class RoleAssignmentCreateView(NextUrlMixin, mixins.ObjectCreateView):
    model = RoleAssignment
    form_class = RoleAssignmentForm
    success_message = "Assigned: {obj}."

    def get_initial(self):
        initial = super().get_initial()
        for name in ("role", "coc", "agency", "user"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        if self.request.GET.get("role_key"):
            role = Role.objects.filter(key=self.request.GET["role_key"]).first()
            if role:
                initial["role"] = role.pk
        return initial


class RoleAssignmentEditView(mixins.ObjectUpdateView):
    model = RoleAssignment
    form_class = RoleAssignmentForm


class RoleAssignmentEndView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """End an assignment today: its access stops at once."""

    model = RoleAssignment
    action = "change"
    template_name = "roles/roleassignment_end.html"

    def get_object(self, queryset=None):
        assignment = super().get_object(queryset)
        if not can_assign(self.request.user, assignment.role, assignment.scope):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(f"You may not end this {assignment.role} assignment.")
        return assignment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = EndAssignmentForm()
        return context

    def post(self, request, *args, **kwargs):
        assignment = self.get_object()
        form = EndAssignmentForm(request.POST)
        form.is_valid()
        assignment.end(note=form.cleaned_data.get("note", ""))
        messages.success(request, f"Ended: {assignment}. Access stopped now.")
        return HttpResponseRedirect(assignment.get_absolute_url())


class ResponsibilitiesView(mixins.ObjectDetailView):
    """Who does what: every responsibility, the role that carries it, who holds it, the gaps."""

    model = ContinuumOfCare
    template_name = "roles/responsibilities.html"
    context_object_name = "coc"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["coverage"] = coverage_for(self.object, self.request.user)
        context["may_assign"] = may_anywhere(self.request.user, RoleAssignment, "add")
        return context


class MyResponsibilitiesView(LoginRequiredMixin, generic.View):
    """Who does what for the user's first CoC (the navigation's entry point)."""

    def get(self, request):
        coc = ContinuumOfCare.objects.restrict(request.user).order_by("code").first()
        if coc is None:
            messages.info(request, "You hold no role in any CoC yet.")
            return redirect("dashboard")
        return redirect("roles:responsibilities", pk=coc.pk)

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views import generic

from agencies.models import Agency, ContinuumOfCare
from roles.coverage import coverage_for
from roles.forms import LoginForm
from roles.models import RoleAssignment


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class DashboardView(LoginRequiredMixin, generic.TemplateView):
    """Home: your CoCs, your agencies, the roles you hold, and for CoC administrators the gaps."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        my_roles = list(
            RoleAssignment.objects.active()
            .filter(user=user)
            .select_related("role", "coc", "agency")
            .order_by("role__order")
        )
        cocs = list(ContinuumOfCare.objects.restrict(user).filter(is_active=True))
        context["my_roles"] = my_roles
        context["cocs"] = cocs
        context["agencies"] = (
            Agency.objects.restrict(user).filter(is_active=True).select_related("coc")[:25]
        )
        administered = {a.coc_id for a in my_roles if a.role.key == "coc_hmis_admin"}
        if user.is_superuser:
            administered = {coc.pk for coc in cocs}
        # The CoC dashboard's governance part (PRODUCT.md): policies past their review date.
        from governance.models import PolicyVersion

        context["overdue_reviews"] = (
            PolicyVersion.objects.restrict(user)
            .filter(policy__is_active=True, next_review_on__lt=timezone.localdate())
            .select_related("policy")
            .order_by("next_review_on")[:10]
        )
        context["coverages"] = [coverage_for(coc, user) for coc in cocs if coc.pk in administered]
        return context

"""Base pieces of every UI view: the restriction, lists, detail pages, edit forms.

Like the API's base viewset, every queryset a page shows goes through ``restrict(user, action)``:
objects outside the user's view answer 404; objects the user may see but not act on answer 403;
writes are re-checked after saving, inside the transaction.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from hmis_gov.exports import SafeTableExport
from hmis_gov.listcache import with_cached_count
from roles.querysets import METHOD_ACTIONS, may_anywhere


class RestrictedQuerysetMixin(LoginRequiredMixin):
    """``get_queryset`` keeps only what the user may see; ``action`` checks the rest."""

    restricted = True  # read by the self-check test that walks every URL
    model = None
    queryset = None
    action = None  # None: derived from the HTTP method

    def get_action(self) -> str:
        return self.action or METHOD_ACTIONS.get(self.request.method, "view")

    def get_base_queryset(self):
        if self.queryset is not None:
            return self.queryset.all()
        return self.model.objects.all()

    def get_queryset(self):
        return self.get_base_queryset().restrict(self.request.user, "view")

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)  # 404 outside the user's view
        action = self.get_action()
        if action != "view":
            self.check_action(obj, action)
        return obj

    def check_action(self, obj, action: str) -> None:
        model = obj.__class__
        if not model.objects.restrict(self.request.user, action).filter(pk=obj.pk).exists():
            raise PermissionDenied(
                f"You may see this {model._meta.verbose_name} but not {action} it."
            )


class ObjectListView(RestrictedQuerysetMixin, ExportMixin, SingleTableMixin, FilterView):
    """A paginated, filterable, sortable list with CSV/XLSX export, all restricted."""

    template_name = "generic/object_list.html"
    paginate_by = 50
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    filterset_class = None
    table_class = None
    add_url_name = None  # shown as "Add" when the user may add somewhere

    def paginate_queryset(self, queryset, page_size):
        """Leave the paging to the table (``paginate_by`` is its page size).

        ListView would page the queryset as well, and its paginator counts the rows a second
        time: one more ``COUNT(*)`` over the restricted set on every list page (400,000
        enrollments: about 150 ms each). The templates read ``table.paginator`` only; an
        out-of-range ``?page=`` shows the last page (django-tables2's ``RequestConfig``).
        """
        return None, None, queryset, False

    def get_table_data(self):
        # The table's paginator counts through the list-count cache (hmis_gov.listcache); the page's
        # rows and the exports read the live queryset.
        return with_cached_count(super().get_table_data())

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.model._meta.verbose_name_plural.replace(' ', '-')}.{export_format}"

    def can_add(self) -> bool:
        return self.add_url_name is not None and may_anywhere(self.request.user, self.model, "add")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["model_meta"] = self.model._meta
        context["add_url_name"] = self.add_url_name if self.can_add() else None
        return context


class ObjectDetailView(RestrictedQuerysetMixin, generic.DetailView):
    """One object, restricted; templates are ``<app>/<model>_detail.html``."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["can_change"] = (
            obj.__class__.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        )
        return context


class RestrictedFormMixin:
    """Hands the user to the form, which restricts its choices, and re-checks after saving."""

    template_name = "generic/object_form.html"
    success_message = "Saved {obj}."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["model_meta"] = self.model._meta
        return context

    def form_valid(self, form):
        action = "add" if form.instance.pk is None else "change"
        with transaction.atomic():
            self.object = form.save()
            model = self.object.__class__
            allowed = model.objects.restrict(self.request.user, action).filter(pk=self.object.pk)
            if not allowed.exists():
                transaction.set_rollback(True)
                form.add_error(
                    None,
                    f"You may not {action} a {model._meta.verbose_name} there: choose a scope "
                    "you manage.",
                )
                return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(obj=self.object))
        return HttpResponseRedirect(self.get_success_url())


class ObjectCreateView(RestrictedQuerysetMixin, RestrictedFormMixin, generic.CreateView):
    action = "add"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_anywhere(request.user, self.model, "add"):
            raise PermissionDenied(f"You may not add {self.model._meta.verbose_name_plural}.")
        return super().dispatch(request, *args, **kwargs)


class ObjectUpdateView(RestrictedQuerysetMixin, RestrictedFormMixin, generic.UpdateView):
    action = "change"


class ObjectDeactivateView(RestrictedQuerysetMixin, generic.DetailView):
    """Confirm, then set ``is_active`` to false: setup records are retired, never deleted."""

    action = "delete"
    template_name = "generic/confirm_deactivate.html"

    def get_object(self, queryset=None):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_action(obj, "delete")
        return obj

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        obj.is_active = False
        obj.save()
        messages.success(request, f"Deactivated {obj}.")
        return HttpResponseRedirect(obj.get_absolute_url())

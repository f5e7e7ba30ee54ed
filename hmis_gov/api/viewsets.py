"""The base API viewset: every queryset goes through ``restrict(user, action)``.

Objects outside the caller's view answer 404. Objects the caller may see but not act on answer
403, with a message. Writes are re-checked after saving, inside the transaction, so that no
request can create an object in, or move one into, a scope the caller does not hold.
"""

from django.db import transaction
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from roles.querysets import METHOD_ACTIONS


class RestrictedViewSetMixin:
    """Restricts the queryset per HTTP method; see the module docstring."""

    restricted = True  # read by the self-check test that walks every URL

    def request_action(self) -> str:
        return METHOD_ACTIONS.get(self.request.method, "view")

    def get_queryset(self):
        # Lists and lookups both start from what the caller may see.
        return super().get_queryset().restrict(self.request.user, "view")

    def filter_queryset(self, queryset):
        # A lookup by id with no query string: the filter backends would build the FilterSet
        # and its form (choice fields read their querysets) only to filter nothing, a third of
        # a detail request's time. With a query string they run as DRF's get_object expects
        # (``/flags/7/?status=resolved`` answers 404 when flag 7 is open).
        if self.lookup_url_kwarg_present() and not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def lookup_url_kwarg_present(self) -> bool:
        return (self.lookup_url_kwarg or self.lookup_field) in self.kwargs

    def get_object(self):
        obj = super().get_object()  # 404 outside the caller's view
        action = self.request_action()
        if action != "view":
            self.check_action(obj, action)
        return obj

    def check_action(self, obj, action: str) -> None:
        model = obj.__class__
        if not model.objects.restrict(self.request.user, action).filter(pk=obj.pk).exists():
            raise PermissionDenied(
                f"You may see this {model._meta.verbose_name} but not {action} it."
            )

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save(**self.extra_save_kwargs())
            self.check_saved(obj, "add")

    def perform_update(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            self.check_saved(obj, "change")

    def extra_save_kwargs(self) -> dict:
        return {}

    def check_saved(self, obj, action: str) -> None:
        """Refuse (and roll back) a write whose result lies outside the caller's scope."""
        model = obj.__class__
        if not model.objects.restrict(self.request.user, action).filter(pk=obj.pk).exists():
            raise PermissionDenied(
                f"You may not {action} a {model._meta.verbose_name} in that scope."
            )


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass


class RestrictedReadOnlyModelViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class DeactivateOnDestroyMixin:
    """DELETE deactivates: HMIS setup records are never removed, only retired."""

    def perform_destroy(self, instance) -> None:
        instance.is_active = False
        instance.save(update_fields=["is_active", "updated"])

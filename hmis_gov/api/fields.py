from rest_framework import serializers


class RestrictedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key resolved through the restriction: an id the caller may not see is invalid.

    The error is the same as for an id that does not exist, so it leaks nothing.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return queryset.restrict(request.user, "view")

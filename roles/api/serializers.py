from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from agencies.models import Agency, ContinuumOfCare
from hmis_gov.api.fields import RestrictedPrimaryKeyRelatedField
from roles.grants import can_assign
from roles.models import Responsibility, Role, RoleAssignment, User


class UserSerializer(serializers.ModelSerializer):
    coc = RestrictedPrimaryKeyRelatedField(
        queryset=ContinuumOfCare.objects.all(), allow_null=True, required=False
    )
    agency = RestrictedPrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        style={"input_type": "password"},
        help_text="Optional; checked against the password rules. Without it the person sets one "
        "through a reset.",
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "coc",
            "agency",
            "job_title",
            "phone",
            "is_active",
            "last_login",
            "date_joined",
            "password",
        ]
        read_only_fields = ["last_login", "date_joined"]

    def validate(self, attrs):
        if not attrs.get("coc") and not attrs.get("agency") and not self.instance:
            raise serializers.ValidationError(
                {"agency": ["Choose the agency (or, for CoC staff, the CoC) the person works for."]}
            )
        password = attrs.get("password")
        if password:
            candidate = User(username=attrs.get("username", getattr(self.instance, "username", "")))
            try:
                validate_password(password, candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs

    def create(self, validated_data):
        password = validated_data.pop("password", None)
        user = User(**validated_data)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user

    def update(self, instance, validated_data):
        password = validated_data.pop("password", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        if password:
            instance.set_password(password)
        instance.save()
        return instance


class ResponsibilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Responsibility
        fields = ["key", "text"]


class RoleSerializer(serializers.ModelSerializer):
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    permissions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="codename")
    assignable_by = serializers.SlugRelatedField(many=True, read_only=True, slug_field="key")

    class Meta:
        model = Role
        fields = [
            "id",
            "key",
            "name",
            "scope_type",
            "description",
            "responsibilities",
            "permissions",
            "assignable_by",
        ]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = RestrictedPrimaryKeyRelatedField(queryset=User.objects.all())
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all())
    role_key = serializers.CharField(source="role.key", read_only=True)
    coc = RestrictedPrimaryKeyRelatedField(
        queryset=ContinuumOfCare.objects.all(), allow_null=True, required=False
    )
    agency = RestrictedPrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    assigned_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "role",
            "role_key",
            "coc",
            "agency",
            "starts_on",
            "ends_on",
            "assigned_by",
            "note",
            "is_active",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]

    def validate(self, attrs):
        def current(name):
            return attrs.get(name, getattr(self.instance, name, None))

        assignment = RoleAssignment(
            user=current("user"),
            role=current("role"),
            coc=current("coc"),
            agency=current("agency"),
            starts_on=current("starts_on") or timezone.localdate(),
            ends_on=current("ends_on"),
        )
        try:
            assignment.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        request = self.context["request"]
        if not can_assign(request.user, assignment.role, assignment.scope):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied(f"You may not assign the role {assignment.role} there.")
        if self.instance is not None and not can_assign(
            request.user, self.instance.role, self.instance.scope
        ):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied(f"You may not change this {self.instance.role} assignment.")
        return attrs


class HolderSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="pk")
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.display_name")
    user_is_active = serializers.BooleanField(source="user.is_active")
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    agency_name = serializers.CharField(source="agency.name", allow_null=True, default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class RoleCoverageSerializer(serializers.Serializer):
    role = serializers.CharField(source="role.key")
    role_name = serializers.CharField(source="role.name")
    scope_type = serializers.CharField(source="role.scope_type")
    responsibilities = ResponsibilitySerializer(many=True)
    holders = HolderSerializer(many=True)


class GapSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    assignment = serializers.IntegerField(source="assignment_id", allow_null=True)


class CoverageSerializer(serializers.Serializer):
    coc = serializers.IntegerField(source="coc.pk")
    coc_code = serializers.CharField(source="coc.code")
    on = serializers.DateField()
    roles = RoleCoverageSerializer(many=True)
    gaps = GapSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()

"""factory_boy factories for the tenant models."""

import datetime

import factory
from factory.django import DjangoModelFactory

from agencies.models import Agency, ContinuumOfCare, Project
from hmis.codes import HMISParticipationType, ProjectType
from roles.models import Role, RoleAssignment, User

PASSWORD = "factory-pass-2026"


class ContinuumOfCareFactory(DjangoModelFactory):
    class Meta:
        model = ContinuumOfCare
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ZZ-{600 + n:03d}")
    name = factory.LazyAttribute(lambda o: f"{o.code} Test CoC")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    coc = factory.SubFactory(ContinuumOfCareFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    hud_organization_id = factory.Sequence(lambda n: f"ORG{n}")
    participation_status = HMISParticipationType.HMIS_PARTICIPATING
    joined_on = datetime.date(2024, 1, 1)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Test Project {n}")
    hud_project_id = factory.Sequence(lambda n: f"PRJ{n}")
    project_type = ProjectType.ES_ENTRY_EXIT
    operating_start = datetime.date(2024, 1, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class RoleAssignmentFactory(DjangoModelFactory):
    """``role`` is a role key; the scope follows the role (``coc`` or ``agency``)."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "agency_program_staff"
    starts_on = datetime.date(2024, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if isinstance(kwargs.get("role"), str):
            kwargs["role"] = Role.objects.get(key=kwargs["role"])
        return super()._create(model_class, *args, **kwargs)


def grant(user: User, role_key: str, scope, **kwargs) -> RoleAssignment:
    """Give ``user`` the role on ``scope`` (a CoC or an agency), starting in the past."""
    scope_kwarg = "coc" if isinstance(scope, ContinuumOfCare) else "agency"
    return RoleAssignmentFactory(user=user, role=role_key, **{scope_kwarg: scope}, **kwargs)

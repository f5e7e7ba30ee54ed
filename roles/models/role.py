from django.contrib.auth.models import Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeType(models.TextChoices):
    COC = "coc", _("Continuum of Care")
    AGENCY = "agency", _("Agency")


class Role(models.Model):
    """A role of the HMIS community (one row group of the seed's who-does-what matrix).

    The catalogue is data, kept by migrations from ``roles.catalogue``; it is the same in every
    installation so that REST clients can rely on the ``key``.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    scope_type = models.CharField(_("held on"), max_length=10, choices=ScopeType.choices)
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(default=0)
    permissions = models.ManyToManyField(
        Permission,
        verbose_name=_("permissions"),
        blank=True,
        help_text=_("Object permissions granted on the scope while the role is held."),
    )
    assignable_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="can_assign",
        verbose_name=_("assignable by"),
        help_text=_("Holders of these roles (on the same scope or its CoC) may assign this role."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Responsibility(models.Model):
    """One duty of a role, in our own words, from the seed's matrix."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="responsibilities")
    key = models.CharField(_("key"), max_length=80, unique=True)
    text = models.CharField(_("responsibility"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["role__order", "order"]

    def __str__(self) -> str:
        return self.text

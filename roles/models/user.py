from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction


class RestrictedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """One person, one account (HUD: unique user names, no shared logins).

    ``coc`` and ``agency`` say whose staff the person is: they decide who may manage the account
    (the agency HMIS administrator is the authorized agent for the agency's accounts).
    """

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        verbose_name=_("CoC"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Leave empty for CoC staff, vendors and committee members."),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = RestrictedUserManager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("manage_users", "manage_users"),
            "change": ("manage_users", "manage_users"),
            "delete": ("manage_users", "manage_users"),
        },
        self_lookup="pk",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def save(self, *args, **kwargs) -> None:
        # Agency staff always belong to their agency's CoC.
        if self.agency_id:
            self.coc_id = self.agency.coc_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roles:user", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

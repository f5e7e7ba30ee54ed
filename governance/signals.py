"""Keep accounts in step with roles and training as they change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from governance.models import AccountRequest, Certificate
from roles.models import RoleAssignment


@receiver(post_save, sender=RoleAssignment)
def role_saved(sender, instance: RoleAssignment, **kwargs) -> None:
    # "An account is deactivated when its last role ends": checked when an assignment is ended;
    # the hourly sync catches assignments that end by date.
    from governance.accounts import deactivate_users_without_roles

    deactivate_users_without_roles([instance.user_id])


@receiver(post_delete, sender=RoleAssignment)
def role_deleted(sender, instance: RoleAssignment, **kwargs) -> None:
    # Removing the last role ends it too, even if no other (ended) assignment remains.
    from governance.accounts import deactivate_users_without_roles

    deactivate_users_without_roles([instance.user_id], include_roleless=True)


@receiver(post_save, sender=Certificate)
def certificate_recorded(sender, instance: Certificate, **kwargs) -> None:
    from governance.accounts import refresh_account

    refresh_account(instance.user)


@receiver(post_save, sender=AccountRequest)
def account_request_saved(sender, instance: AccountRequest, **kwargs) -> None:
    if instance.user_id and instance.status == AccountRequest.Status.APPROVED:
        from governance.accounts import refresh_account

        refresh_account(instance.user)

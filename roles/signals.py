"""Grant and revoke object permissions whenever an assignment or a user's status changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from roles.models import RoleAssignment, User


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def assignment_changed(sender, instance: RoleAssignment, **kwargs) -> None:
    from roles.grants import sync_permissions

    sync_permissions([instance.user_id])


@receiver(post_save, sender=User)
def user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    # A deactivated account keeps no object permissions; a reactivated one gets them back.
    if created or (update_fields is not None and "is_active" not in update_fields):
        return
    from roles.grants import sync_permissions

    sync_permissions([instance.pk])

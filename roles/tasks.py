from celery import shared_task


@shared_task
def sync_role_assignments() -> int:
    """Apply assignments that started or ended since the last run (scheduled hourly)."""
    from roles.grants import sync_permissions

    return sync_permissions()

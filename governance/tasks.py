"""Governance background tasks: thin wrappers around recorded runners."""

from celery import shared_task


@shared_task
def send_agreement_reminders() -> int:
    """Daily: reminders 60 and 30 days before an agreement expires."""
    from governance.reminders import send_expiry_reminders
    from governance.runs import run_recorded

    def job(run):
        sent = send_expiry_reminders()
        return ", ".join(f"{n} reminder(s) {d} days before expiry" for d, n in sent.items())

    return run_recorded("send_agreement_reminders", job).pk


@shared_task
def sync_accounts() -> int:
    """Hourly: deactivate accounts whose last role ended today (by its end date)."""
    from governance.accounts import deactivate_users_without_roles
    from governance.runs import run_recorded

    def job(run):
        return f"{deactivate_users_without_roles()} account(s) deactivated: last role ended"

    return run_recorded("sync_accounts", job).pk

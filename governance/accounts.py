"""User-account rules: the gate on agreement and training, activation, deactivation, flags.

- An agency without a current participation agreement gets no new accounts.
- An approved account stays inactive until the person holds a current certificate for every
  course kind in ``Course.REQUIRED_FOR_ACCESS`` and the user agreement is signed.
- An account is deactivated when its last role ends.
- Accounts without a log-in for 90 days are flagged; administrators disable them in bulk.
- Every account is recertified once a year.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from governance.models import (
    AccountRecertification,
    AccountRequest,
    Agreement,
    Certificate,
    Course,
)
from roles.models import RoleAssignment, User

INACTIVITY_DAYS = 90
RECERTIFY_DAYS = 365


def has_current_participation_agreement(agency, on: datetime.date | None = None) -> bool:
    return (
        Agreement.objects.current(on)
        .filter(agency=agency, kind=Agreement.Kind.PARTICIPATION)
        .exists()
    )


def check_agency_may_get_accounts(agency) -> None:
    """Raise, with what to do, when the agency may not be given new accounts."""
    if not has_current_participation_agreement(agency):
        raise ValidationError(
            f"{agency} has no current HMIS participation agreement, so it cannot be given new "
            "accounts. The agency executive and the CoC governance administrator must execute "
            "(or renew) the agreement first."
        )


def missing_requirements(user, on: datetime.date | None = None) -> list[str]:
    """What still stands between an approved person and an active account (empty: nothing)."""
    on = on or timezone.localdate()
    missing = []
    current = set(
        Certificate.objects.current(on)
        .filter(user=user, course__kind__in=Course.REQUIRED_FOR_ACCESS)
        .values_list("course__kind", flat=True)
    )
    for kind in Course.REQUIRED_FOR_ACCESS:
        if kind not in current:
            missing.append(f"{Course.Kind(kind).label} not completed")
    request = AccountRequest.objects.filter(user=user).first()
    if request is not None and request.user_agreement_signed_on is None:
        missing.append("User agreement not signed")
    return missing


@transaction.atomic
def approve(request: AccountRequest, approver, password: str = "", note: str = "") -> User:
    """Create the account (inactive) and its role; activate at once if already eligible."""
    if request.status != AccountRequest.Status.REQUESTED:
        raise ValidationError(f"This request is already {request.get_status_display()}.")
    check_agency_may_get_accounts(request.agency)
    if User.objects.filter(username__iexact=request.username).exists():
        raise ValidationError(
            f"The user name {request.username!r} is taken; edit the request to choose another."
        )
    user = User(
        username=request.username,
        first_name=request.first_name,
        last_name=request.last_name,
        email=request.email,
        job_title=request.job_title,
        agency=request.agency,
        is_active=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(
        user=user,
        role=request.role,
        agency=request.agency,
        starts_on=timezone.localdate(),
        assigned_by=approver,
        note=f"Account request #{request.pk}",
    )
    # Claim: only one approver wins if two click at once.
    claimed = AccountRequest.objects.filter(
        pk=request.pk, status=AccountRequest.Status.REQUESTED
    ).update(
        status=AccountRequest.Status.APPROVED,
        decided_by=approver,
        decided_on=timezone.now(),
        decision_note=note,
        user=user,
    )
    if claimed != 1:
        raise ValidationError("Somebody else decided this request a moment ago.")
    request.refresh_from_db()
    refresh_account(user)
    return user


def reject(request: AccountRequest, approver, note: str) -> None:
    if request.status != AccountRequest.Status.REQUESTED:
        raise ValidationError(f"This request is already {request.get_status_display()}.")
    request.status = AccountRequest.Status.REJECTED
    request.decided_by = approver
    request.decided_on = timezone.now()
    request.decision_note = note
    request.save()


def refresh_account(user) -> bool:
    """Activate an approved, inactive account once nothing is missing; returns True if done."""
    request = AccountRequest.objects.filter(
        user=user, status=AccountRequest.Status.APPROVED
    ).first()
    if request is None or user.is_active or missing_requirements(user):
        return False
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])  # roles' signal grants the role's permissions
        AccountRequest.objects.filter(pk=request.pk).update(
            status=AccountRequest.Status.ACTIVE, activated_on=timezone.now()
        )
    return True


def deactivate_users_without_roles(
    user_ids: list[int] | None = None, include_roleless: bool = False
) -> int:
    """Deactivate active accounts whose last role has ended; returns how many.

    A role has ended when its ``ends_on`` is today or past; a role that starts in the future
    has not ended. Only people who held a role count, unless ``include_roleless`` (used when
    an assignment is deleted): a person who never had one (a new hire) is left alone.
    Superusers are never touched. One UPDATE for everybody.
    """
    today = timezone.localdate()
    not_ended = RoleAssignment.objects.filter(user=OuterRef("pk")).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    candidates = User.objects.filter(is_active=True, is_superuser=False).filter(~Exists(not_ended))
    if not include_roleless:
        candidates = candidates.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))
    if user_ids is not None:
        candidates = candidates.filter(pk__in=user_ids)
    ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        return 0
    changed = User.objects.filter(pk__in=ids, is_active=True).update(is_active=False)
    from roles.grants import sync_permissions

    sync_permissions(ids)  # a deactivated account keeps no object permissions
    return changed


def inactive_logins(queryset: QuerySet, on: datetime.datetime | None = None) -> QuerySet:
    """Active accounts without a log-in for ``INACTIVITY_DAYS`` (never: counted from joining)."""
    cutoff = (on or timezone.now()) - datetime.timedelta(days=INACTIVITY_DAYS)
    return queryset.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


def bulk_disable(actor, user_ids: list[int]) -> int:
    """Disable the given accounts that ``actor`` may change; returns how many."""
    allowed = User.objects.restrict(actor, "change").filter(pk__in=user_ids, is_superuser=False)
    ids = list(allowed.exclude(pk=actor.pk).values_list("pk", flat=True))
    changed = User.objects.filter(pk__in=ids, is_active=True).update(is_active=False)
    from roles.grants import sync_permissions

    if ids:
        sync_permissions(ids)
    return changed


def with_recertification(queryset: QuerySet) -> QuerySet:
    """Annotate ``last_recertified`` on a user queryset (one query, no loop)."""
    return queryset.annotate(last_recertified=Max("recertifications__recertified_on"))


def recertification_due(queryset: QuerySet, on: datetime.date | None = None) -> QuerySet:
    """Active accounts not recertified (or, if never, not created) within a year."""
    on = on or timezone.localdate()
    cutoff = on - datetime.timedelta(days=RECERTIFY_DAYS)
    recent = AccountRecertification.objects.filter(
        user=OuterRef("pk"), recertified_on__gt=cutoff, keep=True
    )
    return (
        with_recertification(queryset)
        .filter(is_active=True, is_superuser=False, date_joined__date__lte=cutoff)
        .exclude(Exists(recent))
    )


@transaction.atomic
def recertify(actor, user, keep: bool, note: str = "") -> AccountRecertification:
    """Record the yearly decision; ``keep=False`` disables the account."""
    record = AccountRecertification.objects.create(
        user=user,
        agency=user.agency,
        coc_id=user.coc_id,
        recertified_by=actor,
        keep=keep,
        note=note,
    )
    if not keep and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return record

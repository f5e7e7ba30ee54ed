"""Governance demo data for XX-500 (and a little for XX-501), loaded by ``manage.py load_demo``.

Chosen so that the compliance grid shows real passes and gaps: Agency A meets every duty it can,
Agency B's agreement expires within 60 days and its executive lacks a training, Agency C has no
HMIS administrator and an expired agreement. Dates are relative to today so the picture stays
the same whenever the demo is loaded. Idempotent: natural keys are looked up first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, ContinuumOfCare
from governance.models import (
    AccountRequest,
    ActionItem,
    Agreement,
    Certificate,
    Committee,
    Course,
    Meeting,
    OutreachNote,
    PerformanceGoal,
    PerformanceResult,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
    Ticket,
    TrainingSession,
    VendorCheck,
)
from roles.models import Role, User

D = datetime.timedelta


def _people() -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


@transaction.atomic
def load(stdout=None, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    try:
        coc = ContinuumOfCare.objects.get(code="XX-500")
    except ContinuumOfCare.DoesNotExist:
        if stdout:
            stdout.write("Governance demo skipped: load the demo CoCs first.")
        return {}
    agencies = {a.hud_organization_id: a for a in Agency.objects.all()}
    people = _people()
    gov, admin = people.get("governance"), people.get("cocadmin")
    counts: dict[str, int] = {}

    def made(kind: str, created: bool) -> None:
        counts[kind] = counts.get(kind, 0) + int(created)

    # --- Agreements: A current, B expiring in 45 days, C expired, X current --------------------
    for org, executed, expires, agent in [
        ("A", today - D(days=200), today + D(days=530), "director_a"),
        ("B", today - D(days=685), today + D(days=45), "director_b"),
        ("C", today - D(days=800), today - D(days=70), "director_c"),
        ("X", today - D(days=100), today + D(days=630), None),
    ]:
        agency = agencies[org]
        _, created = Agreement.objects.get_or_create(
            agency=agency,
            kind=Agreement.Kind.PARTICIPATION,
            defaults={
                "coc": agency.coc,
                "title": f"HMIS participation agreement — {agency.name.split(' — ')[0]}",
                "authorizing_agent": people.get(agent) if agent else None,
                "agency_signed_on": executed - D(days=3),
                "signatory": gov if agency.coc_id == coc.pk else people.get("cocadmin2"),
                "executed_on": executed,
                "expires_on": expires,
            },
        )
        made("agreements", created)
    _, created = Agreement.objects.get_or_create(
        agency=agencies["A"],
        kind=Agreement.Kind.DATA_SHARING,
        defaults={
            "coc": coc,
            "title": "Coordinated entry data-sharing MOU — Agency A",
            "authorizing_agent": people.get("director_a"),
            "agency_signed_on": today - D(days=120),
            "signatory": gov,
            "executed_on": today - D(days=118),
            "expires_on": today + D(days=610),
        },
    )
    made("agreements", created)

    # --- Policies: one review overdue, the Data Quality Plan current ----------------------------
    policies = [
        ("policies_procedures", "HMIS Policies and Procedures", "2.0", 400, today - D(days=35)),
        ("data_quality_plan", "Data Quality Plan", "1.1", 90, today + D(days=275)),
        ("privacy", "HMIS Privacy Plan", "1.0", 300, today + D(days=65)),
        ("security", "HMIS Security Plan", "1.0", 300, today + D(days=65)),
        ("performance_plan", "Performance Management Plan", "2026", 60, today + D(days=305)),
        ("user_agreement", "End-user agreement", "3.0", 500, today + D(days=200)),
    ]
    versions = {}
    for kind, title, version, age, review in policies:
        policy, created = Policy.objects.get_or_create(
            coc=coc, kind=kind, title=title, defaults={"owner": gov}
        )
        made("policies", created)
        versions[kind], created = PolicyVersion.objects.get_or_create(
            policy=policy,
            version=version,
            defaults={
                "summary": "Adopted by the HMIS committee.",
                "body": f"{title}, version {version}. The full text is kept by the CoC.",
                "approved_by": gov,
                "approved_on": today - D(days=age + 5),
                "effective_on": today - D(days=age),
                "next_review_on": review,
            },
        )
        made("policy versions", created)
    for org in ("A", "B"):
        _, created = PolicyAcknowledgement.objects.get_or_create(
            version=versions["data_quality_plan"],
            agency=agencies[org],
            defaults={
                "acknowledged_by": people.get(f"director_{org.lower()}"),
                "acknowledged_on": today - D(days=60),
            },
        )
        made("acknowledgements", created)

    # --- Training: A fully trained, B's executive and C's staff due -----------------------------
    courses = {}
    for kind, title in [
        (Course.Kind.NEW_USER, "HMIS new-user training"),
        (Course.Kind.PRIVACY_SECURITY, "Privacy and security"),
        (Course.Kind.DATA_QUALITY, "Data quality essentials"),
    ]:
        courses[kind], created = Course.objects.get_or_create(
            coc=coc, kind=kind, defaults={"title": title, "valid_months": 12}
        )
        made("courses", created)
    sessions = {}
    for kind, course in courses.items():
        sessions[kind], created = TrainingSession.objects.get_or_create(
            course=course,
            held_on=today - D(days=100),
            defaults={"location": "County Human Services, room 2", "trainer": admin},
        )
        made("training sessions", created)
    trained = {
        "director_a": (Course.Kind.NEW_USER, Course.Kind.PRIVACY_SECURITY),
        "dqm_a": (Course.Kind.NEW_USER, Course.Kind.PRIVACY_SECURITY, Course.Kind.DATA_QUALITY),
        "staff_a": (Course.Kind.NEW_USER, Course.Kind.PRIVACY_SECURITY),
        "dqm_b": (Course.Kind.NEW_USER, Course.Kind.PRIVACY_SECURITY),
        "director_b": (Course.Kind.NEW_USER,),
    }
    for username, kinds in trained.items():
        if username not in people:
            continue
        for kind in kinds:
            _, created = Certificate.objects.get_or_create(
                user=people[username],
                course=courses[kind],
                issued_on=sessions[kind].held_on,
                defaults={"session": sessions[kind], "recorded_by": admin},
            )
            made("certificates", created)

    # --- An account request waiting for the CoC HMIS administrator ------------------------------
    _, created = AccountRequest.objects.get_or_create(
        username="jlee_a",
        defaults={
            "agency": agencies["A"],
            "requested_by": people.get("dqm_a"),
            "first_name": "Jordan",
            "last_name": "Lee",
            "email": "jlee_a@example.org",
            "job_title": "Outreach case manager",
            "role": Role.objects.get(key="agency_program_staff"),
            "justification": "New outreach worker starting next month.",
        },
    )
    made("account requests", created)

    # --- Helpdesk: one open, one overdue, one resolved ------------------------------------------
    now = timezone.now()
    for subject, priority, status, age_hours, opener in [
        ("Cannot export the APR CSV", "high", "open", 3, "dqm_a"),
        ("Duplicate client records after import", "urgent", "in_progress", 30, "dqm_b"),
        ("Password reset for a new case manager", "normal", "resolved", 200, "staff_a"),
    ]:
        user = people.get(opener)
        if user is None:
            continue
        ticket, created = Ticket.objects.get_or_create(
            coc=coc,
            subject=subject,
            defaults={
                "agency": user.agency,
                "opened_by": user,
                "description": f"{subject}. Reported through the demo.",
                "priority": priority,
                "status": status,
                "assignee": admin,
            },
        )
        if created:
            # Backdate so the SLA clock shows a real overdue ticket.
            opened = now - D(hours=age_hours)
            Ticket.objects.filter(pk=ticket.pk).update(
                created=opened,
                due_at=opened + D(hours={"urgent": 4, "high": 24, "normal": 72}[priority]),
            )
        made("tickets", created)

    # --- Committees, a meeting and its action items ---------------------------------------------
    committee, created = Committee.objects.get_or_create(
        coc=coc,
        kind=Committee.Kind.HMIS,
        defaults={"name": "HMIS committee", "chair": admin, "charge": "Runs the local HMIS."},
    )
    made("committees", created)
    if created:
        committee.members.set([p for k, p in people.items() if k in ("cocadmin", "dqm_a", "dqm_b")])
    _, created = Committee.objects.get_or_create(
        coc=coc,
        kind=Committee.Kind.PERFORMANCE,
        defaults={
            "name": "Performance management and evaluation committee",
            "chair": people.get("committee"),
            "charge": "Sets system goals and watches performance all year.",
        },
    )
    made("committees", created)
    meeting, created = Meeting.objects.get_or_create(
        committee=committee,
        held_on=today - D(days=40),
        defaults={
            "agenda": "1. Data Quality Plan benchmarks\n2. Agency C administrator\n3. Vendor",
            "minutes": "Quorum present. Benchmarks reviewed; Agency C has no HMIS administrator.",
            "decisions": "Keep the 95% completeness benchmark for 2026.",
        },
    )
    made("meetings", created)
    for description, owner, due, done in [
        ("Ask Agency C to designate an HMIS administrator", "cocadmin", -10, None),
        ("Circulate the updated Data Quality Plan", "governance", -20, -25),
        ("Schedule the vendor's quarterly review", "governance", 14, None),
    ]:
        _, created = ActionItem.objects.get_or_create(
            meeting=meeting,
            description=description,
            defaults={
                "owner": people.get(owner),
                "due_on": today + D(days=due),
                "done_on": today + D(days=done) if done is not None else None,
            },
        )
        made("action items", created)

    # --- Performance goals with six months of results -------------------------------------------
    goals = [
        ("spm1", Decimal("90"), "at_most", [104, 99, 97, 94, 92, 88]),
        ("spm7", Decimal("40"), "at_least", [33, 35, 36, 38, 37, 39]),
        ("dq_completeness", Decimal("95"), "at_least", [91, 92, 94, 95, 96, 96]),
    ]
    month_ends = []
    first = today.replace(day=1)
    for back in range(6, 0, -1):
        end = first
        for _ in range(back - 1):
            end = (end - D(days=1)).replace(day=1)
        month_ends.append(end - D(days=1))
    for measure, target, direction, values in goals:
        goal, created = PerformanceGoal.objects.get_or_create(
            coc=coc,
            measure=measure,
            year=today.year,
            defaults={"target": target, "direction": direction, "set_by": people.get("committee")},
        )
        made("performance goals", created)
        # Set-based: one query for what exists, one insert for what is missing.
        existing = set(goal.results.values_list("agency_id", "period_end"))
        missing = [
            PerformanceResult(
                goal=goal,
                agency=agency,
                period_end=end,
                value=Decimal(value + delta),
                source="demo",
            )
            for end, value in zip(month_ends, values, strict=True)
            for agency, delta in [(None, 0), (agencies["A"], 2), (agencies["B"], -3)]
            if (agency.pk if agency else None, end) not in existing
        ]
        PerformanceResult.objects.bulk_create(missing)
        counts["performance results"] = counts.get("performance results", 0) + len(missing)

    # --- Vendor oversight for this quarter ------------------------------------------------------
    period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    for source, requirement, result, evidence in [
        (
            "hud",
            "Collects every universal data element in the FY2026 data standards",
            "met",
            "Intake screens reviewed against the data dictionary.",
        ),
        (
            "hud",
            "Produces the HMIS CSV export in the current version",
            "met",
            "Export of the last month validated by the import.",
        ),
        ("privacy", "Locks accounts after five failed log-ins", "met", "Tested on the demo site."),
        (
            "privacy",
            "Encrypts backups at rest",
            "partial",
            "Encryption confirmed for database backups only; document storage pending.",
        ),
        (
            "local",
            "Answers urgent helpdesk tickets within 4 hours",
            "not_met",
            "One urgent ticket exceeded its SLA this quarter.",
        ),
    ]:
        _, created = VendorCheck.objects.get_or_create(
            coc=coc,
            period=period,
            requirement=requirement,
            defaults={
                "source": source,
                "result": result,
                "evidence": evidence,
                "evaluated_by": gov,
                "evaluated_on": today - D(days=5),
            },
        )
        made("vendor checks", created)

    # --- Outreach to the non-participating agency -----------------------------------------------
    _, created = OutreachNote.objects.get_or_create(
        agency=agencies["E"],
        contacted_on=today - D(days=21),
        defaults={
            "contacted_by": admin,
            "note": "Met the director; meal program serves people who are unsheltered.",
            "next_step": "Send the participation agreement and training dates",
            "next_step_on": today + D(days=10),
        },
    )
    made("outreach notes", created)
    counts["client consents"] = _consents(agencies, today)
    if stdout:
        summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "nothing new"
        stdout.write(f"Governance demo loaded (new: {summary}).")
    return counts


def _consents(agencies: dict, today: datetime.date) -> int:
    """Consents for the HMIS demo's clients (if that demo is loaded): every open client of
    Agency A has one (the duty passes), only every other client of Agency B (a gap)."""
    from django.db.models import Q

    from governance.models import ClientConsent
    from hmis.models import Enrollment

    created = 0
    for org, every in (("A", 1), ("B", 2)):
        agency = agencies[org]
        open_clients = sorted(
            set(
                Enrollment.objects.filter(agency=agency, date_deleted__isnull=True)
                .filter(Q(exit__isnull=True) | Q(exit__exit_date__gt=today))
                .values_list("client_id", flat=True)
            )
        )
        held = set(ClientConsent.objects.filter(agency=agency).values_list("client_id", flat=True))
        missing = [
            ClientConsent(
                client_id=client_id,
                coc_id=agency.coc_id,
                agency=agency,
                scope=ClientConsent.Scope.COC,
                signed_on=today - D(days=200),
                expires_on=today + D(days=165),
                note="Demo release of information.",
            )
            for n, client_id in enumerate(open_clients)
            if n % every == 0 and client_id not in held
        ]
        # Set-based; idempotent because clients already holding one are skipped.
        if held and every == 2:
            missing = []
        ClientConsent.objects.bulk_create(missing)
        created += len(missing)
    return created

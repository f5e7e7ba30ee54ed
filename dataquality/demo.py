"""Demo: a scan of XX-500 after the HMIS demo data, so dqm_a has an inbox and scorecards."""

from __future__ import annotations

from agencies.models import ContinuumOfCare


def load(stdout) -> None:
    """Idempotent: scans only when XX-500 has HMIS records and no finished scan yet."""
    from hmis.models import Enrollment

    from .models import Scan
    from .scans import plan_for, run_scan
    from .schedule import sync_nightly_scan

    coc = ContinuumOfCare.objects.filter(code="XX-500").first()
    if coc is None:
        return
    sync_nightly_scan(plan_for(coc.pk))
    if Scan.objects.filter(coc=coc, status=Scan.Status.SUCCEEDED).exists():
        return
    if not Enrollment.objects.filter(coc=coc).exists():
        stdout.write("dataquality: no HMIS records in XX-500 yet; no scan run\n")
        return
    from django.utils import timezone

    scan = Scan.objects.create(coc=coc, as_of=timezone.localdate(), trigger="demo")
    run_scan(scan.pk)
    scan.refresh_from_db()
    stdout.write(f"dataquality: scanned XX-500: {sum(scan.counts.values())} flags\n")

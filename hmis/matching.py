"""Cross-source client candidates: deterministic matches on keyed hashes, never merged.

Three rules, each an exact match of keyed hashes (``hmis.pii.match_key``) between clients of
two different sources in one CoC: same name and DOB; same full SSN (SSNDataQuality 1) and DOB;
same last four of the SSN and same name. Candidates wait for a person to review them.
"""

from __future__ import annotations

from django.db import connection

from hmis.models import Client, ClientCandidate, Source

# Per rule: the columns that must be equal (the join keys, so the planner can hash or merge
# them instead of nesting loops over clients × clients) and what each side must also satisfy.
RULES = {
    ClientCandidate.Rule.NAME_DOB: (
        ["match_name", "dob"],
        "{t}.match_name <> '' AND {t}.dob IS NOT NULL",
    ),
    ClientCandidate.Rule.SSN_DOB: (
        ["match_ssn", "dob"],
        "{t}.match_ssn <> '' AND {t}.ssn_data_quality = 1 AND {t}.dob IS NOT NULL",
    ),
    ClientCandidate.Rule.SSN4_NAME: (
        ["match_ssn4", "match_name"],
        "{t}.match_ssn4 <> '' AND {t}.match_name <> ''",
    ),
}


def find_candidates(source: Source) -> int:
    """Record new candidate pairs involving ``source``; returns how many were added.

    A pair is stored once, as (client of the lower source id, client of the higher one).
    """
    sid, coc = int(source.pk), int(source.coc_id)
    # Only pairs across sources can match: with no other source's clients in the CoC there is
    # nothing to look for (the common case of a CoC's first or only source).
    if not Client.objects.filter(coc_id=coc).exclude(source_id=sid).exists():
        return 0
    added = 0
    with connection.cursor() as cursor:
        for rule, (keys, wanted) in RULES.items():
            equal = " AND ".join(f"o.{k} = n.{k}" for k in keys)
            cursor.execute(
                "INSERT INTO hmis_clientcandidate (coc_id, client_id, other_id, rule, status, "
                "created) SELECT DISTINCT %s, "
                "CASE WHEN n.source_id < o.source_id THEN n.id ELSE o.id END, "
                "CASE WHEN n.source_id < o.source_id THEN o.id ELSE n.id END, "
                "%s, %s, CURRENT_TIMESTAMP "
                f"FROM hmis_client n JOIN hmis_client o ON o.coc_id = n.coc_id AND {equal} "
                f"WHERE n.coc_id = %s AND n.source_id = {sid} AND o.source_id <> {sid} "
                f"AND {wanted.format(t='n')} AND {wanted.format(t='o')} "
                "ON CONFLICT (client_id, other_id) DO NOTHING",
                [coc, rule.value, ClientCandidate.Status.PENDING, coc],
            )
            added += max(cursor.rowcount, 0)
    return added

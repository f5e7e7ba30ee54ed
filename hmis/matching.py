"""Cross-source client candidates: deterministic matches on keyed hashes, never merged.

Three rules, each an exact match of keyed hashes (``hmis.pii.match_key``) between clients of
two different sources in one CoC: same name and DOB; same full SSN (SSNDataQuality 1) and DOB;
same last four of the SSN and same name. Candidates wait for a person to review them.
"""

from __future__ import annotations

from django.db import connection

from hmis.models import ClientCandidate, Source

RULES = {
    ClientCandidate.Rule.NAME_DOB: "a.match_name <> '' AND a.match_name = b.match_name "
    "AND a.dob IS NOT NULL AND a.dob = b.dob",
    ClientCandidate.Rule.SSN_DOB: "a.match_ssn <> '' AND a.match_ssn = b.match_ssn "
    "AND a.ssn_data_quality = 1 AND b.ssn_data_quality = 1 AND a.dob IS NOT NULL AND a.dob = b.dob",
    ClientCandidate.Rule.SSN4_NAME: "a.match_ssn4 <> '' AND a.match_ssn4 = b.match_ssn4 "
    "AND a.match_name <> '' AND a.match_name = b.match_name",
}


def find_candidates(source: Source) -> int:
    """Record new candidate pairs involving ``source``; returns how many were added."""
    added = 0
    sid, coc = int(source.pk), int(source.coc_id)
    with connection.cursor() as cursor:
        for rule, condition in RULES.items():
            cursor.execute(
                "INSERT INTO hmis_clientcandidate (coc_id, client_id, other_id, rule, status, "
                "created) SELECT DISTINCT %s, a.id, b.id, %s, %s, CURRENT_TIMESTAMP "
                "FROM hmis_client a JOIN hmis_client b ON b.coc_id = a.coc_id "
                "AND b.source_id > a.source_id "
                f"WHERE a.coc_id = %s AND (a.source_id = {sid} OR b.source_id = {sid}) "
                f"AND {condition} ON CONFLICT (client_id, other_id) DO NOTHING",
                [coc, rule.value, ClientCandidate.Status.PENDING, coc],
            )
            added += max(cursor.rowcount, 0)
    return added

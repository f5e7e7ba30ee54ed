"""Match keys (``hmis.pii.match_key``): how two sources' records of one person meet.

Names are compared after Unicode decomposition, without case, accents, spaces or punctuation;
the key is a keyed hash, so the stored value never reveals the name or SSN.
"""

from __future__ import annotations

import pytest

from hmis import pii


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("José", "O'Brien"), ("JOSE", "OBRIEN")),
        (("Zoë", "Núñez-García"), ("zoe", "nunez garcia")),
        (("\ufb01ona", "Smith"), ("Fiona", "Smith")),  # the "fi" ligature decomposes
        (("Ann\u00a0Marie", "Lee"), ("AnnMarie", "Lee")),  # a no-break space is dropped
    ],
)
def test_spellings_of_one_name_give_one_key(one, other):
    assert pii.match_key(*one) == pii.match_key(*other) != ""


def test_different_people_and_blank_parts():
    assert pii.match_key("Ann", "Lee") != pii.match_key("Anna", "Lee")
    assert pii.match_key("Ann", "Lee") != pii.match_key("Lee", "Ann")  # order counts
    assert pii.match_key("Ann", "") == "" and pii.match_key("") == ""
    key = pii.match_key("123456789")
    assert len(key) == 64 and "123456789" not in key  # a keyed SHA-256 digest, never the SSN


def clear_keys():
    for cached in (pii._secret, pii._match_secret, pii._fernet):
        cached.cache_clear()


def test_the_key_depends_on_the_secret(monkeypatch):
    before = pii.match_key("Ann", "Lee")
    with monkeypatch.context() as patched:
        patched.setenv("HMIS_PII_KEY", "another-installation")
        clear_keys()
        try:
            assert pii.match_key("Ann", "Lee") != before
        finally:
            clear_keys()
    clear_keys()  # the environment as it was
    assert pii.match_key("Ann", "Lee") == before

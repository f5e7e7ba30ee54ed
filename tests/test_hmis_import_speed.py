"""The importer's fast paths (issue 4, item 9) read exactly what the full paths read."""

from __future__ import annotations

import pytest

from hmis.importer.problems import Problems
from hmis.importer.reader import FileReader, Invalid, NonIso
from hmis.matching import find_candidates
from hmis.models import HUD_MODELS, ClientCandidate, Source
from hmis.spec import structure
from tests import hmis_builder as hb
from tests.test_hmis_import import run


@pytest.fixture
def private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def reader(file: str, column: str) -> tuple[FileReader, object]:
    model = HUD_MODELS[file]
    file_reader = FileReader(file, "2026", model, Problems(), hashed=False, notes=[])
    file_reader.line = 2
    spec = {c.name: c for c in structure("2026")[file]}[column]
    return file_reader, file_reader.reader_for(spec.position - 1, spec)


def test_integer_fast_path_keeps_the_canonical_form_and_the_checks():
    file_reader, read = reader("Project", "ProjectType")
    assert read("1") == "1"
    assert read("01") == "1"  # not canonical: the full path reads it
    with pytest.raises(Invalid, match="5 is not a code of HUD's list for ProjectType"):
        read("5")
    with pytest.raises(Invalid, match="Not a whole number"):
        read("x")
    _, count = reader("Inventory", "BedInventory")
    assert count("12") == "12" and count("0") == "0" and count("007") == "7"
    assert count("-3") == "-3"
    assert count("١٢") == "12"  # non-ASCII digits: the full path (int()) reads them, as before


def test_a_non_structural_unknown_code_is_still_counted_each_time():
    file_reader, read = reader("Client", "VeteranStatus")
    assert read("7") == "7" and read("7") == "7"
    assert read("42") == "42" and read("42") == "42"
    assert file_reader.counts[("VeteranStatus", "unknown-code")][0] == 4


def test_date_cache_never_lets_a_bad_date_through():
    _, read = reader("Enrollment", "EntryDate")
    assert read("2025-02-28") == "2025-02-28"
    assert read("2025-02-28") == "2025-02-28"
    with pytest.raises(Invalid, match="Not a real date"):
        read("2025-02-30")
    with pytest.raises(Invalid, match="Not a real date"):
        read("2025-02-30")  # a failure is never cached
    with pytest.raises(NonIso):
        read("02/28/2025")


def test_find_candidates_returns_at_once_when_the_coc_has_one_source(
    demo, private_media, django_assert_num_queries
):
    assert run(hb.valid_export(), source="main").status == "succeeded"
    source = Source.objects.get(key="main")
    with django_assert_num_queries(1):  # the "is there another source?" check, no join
        assert find_candidates(source) == 0
    assert run(hb.valid_export(), source="other").status == "succeeded"
    pairs = list(ClientCandidate.objects.values_list("client__source__key", "other__source__key"))
    assert pairs == [("main", "other"), ("main", "other")]  # lower source first, as before
    assert find_candidates(source) == 0  # from the other side: the same pairs, none new

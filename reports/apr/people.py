"""APR contacts, conditions and education: Q9a, Q9b, Q13a2, Q13b2, Q13c2, Q26e, Q27m (HUD CoC
APR/ESG CAPER Programming Specifications FY2026 V1.0).

Every cell is a ``Q`` over the counted (latest) stays of the "apr" universe. The per-stay facts
read from the big HMIS tables are derived once per version into ``ReportFact`` columns, so the
cells are plain column tests: ``contact_code`` (Q9a/Q9b) and the condition masks and counts
(Q13a2/b2/c2, Q26e), all filled by ``fill_person_records`` (one UPDATE per version).

Choices where the spec leaves room (each repeated where it is used):

- Q9a/Q9b use the client's counted stay (the latest stay of any project type in the range), as
  every other APR table does; a client whose latest stay is not SO/ES-NbN but who had an earlier
  SO/ES-NbN stay in the range is not counted (HUD: "latest project stay" among the relevant
  ones). Project types are HUD's for Q9: 1 (ES night-by-night) and 4 (street outreach).
- Q9 contacts are CurrentLivingSituation records (each record one contact, several on a day
  count several); the first contact's situation is that of the earliest record, the lowest code
  on a tie.
- Q13c2 reads the latest records of stages 1, 2 and 5 (spec Q13c2); Q26e column C reads Q13c1's
  records (latest information date, any stage), as the spec says "add CH status to Q13c1".
- Youth (Q27m) is ``youth()``: age 12-24 in a household where no member is 25 or older and at
  least one age is known (as Q5a row 13).
"""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Mod
from django.db.models.lookups import (
    Exact,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThanOrEqual,
)

from hmis.models import CurrentLivingSituation, Enrollment, Funder, YouthEducationStatus

from ..engine import Table, facts
from ..hud import HOH_Q, chronic
from . import subpopulations
from .common import (
    ADULT_OR_HOH,
    DKPNTA_LABEL,
    PERSON_COLUMNS,
    PERSON_Q,
    SPEC,
    UNIVERSE,
    leaver,
    stayer,
)
from .demographics import CONDITIONS, has_condition, update_person_records


def _int(n: int) -> Value:
    return Value(n, output_field=IntegerField())


# --- Q9a / Q9b Contacts and Engagements (4.12, 4.13) ---
CONTACT_PROJECT_TYPES = (1, 4)  # spec Q9: ES night-by-night and street outreach
# Columns C-E: the current living situation of the first contact (spec Q9a instruction 1).
FIRST_CONTACT_COLUMNS = [
    ("C", "First contact – NOT staying on the Streets, ES, or SH", 3),  # 17 or 200-499
    ("D", "First contact – WAS staying on Streets, ES, or SH", 4),  # 100-199
    ("E", "First contact – Worker unable to determine", 5),  # 1-99 but 17; no contact record
]
CONTACT_ROWS = [(2, "Once"), (3, "2-5 {}"), (4, "6-9 {}"), (5, "10+ {}")]


def contact_code(report):
    """The stay's Q9 cell as one integer: 10 x row (2-5, by number of contacts) + column (3-5,
    by the first contact's situation); 0 when the person is not in Q9a's universe.

    One correlated sub-select over the stay's CurrentLivingSituation records (spec Q9a,
    instruction 2): dated on or after the project start and on or before the exit, the date of
    engagement and the report end (contacts before the report start count). The date of
    engagement is one more contact when no record is dated on it and it is on or before the
    report end (instruction 3); without any record it is the only contact, cell E2
    (instruction 4). Universe (spec Q9a): a counted contact in the range, or a date of
    engagement in the range.
    """
    start, end = Value(report.start), Value(report.end)
    # The stay's date of engagement, read through the contact's own enrollment (the same stay):
    # ``engaged`` per record, ``engaged_on`` as the group's value.
    engaged = F("enrollment__date_of_engagement")
    engaged_on = Max(engaged)
    contacts = CurrentLivingSituation.objects.live().filter(
        enrollment_id=OuterRef("enrollment_id"),
        information_date__gte=OuterRef("entry_date"),
        information_date__lte=report.end,
    )
    contacts = contacts.filter(information_date__lte=Coalesce(OuterRef("exit_date"), end))
    contacts = contacts.filter(information_date__lte=Coalesce(engaged, end))
    records = Count("pk")
    on_engagement = Max(
        Case(When(information_date=engaged, then=_int(1)), default=_int(0)),
        output_field=IntegerField(),
    )
    engagement_counts = Q(IsNull(engaged_on, False)) & Q(LessThanOrEqual(engaged_on, end))
    n = records + Case(When(engagement_counts, then=_int(1) - on_engagement), default=_int(0))
    # The earliest record's situation: min of (yyyymmdd * 1000 + situation), situations < 1000.
    day_key = (
        ExtractYear("information_date") * 10000
        + ExtractMonth("information_date") * 100
        + ExtractDay("information_date")
    )
    first = Mod(Min(day_key * 1000 + F("current_living_situation")), _int(1000))
    column = Case(
        When(Q(GreaterThanOrEqual(first, 100)) & Q(LessThanOrEqual(first, 199)), then=_int(4)),
        When(Q(Exact(first, 17)) | Q(GreaterThanOrEqual(first, 200)), then=_int(3)),
        default=_int(5),
    )
    row = Case(
        When(GreaterThanOrEqual(n, 10), then=_int(5)),
        When(GreaterThanOrEqual(n, 6), then=_int(4)),
        When(GreaterThanOrEqual(n, 2), then=_int(3)),
        default=_int(2),
    )
    in_range = Max(
        Case(When(information_date__gte=report.start, then=_int(1)), default=_int(0)),
        output_field=IntegerField(),
    )
    engaged_in_range = Q(GreaterThanOrEqual(engaged_on, start)) & Q(
        LessThanOrEqual(engaged_on, end)
    )
    code = Case(
        When(Q(Exact(in_range, 1)) | engaged_in_range, then=row * 10 + column),
        default=_int(0),
        output_field=IntegerField(),
    )
    with_records = Subquery(
        contacts.order_by().values("enrollment_id").annotate(code=code).values("code")[:1],
        output_field=IntegerField(),
    )
    # No counted record: the date of engagement in the range is the only contact (E2); read
    # with a sub-select on the stay's enrollment, like ``with_records``.
    only_engagement = Subquery(
        Enrollment.objects.filter(pk=OuterRef("enrollment_id"))
        .annotate(
            code=Case(
                When(
                    date_of_engagement__gte=report.start,
                    date_of_engagement__lte=report.end,
                    then=_int(25),
                ),
                default=_int(0),
                output_field=IntegerField(),
            )
        )
        .values("code")[:1],
        output_field=IntegerField(),
    )
    return Coalesce(with_records, only_engagement, output_field=IntegerField())


def _contact_part(version) -> dict:
    """``contact_code`` of the counted ES night-by-night and street outreach stays, as a part
    of ``demographics.update_person_records`` (``contact_code``'s sub-selects run once per
    such stay, not once per Q9 cell; the other rows keep NULL)."""
    rows = facts(version, UNIVERSE).filter(counted=True, project_type__in=CONTACT_PROJECT_TYPES)
    coded = rows.annotate(code=contact_code(version.report)).values("id", "code")
    sql, params = coded.query.sql_with_params()
    return {
        "with": [],
        "picked": "q9.code AS q9_code",
        "joins": f"LEFT JOIN ({sql}) AS q9 ON q9.id = r.id ",
        "params": list(params),
        "values": {"contact_code": "d.q9_code"},
    }


def fill_person_records(version) -> None:
    """The derived columns of this module and of ``demographics`` in ONE UPDATE of the
    version's counted rows (each row written once): the Q9 contact code and
    ``demographics.update_person_records``' condition, DV and income columns."""
    update_person_records(version, [_contact_part(version)])


def _contact_cells(who: Q) -> dict[str, Q]:
    """Q9's cells as tests of the derived ``contact_code`` (``fill_person_records``)."""
    found = {}
    for number, _label in CONTACT_ROWS:
        codes = [number * 10 + c for _l, _h, c in FIRST_CONTACT_COLUMNS]
        found[f"B{number}"] = who & Q(contact_code__in=codes)
        for letter, _header, c in FIRST_CONTACT_COLUMNS:
            found[f"{letter}{number}"] = who & Q(contact_code=number * 10 + c)
    found["B6"] = who & Q(contact_code__gt=0)
    for letter, _header, c in FIRST_CONTACT_COLUMNS:
        found[f"{letter}6"] = who & Q(contact_code__in=[n * 10 + c for n, _l in CONTACT_ROWS])
    return found


def _contacted() -> Q:
    """Adults and heads of household in ES night-by-night and street outreach stays."""
    return Q(project_type__in=CONTACT_PROJECT_TYPES) & ADULT_OR_HOH


def _engaged(report) -> Q:
    return Q(
        date_of_engagement__gte=report.start,
        date_of_engagement__lte=report.end,
    )


def _contact_columns(first: str) -> list[tuple[str, str]]:
    return [("B", first)] + [(letter, header) for letter, header, _c in FIRST_CONTACT_COLUMNS]


def q9a(version) -> Table:
    """Q9a Number of Persons Contacted (spec Q9a; 4.12, 4.13; Glossary "Contact", "Date of
    Engagement"): adults and heads in ES-NbN/SO stays by number of contacts (rows 2-5) and the
    situation of the first contact (C-E). See ``contact_code`` for the contacts counted."""
    return Table(
        key="Q9a",
        title="Number of Persons Contacted",
        columns=_contact_columns("All Persons Contacted"),
        rows=[(n, label.format("Times")) for n, label in CONTACT_ROWS]
        + [(6, "Total Persons Contacted")],
        cells=_contact_cells(_contacted()),
        source=f"{SPEC} Q9a; 4.12; 4.13; Glossary Contact, Date of Engagement",
    )


def q9b(version) -> Table:
    """Q9b Number of Persons Newly Engaged (spec Q9b): Q9a's logic for the persons whose date of
    engagement is in the range (their contacts up to and including it); row 7 the rate of
    engagement, each column's B6-E6 over Q9a's."""
    report = version.report
    contacted = _contact_cells(_contacted())
    engaged = _contact_cells(_contacted() & _engaged(report))
    return Table(
        key="Q9b",
        title="Number of Persons Newly Engaged",
        columns=_contact_columns("All Persons Contacted"),
        rows=[(n, label.format("Contacts")) for n, label in CONTACT_ROWS]
        + [(6, "Total Persons Engaged"), (7, "Rate of Engagement")],
        cells=engaged,
        rates={
            f"{letter}7": (engaged[f"{letter}6"], contacted[f"{letter}6"])
            for letter in ("B", "C", "D", "E")
        },
        source=f"{SPEC} Q9b; 4.12; 4.13; Glossary Date of Engagement",
    )


# --- Q13a2 / Q13b2 / Q13c2 Number of Conditions (3.08, 4.05-4.10) ---
def _count_rows(column: str) -> list[tuple[int, str, Q]]:
    """Rows 2-9: 1-3+ conditions (the derived count ``column``: each type 4.05-4.10 once,
    4.10 = 3 twice, spec instruction 4), else the disabling condition (3.08) decides
    (instruction 5)."""
    n = F(column)
    none = Q(Exact(n, 0))
    disabling = "disabling_condition"
    return [
        (2, "None", Q(**{disabling: 0}) & none),
        (3, "1 Condition", Q(Exact(n, 1))),
        (4, "2 Conditions", Q(Exact(n, 2))),
        (5, "3+ Conditions", Q(GreaterThanOrEqual(n, 3))),
        (6, "Condition Unknown", Q(**{disabling: 1}) & none),
        (7, DKPNTA_LABEL, Q(**{f"{disabling}__in": [8, 9]}) & none),
        (
            8,
            "Data Not Collected",
            (Q(**{disabling: 99}) | Q(**{f"{disabling}__isnull": True})) & none,
        ),
        (9, "Total", Q()),
    ]


def _number_table(key, title, column: str, who: Q, source: str) -> Table:
    rows = _count_rows(column)
    return Table(
        key=key,
        title=title,
        columns=PERSON_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells={
            f"{letter}{n}": who & column & q for letter, column in PERSON_Q for n, _l, q in rows
        },
        source=source,
    )


def q13a2(version) -> Table:
    """Q13a2 Number of Conditions at Start (spec Q13a2): the stage-1 records Q13a1 reads
    (``conditions_start_count``)."""
    return _number_table(
        "Q13a2",
        "Number of Conditions at Start",
        "conditions_start_count",
        Q(),
        f"{SPEC} Q13a2; 3.08; 4.05–4.10",
    )


def q13b2(version) -> Table:
    """Q13b2 Number of Conditions at Exit (spec Q13b2): leavers, the stage-3 records (Q13b1;
    ``conditions_exit_count``)."""
    return _number_table(
        "Q13b2",
        "Number of Conditions at Exit",
        "conditions_exit_count",
        leaver(version.report),
        f"{SPEC} Q13b2; 3.08; 4.05–4.10",
    )


def q13c2(version) -> Table:
    """Q13c2 Number of Conditions for Stayers (spec Q13c2): the records of the latest
    information date on or before the report end among stages 5, 2 and 1 (the spec's list;
    Q13c1 reads any stage; ``conditions_stayer_count``)."""
    report = version.report
    return _number_table(
        "Q13c2",
        "Number of Conditions for Stayers",
        "conditions_stayer_count",
        stayer(report),
        f"{SPEC} Q13c2; 3.08; 4.05–4.10",
    )


# --- Q26e Physical and Mental Health Conditions - Chronically Homeless Persons ---
def q26e(version) -> Table:
    """Q26e (spec Q26e): chronically homeless persons (``reports.hud.chronic``, as Q26b) with
    each condition: B Q13a1's start records, C Q13c1's latest records for stayers, D Q13b1's
    exit records for leavers (the derived masks ``conditions_start``/``_latest``/``_exit``);
    in total, without household columns."""
    report = version.report
    ch = chronic(version, UNIVERSE)
    columns = [
        ("B", Q(), "conditions_start"),
        ("C", stayer(report), "conditions_latest"),
        ("D", leaver(report), "conditions_exit"),
    ]
    found = {}
    for letter, who, mask in columns:
        for i, (number, _label, _dtype, _responses) in enumerate(CONDITIONS):
            # CH first: a column test once reports.hud.chronic reads the derived status.
            found[f"{letter}{number}"] = who & ch & has_condition(mask, i)
    return Table(
        key="Q26e",
        title="Physical and Mental Health Conditions - Chronically Homeless Persons",
        columns=[
            ("B", "Conditions At Start"),
            ("C", "Conditions at Latest Assessment for Stayers"),
            ("D", "Conditions at Exit for Leavers"),
        ],
        rows=[
            (n, "Both Drug and Alcohol Use Disorders" if n == 5 else label)
            for n, label, _t, _r in CONDITIONS
        ],
        cells=found,
        source=f"{SPEC} Q26e; 4.05–4.10; Glossary Chronically Homeless at Project Start",
    )


# --- Q27m Education Status - Youth (C3) ---
YOUTH_EDUCATION_TYPES = (2, 3, 4, 6, 13)  # spec Q27m: TH, PSH, SO, SSO, RRH
YHDP = 43  # 2.06.1 HUD: CoC - Youth Homeless Demonstration Program


def youth(version) -> Q:
    """Spec Q27 "Youth Questions": a client aged 12-24 in a youth household (every member of
    known age 0-24, at least one age known; as Q5a row 13). The Q27 tables' one definition,
    ``subpopulations.youth``, a test of the derived ``youth_household`` column."""
    return subpopulations.youth(version)


def _yhdp(report) -> Q:
    """The stay's project has a live YHDP funder record whose grant overlaps the range."""
    grants = Funder.objects.live().filter(
        project_id=OuterRef("project_id"), funder=YHDP, start_date__lte=report.end
    )
    return Q(Exists(grants.filter(Q(end_date__isnull=True) | Q(end_date__gte=report.start))))


def _education(stage: int, column: str) -> Subquery:
    """``column`` of the stay's latest YouthEducationStatus record of ``stage`` (1 start,
    3 exit)."""
    return Subquery(
        YouthEducationStatus.objects.live()
        .filter(enrollment_id=OuterRef("enrollment_id"), data_collection_stage=stage)
        .order_by("-information_date", "-date_updated", "-pk")
        .values(column)[:1]
    )


def _answer(value, codes) -> Q:
    return Q(In(value, list(codes)))


def _missing(value) -> Q:
    return Q(Exact(value, 99)) | Q(IsNull(value, True))


MOST_RECENT = [
    "K12: Graduated from high school",
    "K12: Obtained GED",
    "K12: Dropped out",
    "K12: Suspended",
    "K12: Expelled",
    "Higher education: Pursuing a credential but not currently attending",
    "Higher education: Dropped out",
    "Higher education: Obtained a credential/degree",
]
CURRENT = [
    "Pursuing a high school diploma or GED",
    "Pursuing Associate Degree",
    "Pursuing Bachelor Degree",
    "Pursuing Graduate Degree",
    "Pursuing other post-secondary credential",
]


def _education_rows(stage: int) -> list[tuple[int, str, Q | None]]:
    attend = _education(stage, "current_school_attend")
    recent = _education(stage, "most_recent_ed_status")
    current = _education(stage, "current_ed_status")
    not_enrolled = _answer(attend, [0])
    enrolled = _answer(attend, [1, 2])
    rows: list[tuple[int, str, Q | None]] = [
        (2, "Not currently enrolled in any school or education course", not_enrolled),
        (3, "Currently enrolled but not attending regularly", _answer(attend, [1])),
        (4, "Currently enrolled and attending regularly", _answer(attend, [2])),
        (5, "Client Doesn't Know / Prefers Not to Answer", _answer(attend, [8, 9])),
        (6, "Data not collected", _missing(attend)),
        (7, "For those not enrolled – most recent education status", None),
    ]
    rows += [
        (8 + i, label, not_enrolled & _answer(recent, [i])) for i, label in enumerate(MOST_RECENT)
    ]
    rows += [
        (16, DKPNTA_LABEL, not_enrolled & _answer(recent, [8, 9])),
        (17, "Data not collected", not_enrolled & _missing(recent)),
        (18, "For those currently enrolled – current status", None),
    ]
    rows += [(19 + i, label, enrolled & _answer(current, [i])) for i, label in enumerate(CURRENT)]
    rows += [
        (24, DKPNTA_LABEL, enrolled & _answer(current, [8, 9])),
        (25, "Data not collected", enrolled & _missing(current)),
        (26, "Total persons", Q()),
    ]
    return rows


def q27m(version) -> Table:
    """Q27m Education Status – Youth (spec Q27m; C3): youth heads of household who left a
    YHDP-funded TH/PSH/SO/SSO/RRH project in the range (Funder 43 with a grant overlapping the
    range); B their stage-1 record, C their stage-3 record (the latest of the stage when there
    are several). Rows 7 and 18 are headers (grayed); stayers are excluded."""
    report = version.report
    universe = (
        HOH_Q
        & leaver(report)
        & Q(project_type__in=YOUTH_EDUCATION_TYPES)
        & youth(version)
        & _yhdp(report)
    )
    start_rows, exit_rows = _education_rows(1), _education_rows(3)
    found = {}
    for (n, _label, start_q), (_n, _l, exit_q) in zip(start_rows, exit_rows, strict=True):
        if start_q is not None:
            found[f"B{n}"] = universe & start_q
            found[f"C{n}"] = universe & exit_q
    return Table(
        key="Q27m",
        title="Education Status - Youth",
        columns=[("B", "At Project Start"), ("C", "At Project Exit")],
        rows=[(n, label) for n, label, _q in start_rows],
        cells=found,
        grayed={"B7", "C7", "B18", "C18"},
        source=f"{SPEC} Q27m; C3 Youth Education Status; Glossary Youth",
    )


# Derived ReportFact columns of this module (run once per version, reports.apr.derived).
DERIVED: list = [fill_person_records]

BUILDERS: dict = {
    "Q9a": q9a,
    "Q9b": q9b,
    "Q13a2": q13a2,
    "Q13b2": q13b2,
    "Q13c2": q13c2,
    "Q26e": q26e,
    "Q27m": q27m,
}

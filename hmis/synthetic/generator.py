"""The streaming generator behind ``manage.py generate_hmis`` and the demo export.

It walks "families" (one to five people who move through the homeless system together), gives each
family a few sequential stays ("episodes") in the CoC's projects and writes every row as soon as it
is known. Only the current family, the project list and the manifest of planted defects are held in
memory, so 200,000 clients with 2,000,000 services need well under 200 MB. One ``random.Random``
seeded with ``seed`` drives every choice in a fixed order, so a seed always gives the same export.
See ``hmis.synthetic`` for the manifest and ``hmis.synthetic.defects`` for the defect definitions.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .columns import CSV_VERSION, columns
from .defects import DEFECTS, default_rates

MANIFEST_FORMAT = "hmis-synthetic-manifest/1"
SOFTWARE_NAME = "HMIS Governance synthetic generator"

# ProjectType codes (2.02.6).
ES_EE, ES_NBN, TH, PSH, SO, SSO, SH, OPH_HO, OPH_HS, HP, RRH, CE = (
    0,
    1,
    2,
    3,
    4,
    6,
    8,
    9,
    10,
    12,
    13,
    14,
)
RESIDENTIAL = frozenset({ES_EE, TH, PSH, SH, OPH_HO, OPH_HS, RRH})
WITH_INVENTORY = frozenset({ES_EE, ES_NBN, TH, PSH, SH, OPH_HO, OPH_HS, RRH})
PROJECT_TYPE_NAMES = {
    ES_EE: "Emergency Shelter",
    ES_NBN: "Night-by-Night Shelter",
    TH: "Transitional Housing",
    PSH: "Permanent Supportive Housing",
    SO: "Street Outreach",
    SSO: "Supportive Services",
    SH: "Safe Haven",
    OPH_HO: "Permanent Housing",
    OPH_HS: "Permanent Housing with Services",
    HP: "Homelessness Prevention",
    RRH: "Rapid Re-Housing",
    CE: "Coordinated Entry",
}
# 2.06.1 funding source per project type; 46 (local) needs OtherFunder.
FUNDER = {ES_EE: 8, ES_NBN: 8, TH: 5, PSH: 2, SO: 21, SSO: 4, SH: 6, OPH_HO: 2, OPH_HS: 2, HP: 9}
FUNDER.update({RRH: 3, CE: 46})
# Stay length in days (inclusive range) per project type.
STAY = {ES_EE: (1, 90), ES_NBN: (14, 180), TH: (30, 700), PSH: (90, 1500), SO: (10, 365)}
STAY.update({SSO: (7, 180), SH: (10, 365), OPH_HO: (90, 1200), OPH_HS: (90, 1200)})
STAY.update({HP: (14, 180), RRH: (30, 420), CE: (1, 180)})
# Which project types a household goes to: weights for one adult alone / households with children.
WEIGHTS_SINGLE = {ES_EE: 20, ES_NBN: 16, SO: 16, TH: 6, PSH: 8, RRH: 10, SH: 5, CE: 14, HP: 5}
WEIGHTS_SINGLE.update({SSO: 3, OPH_HO: 2, OPH_HS: 2})
WEIGHTS_FAMILY = {ES_EE: 25, ES_NBN: 8, SO: 3, TH: 12, PSH: 10, RRH: 20, CE: 15, HP: 7}
WEIGHTS_FAMILY.update({SSO: 3, OPH_HO: 2, OPH_HS: 2})

# 3.917.1 prior living situation: homeless / institutional / temporary (literally homeless
# projects) and housed (prevention); 3.12 destinations without 8, 9, 17, 30, 99 (clean).
PRIOR_HOMELESS = [101, 116, 116, 118, 204, 205, 206, 207, 215, 225, 302, 314, 329, 332, 335, 336]
PRIOR_HOUSED = [410, 411, 421, 435]
DESTINATIONS = [101, 116, 118, 204, 205, 206, 207, 302, 312, 313, 314, 329, 332, 410, 410, 411]
DESTINATIONS += [421, 422, 423, 435, 435, 435, 24, 225]
SUBSIDY_TYPES = [428, 419, 431, 433, 434, 420, 436, 437, 438, 439, 440]
INVALID_SSNS = ["000", "666", "9", "group00", "serial0000", "same", "sequential"]

FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
    "Matthew Betty Anthony Sandra Mark Ashley Donald Kimberly Steven Emily Andrew Donna Paul "
    "Michelle Joshua Carol Kenneth Amanda Kevin Melissa Brian Deborah Luis Maria Jose Rosa "
    "Carlos Ana Wei Mei Tyrone Aaliyah Dmitri Olga Kwame Ama Hiroshi Yuki Ahmed Fatima"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Chen Kim Patel "
    "Okafor Mensah Novak Kowalski Haddad Yamamoto Begay Tsosie Kealoha"
).split()
STREET_NAMES = ["Red", "Shorty", "Doc", "Smokey", "Sunny", "Tex", "Lucky", "Boots"]


@dataclass(frozen=True)
class OrganizationSpec:
    """An HMIS Organization to write (OrganizationID, name)."""

    organization_id: str
    name: str


@dataclass(frozen=True)
class ProjectSpec:
    """An HMIS Project to write; ``project_type`` is HUD's 2.02.6 code."""

    project_id: str
    organization_id: str
    name: str
    project_type: int


@dataclass
class GeneratorOptions:
    """What to generate. ``start`` defaults to three years before ``as_of``."""

    clients: int = 500
    seed: int = 1
    coc: str = "XX-500"
    as_of: dt.date = dt.date(2026, 9, 30)
    start: dt.date | None = None
    rates: dict[str, float] = field(default_factory=default_rates)
    organizations: list[OrganizationSpec] | None = None
    projects: list[ProjectSpec] | None = None
    enrollments_per_client: float = 2.0
    services_per_client: float = 10.0
    source_name: str = "Synthetic HMIS"
    export_id: str | None = None

    def period_start(self) -> dt.date:
        return self.start or self.as_of.replace(year=self.as_of.year - 3) + dt.timedelta(days=1)


@dataclass
class GenerationResult:
    zip_path: Path
    manifest_path: Path
    counts: dict[str, int]
    manifest: dict


def default_layout(clients: int, organizations: int | None = None):
    """Organizations with three projects each, covering the project types round-robin."""
    n_orgs = organizations or max(3, min(200, clients // 5000))
    cycle = [ES_EE, ES_NBN, SO, TH, PSH, RRH, SH, CE, HP]
    orgs, projects = [], []
    for i in range(n_orgs):
        org_id = f"ORG{i + 1:03d}"
        orgs.append(OrganizationSpec(org_id, f"Synthetic Agency {i + 1}"))
        for j in range(3):
            ptype = cycle[(i * 3 + j) % len(cycle)]
            pid = f"{org_id}-P{j + 1}"
            projects.append(
                ProjectSpec(pid, org_id, f"Agency {i + 1} {PROJECT_TYPE_NAMES[ptype]}", ptype)
            )
    return orgs, projects


def parse_projects_json(data: dict) -> tuple[list[OrganizationSpec], list[ProjectSpec]]:
    """``{"organizations": [{"id", "name", "projects": [{"id", "name", "type"}]}]}`` → specs."""
    orgs, projects = [], []
    for org in data["organizations"]:
        orgs.append(OrganizationSpec(str(org["id"]), str(org["name"])))
        for project in org["projects"]:
            ptype = int(project["type"])
            if ptype not in PROJECT_TYPE_NAMES:
                raise ValueError(f"Project {project['id']}: ProjectType {ptype} is not supported.")
            projects.append(
                ProjectSpec(str(project["id"]), str(org["id"]), str(project["name"]), ptype)
            )
    if not projects:
        raise ValueError("The projects spec lists no projects.")
    return orgs, projects


class _Dates:
    """Date ordinals → ISO strings, cached: a few thousand days are written millions of times."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def __call__(self, ordinal: int) -> str:
        text = self._cache.get(ordinal)
        if text is None:
            text = self._cache[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text


class Generator:
    """One run of the generator; call :meth:`write`."""

    def __init__(self, options: GeneratorOptions) -> None:
        self.o = options
        self.r = random.Random(options.seed)
        self.d = _Dates()
        self.as_of = options.as_of.toordinal()
        self.start = options.period_start().toordinal()
        if self.start >= self.as_of - 30:
            raise ValueError("The period from --start to --as-of must be longer than 30 days.")
        if self.start < self.as_of - 3660:
            raise ValueError("The period from --start to --as-of may be at most ten years.")
        unknown = set(options.rates) - set(DEFECTS)
        if unknown:
            raise ValueError(f"Unknown defect keys: {', '.join(sorted(unknown))}.")
        self.rates = {key: float(options.rates.get(key, 0.0)) for key in DEFECTS}
        if options.projects:
            self.orgs, self.projects = options.organizations or [], options.projects
        else:
            self.orgs, self.projects = default_layout(options.clients)
        self.by_type: dict[int, list[ProjectSpec]] = {}
        for project in self.projects:
            self.by_type.setdefault(project.project_type, []).append(project)
        self.weights = {
            kind: [(t, w) for t, w in table.items() if t in self.by_type]
            for kind, table in (("single", WEIGHTS_SINGLE), ("family", WEIGHTS_FAMILY))
        }
        if not self.weights["single"]:
            raise ValueError("No project of a type the generator fills (0-4, 6, 8-10, 12-14).")
        if not self.weights["family"]:
            self.weights["family"] = self.weights["single"]
        self.export_id = options.export_id or f"SYN{options.seed}"
        self.users = [f"U{i}" for i in range(1, 13)]
        self.manifest: dict[str, list[list[str]]] = {key: [] for key in DEFECTS}
        self.counts: dict[str, int] = {}
        self.seq: dict[str, int] = {}
        # Expected bed nights per night-by-night stay, tuned so services ≈ services_per_client.
        self.nbn_nights = max(2, round(42 * options.services_per_client / 10))

    # --- plumbing ---------------------------------------------------------------------------------
    def next_id(self, prefix: str) -> str:
        n = self.seq.get(prefix, 0) + 1
        self.seq[prefix] = n
        return f"{prefix}{n}"

    def plant(self, key: str, file: str, hud_id: str, personal_id: str) -> None:
        self.manifest[key].append([file, hud_id, personal_id])

    def roll(self, key: str) -> bool:
        rate = self.rates[key]
        return rate > 0 and self.r.random() < rate

    def pick(self, keys: list[str]) -> str | None:
        """At most one of mutually exclusive keys (same field), each with its own rate."""
        u = self.r.random()
        acc = 0.0
        for key in keys:
            acc += self.rates[key]
            if u < acc:
                return key
        return None

    def stamp(self, ordinal: int) -> str:
        return f"{self.d(ordinal)} {self.r.randint(7, 19):02d}:{self.r.randint(0, 59):02d}:00"

    def lag(self, ordinal: int, late: bool) -> int:
        """Data entry date for an event on ``ordinal``: 0-3 days after, or 11+ when late."""
        room = self.as_of - ordinal
        if late:
            return ordinal + self.r.randint(11, min(60, room))
        return ordinal + self.r.randint(0, min(3, max(0, room)))

    def write(self, out: Path) -> GenerationResult:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        cols = columns()
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".hmis-gen-") as tmp:
            handles, self.w = {}, {}
            for name, header in cols.items():
                handle = open(Path(tmp) / f"{name}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
                handles[name] = handle
                writer = csv.writer(handle)
                writer.writerow(header)
                self.w[name] = writer.writerow
                self.counts[name] = 0
            self.cols = {
                name: {c: i for i, c in enumerate(header)} for name, header in cols.items()
            }
            self.tpl = {name: [""] * len(header) for name, header in cols.items()}
            try:
                self._write_all()
            finally:
                for handle in handles.values():
                    handle.close()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in cols:
                    _store(archive, Path(tmp) / f"{name}.csv", f"{name}.csv")
        manifest = self._manifest()
        manifest_path = manifest_path_for(out)
        manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return GenerationResult(out, manifest_path, dict(self.counts), manifest)

    def row(self, name: str, values: dict) -> None:
        index = self.cols[name]
        line = self.tpl[name].copy()
        for column, value in values.items():
            line[index[column]] = value
        self.w[name](line)
        self.counts[name] += 1

    def trailer(self, created: str, user: str | None = None) -> dict:
        return {
            "DateCreated": created,
            "DateUpdated": created,
            "UserID": user or self.users[0],
            "ExportID": self.export_id,
        }

    def _manifest(self) -> dict:
        o = self.o
        return {
            "format": MANIFEST_FORMAT,
            "csv_version": CSV_VERSION,
            "export_id": self.export_id,
            "seed": o.seed,
            "clients": o.clients,
            "coc": o.coc,
            "start": dt.date.fromordinal(self.start).isoformat(),
            "as_of": dt.date.fromordinal(self.as_of).isoformat(),
            "rates": self.rates,
            "file_counts": self.counts,
            "definitions": {key: d.definition for key, d in DEFECTS.items()},
            "record_files": {key: d.file for key, d in DEFECTS.items()},
            "counts": {key: len(records) for key, records in self.manifest.items()},
            "defects": self.manifest,
        }

    # --- the export -------------------------------------------------------------------------------
    def _write_all(self) -> None:
        self._write_descriptors()
        remaining = self.o.clients
        while remaining > 0:
            remaining -= self._family(remaining)

    def _write_descriptors(self) -> None:
        o, d = self.o, self.d
        created = f"{d(self.start - 400)} 09:00:00"
        self.row(
            "Export",
            {
                "ExportID": self.export_id,
                "SourceType": 1,
                "SourceID": o.coc,
                "SourceName": o.source_name[:50],
                "SourceContactFirst": "Data",
                "SourceContactLast": "Administrator",
                "SourceContactEmail": "hmis@example.org",
                "ExportDate": f"{d(self.as_of)} 23:00:00",
                "ExportStartDate": d(self.start),
                "ExportEndDate": d(self.as_of),
                "SoftwareName": SOFTWARE_NAME,
                "SoftwareVersion": "1",
                "CSVVersion": CSV_VERSION,
                "ExportPeriodType": 3,
                "ExportDirective": 2,
                "HashStatus": 1,
                "ImplementationID": f"synthetic-{o.coc}",
            },
        )
        for i, user in enumerate(self.users):
            self.row(
                "User",
                {
                    "UserID": user,
                    "UserFirstName": FIRST_NAMES[i],
                    "UserLastName": LAST_NAMES[i],
                    "UserEmail": f"user{i + 1}@example.org",
                    "DateCreated": created,
                    "DateUpdated": created,
                    "ExportID": self.export_id,
                },
            )
        seen_orgs = set()
        for org in self.orgs:
            seen_orgs.add(org.organization_id)
            self.row(
                "Organization",
                {
                    "OrganizationID": org.organization_id,
                    "OrganizationName": org.name,
                    "VictimServiceProvider": 0,
                    **self.trailer(created),
                },
            )
        for org_id in sorted({p.organization_id for p in self.projects} - seen_orgs):
            self.row(
                "Organization",
                {
                    "OrganizationID": org_id,
                    "OrganizationName": f"Organization {org_id}",
                    "VictimServiceProvider": 0,
                    **self.trailer(created),
                },
            )
        opened = d(self.start - 365 * 2)
        for n, p in enumerate(self.projects, 1):
            t = p.project_type
            residential = t in WITH_INVENTORY
            self.row(
                "Project",
                {
                    "ProjectID": p.project_id,
                    "OrganizationID": p.organization_id,
                    "ProjectName": p.name,
                    "OperatingStartDate": opened,
                    "ContinuumProject": 1,
                    "ProjectType": t,
                    "HousingType": (3 if t in (PSH, RRH, OPH_HO) else 1) if residential else "",
                    "RRHSubType": 2 if t == RRH else "",
                    "TargetPopulation": 4,
                    "HOPWAMedAssistedLivingFac": 2,
                    **self.trailer(created),
                },
            )
            self.row(
                "ProjectCoC",
                {
                    "ProjectCoCID": f"PC{n}",
                    "ProjectID": p.project_id,
                    "CoCCode": o.coc,
                    "Geocode": "069999",
                    "Address1": f"{100 + n} Main Street",
                    "City": "Demo City",
                    "State": "CA",
                    "Zip": f"{90000 + n % 1000:05d}",
                    "GeographyType": 1,
                    **self.trailer(created),
                },
            )
            funder = FUNDER.get(t, 46)
            self.row(
                "Funder",
                {
                    "FunderID": f"F{n}",
                    "ProjectID": p.project_id,
                    "Funder": funder,
                    "OtherFunder": "County general fund" if funder == 46 else "",
                    "GrantID": f"GR-{p.project_id}"[:100],
                    "StartDate": opened,
                    **self.trailer(created),
                },
            )
            self.row(
                "HMISParticipation",
                {
                    "HMISParticipationID": f"HP{n}",
                    "ProjectID": p.project_id,
                    "HMISParticipationType": 1,
                    "HMISParticipationStatusStartDate": opened,
                    **self.trailer(created),
                },
            )
            if t == CE:
                self.row(
                    "CEParticipation",
                    {
                        "CEParticipationID": f"CP{n}",
                        "ProjectID": p.project_id,
                        "AccessPoint": 1,
                        "PreventionAssessment": 1,
                        "CrisisAssessment": 1,
                        "HousingAssessment": 1,
                        "DirectServices": 0,
                        "ReceivesReferrals": 0,
                        "CEParticipationStatusStartDate": opened,
                        **self.trailer(created),
                    },
                )
            if residential:
                self._inventory(n, p, opened, created)

    def _inventory(self, n: int, p: ProjectSpec, opened: str, created: str) -> None:
        es = p.project_type in (ES_EE, ES_NBN)
        households = [(1, 40, 40)]
        if p.project_type not in (SH,):
            households.append((3, 10, 30))
        for k, (household_type, units, beds) in enumerate(households, 1):
            self.row(
                "Inventory",
                {
                    "InventoryID": f"I{n}-{k}",
                    "ProjectID": p.project_id,
                    "CoCCode": self.o.coc,
                    "HouseholdType": household_type,
                    "Availability": 1 if es else "",
                    "UnitInventory": units if household_type == 3 else beds,
                    "BedInventory": beds,
                    "CHVetBedInventory": 0,
                    "YouthVetBedInventory": 0,
                    "VetBedInventory": 5 if household_type == 1 else 0,
                    "CHYouthBedInventory": 0,
                    "YouthBedInventory": 0,
                    "CHBedInventory": 0,
                    "OtherBedInventory": beds - (5 if household_type == 1 else 0),
                    "ESBedType": 1 if es else "",
                    "InventoryStartDate": opened,
                    **self.trailer(created),
                },
            )

    # --- clients and their stays ------------------------------------------------------------------
    def _family(self, remaining: int) -> int:
        r = self.r
        u = r.random()
        adults, kids = (1, 0) if u < 0.68 else (2, 0) if u < 0.80 else (1, r.randint(1, 3))
        if u >= 0.93:
            adults = 2
        size = min(remaining, adults + kids)
        adults = min(adults, size)
        kids = size - adults
        single = size == 1
        # Number of stays: 1 + Binomial(4, p) has mean enrollments_per_client.
        p = min(1.0, max(0.0, (self.o.enrollments_per_client - 1) / 4))
        k = 1 + sum(r.random() < p for _ in range(4))
        span = self.as_of - 1 - self.start
        offsets = sorted(r.sample(range(0, span, 3), min(k, span // 3)))
        entries = []
        for off in offsets:
            if _leap_day(self.start + off):  # anniversaries of 29 February are ambiguous
                off += -1 if off > 0 else 1
            entries.append(self.start + off)
        members = [self._person(i < adults, entries[0]) for i in range(size)]
        self._client_defects(members, single and len(entries) == 1, entries)
        kind = "single" if adults == size and size <= 2 else "family"
        for i, entry in enumerate(entries):
            nxt = entries[i + 1] if i + 1 < len(entries) else None
            self._episode(members, entry, nxt, kind)
        for m in members:
            self._client_row(m)
        return size

    def _person(self, adult: bool, first_entry: int) -> dict:
        r = self.r
        pid = self.next_id("C")
        if adult:
            dob = first_entry - r.randint(19 * 366, 75 * 365)
        else:
            # ≤ 15 on as_of and born before the first entry.
            latest = min(first_entry - 30, self.start - 30)
            dob = r.randint(self.as_of - 15 * 365, latest)
        sex = r.choice((0, 1))
        races = [0] * 7
        races[r.choices(range(7), weights=(4, 3, 30, 20, 2, 2, 39))[0]] = 1
        if r.random() < 0.08:
            races[r.randrange(7)] = 1
        disabled = r.random() < (0.35 if adult else 0.08)
        return {
            "pid": pid,
            "adult": adult,
            "dob": dob,
            "sex": sex,
            "first": r.choice(FIRST_NAMES),
            "last": r.choice(LAST_NAMES),
            "ssn": self._ssn(int(pid[1:])),
            "races": races,
            "veteran": 1 if adult and r.random() < 0.08 else 0,
            "disabled": disabled,
            "disabilities": self._disability_types() if disabled else (),
            "income": r.randrange(len(_INCOME_PROFILES)) if adult else 0,
            "dv": adult and r.random() < 0.12,
            "defects": {},
            "created": None,
        }

    def _ssn(self, n: int) -> str:
        # A bijection of the client number onto (group, serial) keeps SSNs unique without state.
        k = (n * 7919 + 12345) % 989901
        group, serial = 1 + k // 9999, 1 + k % 9999
        while True:
            area = self.r.randint(1, 899)
            ssn = f"{area:03d}{group:02d}{serial:04d}"
            if area != 666 and not _bad_ssn_shape(ssn):
                return ssn

    def _disability_types(self) -> tuple:
        r = self.r
        kinds = r.sample((5, 6, 7, 8, 9, 10), r.choice((1, 1, 2)))
        return tuple(sorted(kinds))

    def _client_defects(
        self, members: list[dict], one_stay_single: bool, entries: list[int]
    ) -> None:
        for m in members:
            defects = m["defects"]
            for group in ("name", "ssn", "dob", "race", "sex"):
                key = self.pick(
                    [f"{group}_dkpnta", f"{group}_missing"]
                    + ([f"{group}_issue"] if group in ("name", "ssn", "dob") else [])
                )
                if key:
                    defects[group] = key
            if m["adult"] and "dob" not in defects:
                key = self.pick(["veteran_dkpnta", "veteran_missing"])
                if key:
                    defects["veteran"] = key
            if defects.get("dob") == "dob_issue":
                variants = ["approximate", "pre1915"]
                if one_stay_single and self.as_of - entries[0] >= 1:
                    variants.append("after_entry")
                defects["dob_variant"] = self.r.choice(variants)

    def _client_row(self, m: dict) -> None:
        r, d, defects, pid = self.r, self.d, m["defects"], m["pid"]
        first, last, name_dq = m["first"], m["last"], 1
        key = defects.get("name")
        if key == "name_dkpnta":
            first, last, name_dq = "", "", r.choice((8, 9))
        elif key == "name_missing":
            first, last, name_dq = "", "", 99
        elif key == "name_issue":
            first, last, name_dq = r.choice(STREET_NAMES), m["last"], 2
        ssn, ssn_dq = m["ssn"], 1
        key = defects.get("ssn")
        if key == "ssn_dkpnta":
            ssn, ssn_dq = "", r.choice((8, 9))
        elif key == "ssn_missing":
            ssn, ssn_dq = "", 99
        elif key == "ssn_issue":
            ssn = _invalid_ssn(r, ssn)
        dob, dob_dq = d(m["dob"]), 1
        key = defects.get("dob")
        if key == "dob_dkpnta":
            dob, dob_dq = "", r.choice((8, 9))
        elif key == "dob_missing":
            dob, dob_dq = "", 99
        elif key == "dob_issue":
            variant = defects["dob_variant"]
            if variant == "approximate":
                dob_dq = 2
            elif variant == "pre1915":
                dob = d(
                    dt.date(r.randint(1890, 1914), r.randint(1, 12), r.randint(1, 28)).toordinal()
                )
            else:
                entry = m["entries"][0]
                dob = d(entry + r.randint(1, min(5, self.as_of - entry)))
        races, race_none = m["races"], ""
        key = defects.get("race")
        if key:
            races = [0] * 7
            race_none = r.choice((8, 9)) if key == "race_dkpnta" else 99
        sex = m["sex"]
        key = defects.get("sex")
        if key:
            sex = r.choice((8, 9)) if key == "sex_dkpnta" else 99
        veteran = m["veteran"]
        key = defects.get("veteran")
        if key:
            veteran = r.choice((8, 9)) if key == "veteran_dkpnta" else 99
        for group in ("name", "ssn", "dob", "race", "sex", "veteran"):
            if group in defects:
                self.plant(defects[group], "Client", pid, pid)
        values = {
            "PersonalID": pid,
            "FirstName": first,
            "LastName": last,
            "NameDataQuality": name_dq,
            "SSN": ssn,
            "SSNDataQuality": ssn_dq,
            "DOB": dob,
            "DOBDataQuality": dob_dq,
            "Sex": sex,
            "AmIndAKNative": races[0],
            "Asian": races[1],
            "BlackAfAmerican": races[2],
            "HispanicLatinao": races[3],
            "MidEastNAfrican": races[4],
            "NativeHIPacific": races[5],
            "White": races[6],
            "RaceNone": race_none,
            "VeteranStatus": veteran,
            **self.trailer(m["created"], self.users[int(pid[1:]) % len(self.users)]),
        }
        if veteran == 1:
            entered = dt.date.fromordinal(m["dob"]).year + r.randint(18, 24)
            values.update(
                {
                    "YearEnteredService": entered,
                    "YearSeparated": entered + r.randint(2, 8),
                    "MilitaryBranch": r.choice((1, 2, 3, 4, 6)),
                    "DischargeStatus": r.choice((1, 1, 1, 2, 6, 7)),
                }
            )
        self.row("Client", values)

    def _choose_project(self, kind: str) -> ProjectSpec:
        types, weights = zip(*self.weights[kind], strict=True)
        ptype = self.r.choices(types, weights=weights)[0]
        return self.r.choice(self.by_type[ptype])

    def _episode(self, members: list[dict], entry: int, nxt: int | None, kind: str) -> None:
        r = self.r
        project = self._choose_project(kind)
        t = project.project_type
        low, high = STAY[t]
        end = entry + r.randint(low, high)
        if nxt is not None:
            end = min(end, nxt - 1)
        elif r.random() < 0.35:
            end = None  # about a third of last stays are still open at as_of, as in a real CoC
        if end is not None and end > self.as_of:
            end = None  # still enrolled at as_of
        size = len(members)
        open_days = self.as_of - entry
        # One episode-level defect at most, chosen in a fixed order among those this stay allows.
        eligible = {
            "exit_before_entry": end is not None and size == 1 and t in (ES_EE, TH, SH, CE, HP),
            "household_no_head": size >= 2,
            "household_multiple_heads": size >= 2,
            "overlapping_stay": size == 1 and t in RESIDENTIAL and (end or self.as_of) - entry >= 3,
            "inactive_bed_night": end is None and size == 1 and t == ES_NBN and open_days >= 120,
            "inactive_contact": end is None and size == 1 and t == SO and open_days >= 120,
            "no_move_in": end is None and size == 1 and t in (PSH, RRH) and open_days >= 91,
            "missing_annual_assessment": end is None
            and size == 1
            and _add_years(entry, 1) <= self.as_of,
        }
        defect = None
        for key, ok in eligible.items():
            if ok and self.roll(key):
                defect = key
                break
        household = self._stay(members, project, entry, end, defect)
        if defect and defect != "overlapping_stay":
            for enrollment_id, pid in household:
                self.plant(defect, "Enrollment", enrollment_id, pid)
        if defect == "overlapping_stay":
            later_entry = r.randint(entry + 1, (end or self.as_of) - 1)
            while _leap_day(later_entry):  # anniversaries of 29 February are ambiguous
                later_entry = r.randint(entry + 1, (end or self.as_of) - 1)
            later_end = None if end is None else r.randint(later_entry, end)
            if later_end is None and r.random() < 0.5:
                later_end = r.randint(later_entry, self.as_of)
            extra = self._stay(members, project, later_entry, later_end, "extra")
            self.plant(defect, "Enrollment", extra[0][0], extra[0][1])

    def _stay(self, members, project, entry, end, defect) -> list[tuple[str, str]]:
        """Write one household stay, every member; returns [(EnrollmentID, PersonalID)]."""
        r, d = self.r, self.d
        t = project.project_type
        household_id = self.next_id("H")
        clean_fields = defect == "extra"
        exit_date = end
        if defect == "exit_before_entry":
            exit_date = entry - r.randint(1, 30)
        # Night-by-night: bed nights decide the exit (the day after the last night).
        nights: list[int] = []
        if t == ES_NBN:
            if defect == "inactive_bed_night":
                window = (entry, self.as_of - 100)
            elif end is None:
                window = (entry, self.as_of)
            else:
                window = (entry, max(entry, end - 1))
            nights = self._days(
                window,
                self.r.randint(1, 2 * self.nbn_nights - 1),
                force_recent=end is None and defect != "inactive_bed_night",
            )
            if end is not None:
                exit_date = end = nights[-1] + 1
        contacts: list[int] = []
        if t == SO:
            if defect == "inactive_contact":
                window = (entry, self.as_of - 100)
            else:
                window = (entry, end if end is not None else self.as_of)
            contacts = self._days(
                window, r.randint(2, 8), force_recent=end is None and defect != "inactive_contact"
            )
        elif t == ES_NBN:
            contacts = sorted({nights[0], nights[-1]})
        move_in = ""
        if t in (PSH, RRH) and defect != "no_move_in":
            limit = end if end is not None else self.as_of
            if end is None and self.as_of - entry <= 60 and r.random() < 0.5:
                move_in = ""
            else:
                move_in = d(r.randint(entry, min(limit, entry + 60)))
        engagement = d(contacts[0]) if t == SO else ""
        destination = r.choice(DESTINATIONS)
        heads = [1] + [3 if m["adult"] else 2 for m in members[1:]]
        if defect == "household_no_head":
            heads[0] = 5
        elif defect == "household_multiple_heads":
            heads[1] = 1
        out = []
        for idx, m in enumerate(members):
            m.setdefault("entries", []).append(entry)
            if m["created"] is None:
                m["created"] = self.stamp(self.lag(entry, False))
            enrollment_id = self.next_id("E")
            pid = m["pid"]
            out.append((enrollment_id, pid))
            relationship = heads[idx]
            if (
                not clean_fields
                and idx > 0
                and relationship in (2, 3, 4, 5)
                and self.roll("relationship_missing")
            ):
                relationship = 99
                self.plant("relationship_missing", "Enrollment", enrollment_id, pid)
            late = not clean_fields and self.as_of - entry >= 11 and self.roll("late_entry")
            if late:
                self.plant("late_entry", "Enrollment", enrollment_id, pid)
            disabling = 1 if m["disabled"] else 0
            key = None if clean_fields else self.pick(["disabling_dkpnta", "disabling_missing"])
            if key:
                disabling = r.choice((8, 9)) if key == "disabling_dkpnta" else 99
                self.plant(key, "Enrollment", enrollment_id, pid)
            prior = r.choice(PRIOR_HOUSED if t == HP else PRIOR_HOMELESS)
            adult_clean_dob = m["adult"] and "dob" not in m["defects"]
            key = (
                None
                if clean_fields or not adult_clean_dob
                else self.pick(["prior_living_dkpnta", "prior_living_missing"])
            )
            if key:
                prior = r.choice((8, 9)) if key == "prior_living_dkpnta" else 99
                self.plant(key, "Enrollment", enrollment_id, pid)
            created = self.stamp(self.lag(entry, late))
            self.row(
                "Enrollment",
                {
                    "EnrollmentID": enrollment_id,
                    "PersonalID": pid,
                    "ProjectID": project.project_id,
                    "EntryDate": d(entry),
                    "HouseholdID": household_id,
                    "RelationshipToHoH": relationship,
                    "EnrollmentCoC": self.o.coc,
                    "LivingSituation": prior,
                    "RentalSubsidyType": r.choice(SUBSIDY_TYPES) if prior == 435 else "",
                    "LengthOfStay": r.choice((2, 3, 4, 5, 10, 11)),
                    "LOSUnderThreshold": 1 if prior >= 200 else "",
                    "PreviousStreetESSH": 1 if prior >= 200 else "",
                    "DateToStreetESSH": d(entry - r.randint(0, 900)),
                    "TimesHomelessPastThreeYears": r.choice((1, 1, 2, 3, 4)),
                    "MonthsHomelessPastThreeYears": r.randint(101, 113),
                    "DisablingCondition": disabling,
                    "DateOfEngagement": engagement,
                    "MoveInDate": move_in,
                    **self.trailer(created, self.users[len(out) % len(self.users)]),
                },
            )
            self._assessments(m, enrollment_id, entry, exit_date, defect, t)
            if nights:
                self._bed_nights(enrollment_id, pid, nights)
            if contacts:
                self._contacts(enrollment_id, pid, contacts, t)
                if t == SO and idx == 0:
                    self._path_services(enrollment_id, pid, contacts)
            if t == CE and idx == 0:
                self._ce(enrollment_id, pid, entry, end)
            if exit_date is not None:
                self._exit(enrollment_id, pid, exit_date, destination, clean_fields)
        return out

    def _days(self, window: tuple[int, int], n: int, force_recent: bool) -> list[int]:
        """n distinct days in the window (inclusive), always the first; the last is within 30 days
        of as_of when ``force_recent``."""
        first, last = window
        days = {first}
        if force_recent:
            days.add(self.r.randint(max(first, self.as_of - 30), self.as_of))
        room = last - first + 1
        n = min(n, room)
        if n > len(days):
            days.update(self.r.sample(range(first, last + 1), n - len(days)))
        return sorted(days)

    def _assessments(self, m, enrollment_id, entry, exit_date, defect, t) -> None:
        """IncomeBenefits at entry, every anniversary and exit; disabilities and DV at entry."""
        d, pid = self.d, m["pid"]
        profile = _INCOME_PROFILES[m["income"]]
        self._income(enrollment_id, pid, entry, 1, profile)
        if defect != "missing_annual_assessment":
            limit = exit_date if exit_date is not None else self.as_of
            year = 1
            while True:
                anniversary = _add_years(entry, year)
                if anniversary > limit:
                    break
                self._income(enrollment_id, pid, anniversary, 5, profile)
                year += 1
        if exit_date is not None:
            self._income(enrollment_id, pid, exit_date, 3, profile)
        created = f"{d(entry)} 12:00:00"
        for kind in m["disabilities"]:
            self.row(
                "Disabilities",
                {
                    "DisabilitiesID": self.next_id("D"),
                    "EnrollmentID": enrollment_id,
                    "PersonalID": pid,
                    "InformationDate": d(entry),
                    "DisabilityType": kind,
                    "DisabilityResponse": self.r.choice((1, 2, 3)) if kind == 10 else 1,
                    "IndefiniteAndImpairs": 1,
                    "DataCollectionStage": 1,
                    **self.trailer(created),
                },
            )
        if m["adult"]:
            dv = m["dv"]
            self.row(
                "HealthAndDV",
                {
                    "HealthAndDVID": self.next_id("HDV"),
                    "EnrollmentID": enrollment_id,
                    "PersonalID": pid,
                    "InformationDate": d(entry),
                    "DomesticViolenceSurvivor": 1 if dv else 0,
                    "WhenOccurred": self.r.choice((1, 2, 3, 4)) if dv else "",
                    "CurrentlyFleeing": self.r.choice((0, 1)) if dv else "",
                    "DataCollectionStage": 1,
                    **self.trailer(created),
                },
            )

    def _income(self, enrollment_id, pid, day, stage, profile) -> None:
        index = self.cols["IncomeBenefits"]
        line = self.tpl["IncomeBenefits"].copy()
        for position, value in profile:
            line[position] = value
        line[index["IncomeBenefitsID"]] = self.next_id("IB")
        line[index["EnrollmentID"]] = enrollment_id
        line[index["PersonalID"]] = pid
        line[index["InformationDate"]] = self.d(day)
        line[index["DataCollectionStage"]] = stage
        created = f"{self.d(day)} 12:00:00"
        line[index["DateCreated"]] = created
        line[index["DateUpdated"]] = created
        line[index["UserID"]] = self.users[0]
        line[index["ExportID"]] = self.export_id
        self.w["IncomeBenefits"](line)
        self.counts["IncomeBenefits"] += 1

    def _bed_nights(self, enrollment_id, pid, nights) -> None:
        index = self.cols["Services"]
        base = self.tpl["Services"].copy()
        base[index["EnrollmentID"]] = enrollment_id
        base[index["PersonalID"]] = pid
        base[index["RecordType"]] = 200
        base[index["TypeProvided"]] = 200
        base[index["UserID"]] = self.users[1]
        base[index["ExportID"]] = self.export_id
        i_id, i_date = index["ServicesID"], index["DateProvided"]
        i_created, i_updated = index["DateCreated"], index["DateUpdated"]
        write = self.w["Services"]
        for night in nights:
            line = base.copy()
            line[i_id] = self.next_id("S")
            line[i_date] = self.d(night)
            stamp = f"{self.d(night)} 21:00:00"
            line[i_created] = stamp
            line[i_updated] = stamp
            write(line)
        self.counts["Services"] += len(nights)

    def _path_services(self, enrollment_id, pid, contacts) -> None:
        for day in contacts:
            self.row(
                "Services",
                {
                    "ServicesID": self.next_id("S"),
                    "EnrollmentID": enrollment_id,
                    "PersonalID": pid,
                    "DateProvided": self.d(day),
                    "RecordType": 141,
                    "TypeProvided": self.r.choice((1, 2, 4, 6, 14)),
                    **self.trailer(f"{self.d(day)} 16:00:00", self.users[2]),
                },
            )

    def _contacts(self, enrollment_id, pid, contacts, t) -> None:
        for day in contacts:
            self.row(
                "CurrentLivingSituation",
                {
                    "CurrentLivingSitID": self.next_id("CLS"),
                    "EnrollmentID": enrollment_id,
                    "PersonalID": pid,
                    "InformationDate": self.d(day),
                    "CurrentLivingSituation": 116 if t == SO else 101,
                    **self.trailer(f"{self.d(day)} 15:00:00", self.users[3]),
                },
            )

    def _ce(self, enrollment_id, pid, entry, end) -> None:
        r, d = self.r, self.d
        day = min(entry + r.randint(0, 5), end if end is not None else self.as_of)
        assessment_id = self.next_id("A")
        trailer = self.trailer(f"{d(day)} 11:00:00", self.users[4])
        self.row(
            "Assessment",
            {
                "AssessmentID": assessment_id,
                "EnrollmentID": enrollment_id,
                "PersonalID": pid,
                "AssessmentDate": d(day),
                "AssessmentLocation": "Eastside Access Point",
                "AssessmentType": r.choice((1, 2, 3)),
                "AssessmentLevel": r.choice((1, 2)),
                "PrioritizationStatus": r.choice((1, 2)),
                **trailer,
            },
        )
        for order, (question, answer) in enumerate(
            (("Where did you sleep last night?", "Outside"), ("Household size", "1")), 1
        ):
            self.row(
                "AssessmentQuestions",
                {
                    "AssessmentQuestionID": self.next_id("AQ"),
                    "AssessmentID": assessment_id,
                    "EnrollmentID": enrollment_id,
                    "PersonalID": pid,
                    "AssessmentQuestionGroup": "Intake",
                    "AssessmentQuestionOrder": order,
                    "AssessmentQuestion": question,
                    "AssessmentAnswer": answer,
                    **trailer,
                },
            )
        self.row(
            "AssessmentResults",
            {
                "AssessmentResultID": self.next_id("AR"),
                "AssessmentID": assessment_id,
                "EnrollmentID": enrollment_id,
                "PersonalID": pid,
                "AssessmentResultType": "Vulnerability score",
                "AssessmentResult": str(r.randint(1, 17)),
                **trailer,
            },
        )
        event = r.choice((10, 11, 13, 14))
        result_day = min(day + r.randint(1, 20), self.as_of)
        self.row(
            "Event",
            {
                "EventID": self.next_id("EV"),
                "EnrollmentID": enrollment_id,
                "PersonalID": pid,
                "EventDate": d(day),
                "Event": event,
                "ReferralResult": r.choice((1, 1, 2, 3)),
                "ResultDate": d(result_day),
                **trailer,
            },
        )

    def _exit(self, enrollment_id, pid, exit_date, destination, clean_fields) -> None:
        r = self.r
        exit_id = self.next_id("X")
        key = None if clean_fields else self.pick(["destination_dkpnta", "destination_missing"])
        if key:
            destination = r.choice((8, 9)) if key == "destination_dkpnta" else r.choice((30, 99))
            self.plant(key, "Exit", exit_id, pid)
        late = not clean_fields and self.as_of - exit_date >= 11 and self.roll("late_exit")
        if late:
            self.plant("late_exit", "Exit", exit_id, pid)
        self.row(
            "Exit",
            {
                "ExitID": exit_id,
                "EnrollmentID": enrollment_id,
                "PersonalID": pid,
                "ExitDate": self.d(exit_date),
                "Destination": destination,
                "DestinationSubsidyType": r.choice(SUBSIDY_TYPES) if destination == 435 else "",
                **self.trailer(self.stamp(self.lag(exit_date, late)), self.users[5]),
            },
        )


def _store(archive: zipfile.ZipFile, source: Path, name: str) -> None:
    """Add a file with a fixed timestamp (so a seed gives the same zip, byte for byte), streamed."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # fast: the zip is a transport, not an archive (private in 3.11)
    size = source.stat().st_size
    with source.open("rb") as src, archive.open(info, "w", force_zip64=size > 2**30) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _leap_day(ordinal: int) -> bool:
    day = dt.date.fromordinal(ordinal)
    return day.month == 2 and day.day == 29


def _add_years(ordinal: int, years: int) -> int:
    day = dt.date.fromordinal(ordinal)
    return day.replace(year=day.year + years).toordinal()


def _bad_ssn_shape(ssn: str) -> bool:
    """HUD's SSN validity test on nine digits (REFERENCE.md §3.2), True when invalid."""
    if ssn[:3] in ("000", "666") or ssn[0] == "9" or ssn[3:5] == "00" or ssn[5:] == "0000":
        return True
    if len(set(ssn)) == 1:
        return True
    digits = [int(c) for c in ssn]
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


def _invalid_ssn(r: random.Random, ssn: str) -> str:
    kind = r.choice(INVALID_SSNS)
    if kind == "000":
        return "000" + ssn[3:]
    if kind == "666":
        return "666" + ssn[3:]
    if kind == "9":
        return f"9{r.randint(0, 99):02d}" + ssn[3:]
    if kind == "group00":
        return ssn[:3] + "00" + ssn[5:]
    if kind == "serial0000":
        return ssn[:5] + "0000"
    if kind == "same":
        return str(r.randint(1, 8)) * 9
    start = r.randint(1, 8)
    return "".join(str((start + i) % 10) for i in range(9))


def _income_profiles() -> list[tuple[tuple[int, object], ...]]:
    """A fixed library of consistent IncomeBenefits contents (column position, value)."""
    index = {c: i for i, c in enumerate(columns()["IncomeBenefits"])}
    sources = [
        ("Earned", "EarnedAmount", 900),
        ("SSI", "SSIAmount", 943),
        ("SSDI", "SSDIAmount", 1100),
        ("Unemployment", "UnemploymentAmount", 600),
        ("TANF", "TANFAmount", 450),
        ("GA", "GAAmount", 250),
        ("SocSecRetirement", "SocSecRetirementAmount", 1200),
        ("ChildSupport", "ChildSupportAmount", 300),
    ]
    flags = [
        "Earned", "Unemployment", "SSI", "SSDI", "VADisabilityService", "VADisabilityNonService",
        "PrivateDisability", "WorkersComp", "TANF", "GA", "SocSecRetirement", "Pension",
        "ChildSupport", "Alimony", "OtherIncomeSource",
    ]  # fmt: skip
    benefits = [
        "SNAP",
        "WIC",
        "TANFChildCare",
        "TANFTransportation",
        "OtherTANF",
        "OtherBenefitsSource",
    ]
    insurance = ["Medicaid", "Medicare", "SCHIP", "VHAServices", "EmployerProvided", "COBRA"]
    insurance += ["PrivatePay", "StateHealthIns", "IndianHealthServices", "OtherInsurance"]
    profiles = []
    rng = random.Random(2026)
    for n in range(64):
        values = dict.fromkeys(flags, 0)
        has_income = n % 2 == 0
        total = 0
        if has_income:
            for flag, amount_col, base in rng.sample(sources, rng.choice((1, 1, 2))):
                amount = base + rng.randint(-100, 300)
                values[flag] = 1
                values[amount_col] = f"{amount}.00"
                total += amount
        values["IncomeFromAnySource"] = 1 if has_income else 0
        values["TotalMonthlyIncome"] = f"{total}.00"
        has_benefits = n % 3 != 0
        values.update(dict.fromkeys(benefits, 0))
        if has_benefits:
            values["SNAP"] = 1
        values["BenefitsFromAnySource"] = 1 if has_benefits else 0
        has_insurance = n % 4 != 0
        values.update(dict.fromkeys(insurance, 0))
        if has_insurance:
            values["Medicaid"] = 1
        values["InsuranceFromAnySource"] = 1 if has_insurance else 0
        profiles.append(tuple((index[c], v) for c, v in values.items()))
    return profiles


_INCOME_PROFILES = _income_profiles()


def manifest_path_for(zip_path: Path) -> Path:
    """``export.zip`` → ``export.manifest.json`` next to it."""
    zip_path = Path(zip_path)
    return zip_path.with_name(zip_path.stem + ".manifest.json")


def generate(out: Path | str, options: GeneratorOptions | None = None) -> GenerationResult:
    """Write an FY2026 HMIS CSV zip to ``out`` and its manifest next to it."""
    return Generator(options or GeneratorOptions()).write(Path(out))

"""The role catalogue of an HMIS community, from the seed's who-does-what matrix.

Source: ``shared/seed/roles-and-responsibilities.txt`` ("Community roles and responsibilities for
HMIS"). One role per row group of the matrix; responsibilities are in our own words. The
permissions are the object permissions each role holds on its scope (a CoC or an agency), as
codenames of ``agencies.ContinuumOfCare`` or ``agencies.Agency``. ``assignable_by`` follows the
seed: the CoC HMIS administrator sets up agency administrators and key users, an agency executive
designates the agency HMIS administrator, and the agency HMIS administrator is the authorized
agent for the agency's user accounts.

A migration applies this catalogue (``apply_catalogue``); change it only together with a new
migration that applies it again.
"""

COC, AGENCY = "coc", "agency"

COC_VIEW = ["view_continuumofcare"]
AGENCY_VIEW = ["view_agency"]

ROLES = [
    {
        "key": "system_architect",
        "name": "System architect and strategist",
        "scope_type": COC,
        "description": "Guides the community on best practice and regulatory compliance so that "
        "the homeless response system is data-driven and performance-based.",
        "permissions": COC_VIEW + ["view_reports", "view_performance", "review_data_quality"],
        "assignable_by": ["coc_hmis_admin"],
        "responsibilities": [
            (
                "guidance",
                "Guide the community on best practice and regulatory compliance for a "
                "data-driven, performance-based system",
            ),
            (
                "system_measures",
                "Advise on system performance measures, coordinated entry and "
                "by-name lists, especially where data comes from several sources",
            ),
            (
                "agency_reporting_help",
                "Help partner agencies with their own data collection and "
                "reporting needs, within reason",
            ),
            ("dq_assistance", "Monitor data quality and help agencies remediate it"),
            (
                "vendor_compliance",
                "Evaluate the HMIS vendor for compliance with HUD rules and local HMIS policy",
            ),
            (
                "hmis_funding",
                "Support HMIS grant applications and other funding for HMIS operations",
            ),
            ("policies_current", "Keep policies and procedures current and complete"),
            ("helpdesk", "Run a helpdesk that gives and tracks live support to users"),
        ],
    },
    {
        "key": "hmis_vendor",
        "name": "HMIS vendor",
        "scope_type": COC,
        "description": "The software vendor whose system the CoC uses as its HMIS.",
        "permissions": COC_VIEW + ["manage_helpdesk", "import_data"],
        "assignable_by": ["coc_hmis_admin"],
        "responsibilities": [
            (
                "dq_tools",
                "Give the designated HMIS administrator tools and training to monitor "
                "data quality and readiness for reporting",
            ),
            ("data_standards", "Follow HUD's data standards in front-end data collection"),
            ("user_support", "Support end users through a helpdesk"),
        ],
    },
    {
        "key": "coc_hmis_admin",
        "name": "CoC HMIS administrator",
        "scope_type": COC,
        "description": "Staff of the HMIS Lead who run the local HMIS for the whole CoC.",
        "permissions": COC_VIEW
        + [
            "change_continuumofcare",
            "manage_agencies",
            "assign_roles",
            "manage_users",
            "run_scans",
            "review_data_quality",
            "build_reports",
            "view_reports",
            "manage_governance",
            "manage_helpdesk",
            "view_client_pii",
            "import_data",
            "view_performance",
        ],
        "assignable_by": ["coc_hmis_admin"],
        "responsibilities": [
            (
                "setup",
                "Set up new agencies, agency administrators, key users and points of "
                "contact for the region",
            ),
            ("committee_meetings", "Convene and run the region's HMIS committee meetings"),
            (
                "spokesperson",
                "Speak for the HMIS locally and show CoC members and stakeholders why data matters",
            ),
            ("non_participating", "Work with non-participating agencies to bring them into HMIS"),
            ("reports", "Generate program and community-level reports and help submit them"),
            ("liaison", "Implement the HMIS and link the CoC, partner agencies and the vendor"),
            ("documentation", "Keep the CoC's HMIS documentation current"),
            (
                "training",
                "Train users on data quality, new-user workflow, confidentiality and "
                "more, and give technical assistance",
            ),
        ],
    },
    {
        "key": "coc_governance_admin",
        "name": "CoC governance administrator",
        "scope_type": COC,
        "description": "Holds the CoC's policies, agreements and relationship with HUD and the "
        "vendor.",
        "permissions": COC_VIEW + ["manage_governance", "view_reports", "view_performance"],
        "assignable_by": ["coc_hmis_admin"],
        "responsibilities": [
            ("policies", "Write and update the required policies and procedures"),
            (
                "forms",
                "Keep project forms and documentation: HMIS, governance, MOUs, policies "
                "and procedures",
            ),
            ("projects", "Hold overall responsibility for projects"),
            ("lead_agency", "Act as, or coordinate with, the lead agency for HMIS administration"),
            ("hud_liaison", "Be the liaison with HUD"),
            ("procurement", "Procure software and licences"),
            ("vendor_contracts", "Manage the vendor contracts"),
            ("mou_signatory", "Sign MOUs for the CoC and keep the signed copies"),
        ],
    },
    {
        "key": "agency_executive",
        "name": "Agency executive (ED/CEO)",
        "scope_type": AGENCY,
        "description": "Acts for the partner agency: designates its HMIS administrator and signs "
        "its agreements.",
        "permissions": AGENCY_VIEW
        + ["change_agency", "assign_roles", "sign_agreements", "view_reports", "view_flags"],
        "assignable_by": ["coc_hmis_admin"],
        "responsibilities": [
            ("designate_admin", "Designate the agency-wide HMIS administrator"),
            ("compliance", "Make sure the agency complies with policies and procedures"),
            ("privacy_security", "Hold the agency accountable for privacy and security"),
            ("pit", "Take part in the Point-in-Time count"),
            ("hic", "Take part in the Housing Inventory Count"),
            (
                "authorizing_agent",
                "Sign, as authorizing agent, the agreement or MOU that commits "
                "the agency to HUD compliance and HMIS data submission",
            ),
        ],
    },
    {
        "key": "agency_hmis_admin",
        "name": "Agency HMIS administrator / data-quality manager",
        "scope_type": AGENCY,
        "description": "Runs HMIS inside the agency: accounts, training, data quality and "
        "report verification.",
        "permissions": AGENCY_VIEW
        + [
            "assign_roles",
            "manage_users",
            "review_data_quality",
            "view_flags",
            "verify_reports",
            "view_reports",
            "view_client_pii",
            "import_data",
        ],
        "assignable_by": ["coc_hmis_admin", "agency_executive"],
        "responsibilities": [
            (
                "program_compliance",
                "Keep the agency's programs compliant with policies and procedures",
            ),
            ("consent_forms", "Keep the executed client informed-consent forms"),
            ("user_accounts", "Act as authorized agent for the agency's user accounts"),
            ("workstations", "Ensure internet access, suitable workstations and security policies"),
            ("staff_training", "Make sure the right staff are trained"),
            ("missing_values", "Review HMIS data for missing values and information"),
            ("dq_reports", "Prepare data-quality reports when needed"),
            ("verify_pit_hic", "Verify the accuracy of PIT and HIC counts"),
            ("apr_review", "Review HMIS data for the APR submission"),
            ("coc_liaison", "Be the primary liaison with the CoC and submit reports"),
        ],
    },
    {
        "key": "agency_program_staff",
        "name": "Agency program staff",
        "scope_type": AGENCY,
        "description": "Case workers and intake staff who enter data for the agency's projects.",
        "permissions": AGENCY_VIEW + ["view_flags", "view_client_pii"],
        "assignable_by": ["coc_hmis_admin", "agency_executive", "agency_hmis_admin"],
        "responsibilities": [
            ("collect_data", "Collect every required data element for every project participant"),
        ],
    },
    {
        "key": "performance_committee",
        "name": "Performance management and evaluation committee member",
        "scope_type": COC,
        "description": "Sets the system's goals and watches performance all year.",
        "permissions": COC_VIEW + ["view_reports", "view_performance", "manage_performance"],
        "assignable_by": ["coc_hmis_admin"],
        "responsibilities": [
            ("goals", "Set system-wide performance goals and benchmarks"),
            ("pmp", "Write and keep the community's Performance Management Plan"),
            ("monitor", "Monitor and communicate performance all year"),
            ("capacity", "Build capacity and spread best practice"),
            ("planning", "Bring performance into system planning"),
        ],
    },
]


def apply_catalogue(apps) -> None:
    """Create or update the catalogue; safe to run again (used by migrations and tests)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    Role = apps.get_model("roles", "Role")
    Responsibility = apps.get_model("roles", "Responsibility")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    # Content types and custom Meta permissions are normally created after migrate (by a
    # post_migrate signal); the catalogue needs them now.
    agencies_config = global_apps.get_app_config("agencies")
    create_contenttypes(agencies_config, verbosity=0, apps=apps)
    create_permissions(agencies_config, verbosity=0, apps=apps)
    content_types = {
        COC: ContentType.objects.get(app_label="agencies", model="continuumofcare"),
        AGENCY: ContentType.objects.get(app_label="agencies", model="agency"),
    }
    roles = {}
    for order, spec in enumerate(ROLES, start=1):
        role, _ = Role.objects.update_or_create(
            key=spec["key"],
            defaults={
                "name": spec["name"],
                "scope_type": spec["scope_type"],
                "description": spec["description"],
                "order": order,
            },
        )
        perms = list(
            Permission.objects.filter(
                content_type=content_types[spec["scope_type"]], codename__in=spec["permissions"]
            )
        )
        missing = set(spec["permissions"]) - {p.codename for p in perms}
        if missing:
            raise RuntimeError(f"Role {spec['key']} names unknown permissions: {sorted(missing)}")
        role.permissions.set(perms)
        keys = []
        for position, (key, text) in enumerate(spec["responsibilities"], start=1):
            full_key = f"{spec['key']}.{key}"
            keys.append(full_key)
            Responsibility.objects.update_or_create(
                key=full_key, defaults={"role": role, "text": text, "order": position}
            )
        Responsibility.objects.filter(role=role).exclude(key__in=keys).delete()
        roles[spec["key"]] = role
    for spec in ROLES:
        roles[spec["key"]].assignable_by.set([roles[k] for k in spec["assignable_by"]])

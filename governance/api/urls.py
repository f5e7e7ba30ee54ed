from rest_framework.routers import SimpleRouter

from . import views as v

# SimpleRouter: the foundation's router already serves the API root.
router = SimpleRouter(trailing_slash=True)
for prefix, viewset, basename in [
    ("agreements", v.AgreementViewSet, "agreement"),
    ("policies", v.PolicyViewSet, "policy"),
    ("policy-versions", v.PolicyVersionViewSet, "policy-version"),
    ("policy-acknowledgements", v.PolicyAcknowledgementViewSet, "policy-acknowledgement"),
    ("account-requests", v.AccountRequestViewSet, "account-request"),
    ("recertifications", v.RecertificationViewSet, "recertification"),
    ("trainings", v.CourseViewSet, "course"),
    ("training-sessions", v.TrainingSessionViewSet, "training-session"),
    ("certificates", v.CertificateViewSet, "certificate"),
    ("consents", v.ConsentViewSet, "consent"),
    ("tickets", v.TicketViewSet, "ticket"),
    ("ticket-comments", v.TicketCommentViewSet, "ticket-comment"),
    ("committees", v.CommitteeViewSet, "committee"),
    ("meetings", v.MeetingViewSet, "meeting"),
    ("action-items", v.ActionItemViewSet, "action-item"),
    ("performance-goals", v.PerformanceGoalViewSet, "performance-goal"),
    ("performance-results", v.PerformanceResultViewSet, "performance-result"),
    ("vendor-checks", v.VendorCheckViewSet, "vendor-check"),
    ("outreach-notes", v.OutreachNoteViewSet, "outreach-note"),
    ("compliance", v.ComplianceViewSet, "compliance"),
    ("audit-log", v.AuditLogViewSet, "audit-log"),
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls

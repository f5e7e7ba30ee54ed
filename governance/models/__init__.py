from .accounts import AccountRecertification, AccountRequest
from .agreements import Agreement
from .base import TaskRun
from .committees import ActionItem, Committee, Meeting
from .consent import ClientConsent
from .helpdesk import Ticket, TicketComment
from .outreach import OutreachNote
from .performance import PerformanceGoal, PerformanceResult
from .policies import Policy, PolicyAcknowledgement, PolicyVersion
from .training import Certificate, Course, TrainingSession
from .vendor import VendorCheck

__all__ = [
    "AccountRecertification",
    "AccountRequest",
    "ActionItem",
    "Agreement",
    "Certificate",
    "ClientConsent",
    "Committee",
    "Course",
    "Meeting",
    "OutreachNote",
    "PerformanceGoal",
    "PerformanceResult",
    "Policy",
    "PolicyAcknowledgement",
    "PolicyVersion",
    "TaskRun",
    "Ticket",
    "TicketComment",
    "TrainingSession",
    "VendorCheck",
]

from .agency import Agency
from .continuum import ContinuumOfCare
from .permissions import (
    AgencyGroupObjectPermission,
    AgencyUserObjectPermission,
    CoCGroupObjectPermission,
    CoCUserObjectPermission,
)
from .project import Project

__all__ = [
    "Agency",
    "AgencyGroupObjectPermission",
    "AgencyUserObjectPermission",
    "CoCGroupObjectPermission",
    "CoCUserObjectPermission",
    "ContinuumOfCare",
    "Project",
]

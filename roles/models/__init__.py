from .assignment import RoleAssignment
from .role import Responsibility, Role, ScopeType
from .user import User

__all__ = ["Responsibility", "Role", "RoleAssignment", "ScopeType", "User"]

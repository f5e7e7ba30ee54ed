"""Password rules from the HUD HMIS security baseline (69 FR 45888 §4.3, REFERENCE.md §6.3)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# HUD: a password must not contain the HMIS name or the vendor name.
SYSTEM_NAMES = ("hmis", "governance")


class LetterAndDigitValidator:
    """At least one letter and one number."""

    def validate(self, password: str, user=None) -> None:
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(
                _("Your password must contain at least one letter and one number."),
                code="password_letter_digit",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain at least one letter and one number.")


class NoSystemNameValidator:
    """Not the user name nor the system's name, forwards or backwards."""

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        names = list(SYSTEM_NAMES)
        if user is not None and getattr(user, "username", ""):
            names.append(user.username.lower())
        for name in names:
            if name and (name in lowered or name[::-1] in lowered):
                raise ValidationError(
                    _("Your password must not contain your user name or the system's name."),
                    code="password_contains_name",
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain your user name or the system's name.")

"""Protected client identifiers: SSN encryption at rest, masking, match keys, the access log.

The key comes from the environment (``HMIS_PII_KEY``); without it, development and tests derive
one from ``SECRET_KEY`` so that nothing is ever stored in clear. Production must set it (and keep
it: rotating means re-importing, since the SSN is only stored encrypted).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _secret() -> bytes:
    secret = os.environ.get("HMIS_PII_KEY") or getattr(settings, "HMIS_PII_KEY", None)
    if not secret:
        secret = f"dev-only-pii-key:{settings.SECRET_KEY}"
    return secret.encode()


@cache
def _fernet() -> Fernet:
    key = hashlib.sha256(b"hmis-ssn-encryption:" + _secret()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""  # a key change: the value is unreadable, never shown garbled


@cache
def _match_secret() -> bytes:
    return hashlib.sha256(b"hmis-match:" + _secret()).digest()


def match_key(*parts: str) -> str:
    """A keyed hash (HMAC-SHA-256) of normalised parts; "" when any part is empty."""
    if not all(parts):
        return ""
    text = "|".join(normalise(p) for p in parts)
    # One-shot HMAC (three per client row of an import: no HMAC object each time).
    return hmac.digest(_match_secret(), text.encode(), "sha256").hex()


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalise(text: str) -> str:
    if not text.isascii():  # ASCII is its own NFKD form: only the rest is decomposed
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", text.lower())


SSN_DIGITS = re.compile(r"^[0-9]{9}$")
_HASH = re.compile(r"^[0-9a-fA-F]{32,}$")
_SSN_SHAPE = re.compile(r"^[0-9xX]{9}$")


def ssn_is_invalid(ssn: str) -> bool:
    """HUD's SSN validity test (REFERENCE.md §3.2, APR Q6a column D); ``x`` is an unknown digit."""
    if not _SSN_SHAPE.match(ssn):
        return True
    known = [c.isdigit() for c in ssn]
    area, group, serial = ssn[:3], ssn[3:5], ssn[5:]
    if any(known) and not all(known[5:]):
        return True  # last four absent while other digits are there
    if serial == "0000":
        return True
    if all(known[:3]) and (area in ("000", "666") or area.startswith("9")):
        return True
    if all(known[3:5]) and group == "00":
        return True
    if all(known):
        if len(set(ssn)) == 1:
            return True
        digits = [int(c) for c in ssn]
        steps = {(b - a) % 10 for a, b in zip(digits, digits[1:], strict=False)}
        if steps in ({1}, {9}):  # 123456789, 345678901, 987654321 …
            return True
    return False


def ssn_invalid(ssn: str) -> bool:
    """Whether a stored SSN fails HUD's validity test; a blank SSN is "missing", not invalid.

    A hashed export (HashStatus 4) stores a hex digest, which has no digits to test. (An empty
    last four cannot stand for "hashed": HUD counts "12345xxxx" as an issue.)
    """
    return bool(ssn) and not _HASH.match(ssn) and ssn_is_invalid(ssn)


def client_keys(first: str, last: str, ssn: str, hashed: bool) -> dict[str, str | bool]:
    """The stored SSN fields and match keys of one Client.csv row.

    ``ssn_invalid`` is HUD's validity test, taken here while the SSN is in clear so that the
    data-quality rule and the APR's Q6a are plain SQL over the column (the SSN itself is only
    stored encrypted and would otherwise be decrypted for every client of every scan).
    """
    last4 = ssn[-4:] if not hashed and len(ssn) == 9 and ssn[-4:].isdigit() else ""
    return {
        "ssn_encrypted": encrypt(ssn),
        "ssn_last4": last4,
        "ssn_invalid": ssn_invalid(ssn),
        "match_name": match_key(first, last),
        # Any non-blank SSN (hashed ones included); matching uses it only with SSNDataQuality 1.
        # It also tells the importer when the encrypted value must be replaced.
        "match_ssn": match_key(ssn),
        "match_ssn4": match_key(last4),
    }


def mask_ssn(last4: str) -> str:
    return f"***-**-{last4}" if last4 else ""

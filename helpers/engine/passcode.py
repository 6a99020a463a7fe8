"""The instructor passcode, handled only as a salted hash.

The server hashes the passcode it is started with and hands kernels the hash
in ``COURSE_INSTRUCTOR_PASSCODE_HASH``; the passcode itself is never written to
a notebook, a file or a kernel's environment.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

ENV_VARIABLE = "COURSE_INSTRUCTOR_PASSCODE_HASH"
_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 200_000


def hash_passcode(passcode: str, *, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt.encode("ascii"), _ITERATIONS).hex()
    return f"{_ALGORITHM}${_ITERATIONS}${salt}${digest}"


def verify_passcode(passcode: str, stored: str) -> bool:
    """Constant-time check; a malformed stored hash never matches."""
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != _ALGORITHM:
            return False
        candidate = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt.encode("ascii"), int(iterations)).hex()
    except (ValueError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(candidate, digest)


def new_passcode() -> str:
    """A passcode an instructor can read aloud or type: 8 digits."""
    return f"{secrets.randbelow(10**8):08d}"

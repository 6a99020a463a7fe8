"""Errors the store raises.

Every one is a ``ValueError`` whose message is Simplified Chinese and names the
record, field or database file at fault, because the page shows it to the
trainee (or to the training administrator they call) as it is.
"""

from __future__ import annotations


class StoreError(ValueError):
    """Base of everything the store layer raises."""


class StoreUnavailable(StoreError):
    """The database cannot be opened or used: missing, unreadable, corrupt, busy or too new.

    The store never repairs, recreates or resets a database that fails like
    this; the file is left exactly as it was for an administrator to look at.
    """


class IdentityConflict(StoreError):
    """The trainee number is already taken in that class by someone with another name."""


class UnknownRecord(StoreError):
    """A trainee or attempt id that the database does not hold."""


class InvalidRecord(StoreError):
    """A value that cannot be stored: an empty or overlong key, a non-JSON answer, a NaN score."""


class ClassError(StoreError):
    """A class that cannot be created, used or signed in to, or a roster that cannot be imported."""


class ExamClosed(StoreError):
    """An answer saved to an exam attempt that has already been handed in."""


class BackupError(StoreError):
    """A backup or restore refused: no database to copy, a target that exists, a file that is
    not a course database, a database still in use, or a server that is not SQLite."""

"""Where the course database lives when nobody says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL

APP_NAME = "liangxin-workbook"
FILE_NAME = "course.sqlite3"
# Where the course kept its data before it moved to the per-user data folder:
# ``data/`` in the course folder.  A database found there is still used.
COURSE_FOLDER_DATA = Path(__file__).resolve().parents[2] / "data"


def database_url() -> str:
    """The database to use: ``COURSE_DB_URL``, else ``course.sqlite3`` in a data folder.

    The folder (see :func:`data_folder`) is created here so that a first run
    on a new machine needs no setup step.  The URL is
    built with :class:`~sqlalchemy.engine.URL` so folder names with spaces,
    ``%``, ``?`` or Chinese characters survive the round trip.
    """
    url = os.environ.get("COURSE_DB_URL")
    if url:
        return url
    folder = data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder_url(folder)


def data_folder() -> Path:
    """``COURSE_DATA_DIR``, else the user's own data folder (``platformdirs``).

    The per-user folder (``~/.local/share/…``, ``%LOCALAPPDATA%\\…``,
    ``~/Library/Application Support/…``) survives replacing the course folder
    with a newer version, and on a shared computer keeps each user's records
    apart.  A database already in the course folder's ``data/`` (where earlier
    versions kept it) goes on being used, so an update loses nothing.
    """
    given = os.environ.get("COURSE_DATA_DIR")
    if given:
        return Path(given)
    if (COURSE_FOLDER_DATA / FILE_NAME).is_file():
        return COURSE_FOLDER_DATA
    return Path(platformdirs.user_data_dir(APP_NAME))


def folder_url(folder: Path) -> str:
    """The URL of the course database kept in ``folder``; creates nothing."""
    return URL.create("sqlite", database=str(Path(folder) / FILE_NAME)).render_as_string()


SELF_STUDY_ENV = "COURSE_SELF_STUDY"


def serving_self_study() -> bool:
    """Whether the course is served for self-study on one person's computer.

    Then the data folder belongs to whoever uses this computer, and the course
    home may list its self-study profiles.  Only ``helpers.apps.serve`` sets
    the variable, and never for a server other machines can reach: there the
    list would show trainees' names to everyone.
    """
    return os.environ.get(SELF_STUDY_ENV) == "1"

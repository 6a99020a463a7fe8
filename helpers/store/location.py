"""Where the course database lives when nobody says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL

APP_NAME = "liangxin-workbook"
FILE_NAME = "course.sqlite3"


def database_url() -> str:
    """The database to use: ``COURSE_DB_URL``, else ``course.sqlite3`` in a data folder.

    The folder is ``COURSE_DATA_DIR`` or the per-user data folder, and is created
    here so that a first run on a new machine needs no setup step.  The URL is
    built with :class:`~sqlalchemy.engine.URL` so folder names with spaces,
    ``%``, ``?`` or Chinese characters survive the round trip.
    """
    url = os.environ.get("COURSE_DB_URL")
    if url:
        return url
    folder = Path(os.environ.get("COURSE_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))
    folder.mkdir(parents=True, exist_ok=True)
    return folder_url(folder)


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

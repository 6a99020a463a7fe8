"""Alembic revisions, one file each; a package only so that it is installed with ``helpers``."""

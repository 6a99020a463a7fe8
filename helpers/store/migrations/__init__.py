"""Alembic migrations for the course database.

A package (rather than a bare folder) only so that it is installed with
``helpers``; Alembic reads ``env.py`` and ``versions/`` by path.
"""

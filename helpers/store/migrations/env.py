"""Alembic environment: migrate through the connection the store hands over.

The store always runs migrations itself (see ``helpers.store.migrate``), inside
its own locked transaction, so there is no offline mode and no URL here.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()

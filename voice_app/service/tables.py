"""The metadata every table of the app is in (conversations.py's, recording_tables.py's)."""

import sqlalchemy.orm
import sqlmodel


class Tables(sqlmodel.SQLModel, registry=sqlalchemy.orm.registry()):
    """The app's tables, in a metadata of their own: SQLModel's shared one is registered by
    Reflex too (as rx.Model's), and two registered models holding the same table made every
    `reflex db` command warn that it already exists."""

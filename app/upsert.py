"""Insert-or-update by unique key, the one place with a dialect switch (SQLite and PostgreSQL
both speak ON CONFLICT, through different SQLAlchemy constructs)."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def upsert(model, *, keys: dict, values: dict, keep_greatest: str | None = None,
           replace: tuple[str, ...] = ()) -> None:
    """Insert keys+values, or on a key clash: raise `keep_greatest` to the new value if that
    is higher, overwrite the columns in `replace`, or (with neither) leave the row alone."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**keys, **values)
    if keep_greatest:
        column = getattr(model, keep_greatest)
        excluded = getattr(statement.excluded, keep_greatest)
        greatest = func.greatest if dialect == "postgresql" else func.max
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={keep_greatest: greatest(column, excluded)})
    elif replace:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: getattr(statement.excluded, name) for name in replace})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    db.session.execute(statement)

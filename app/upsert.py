"""Insert-or-update by unique key, the one place with a dialect switch (SQLite and PostgreSQL
both speak ON CONFLICT, through different SQLAlchemy constructs)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def upsert(model, *, keys: dict, values: dict, keep_greatest: str | None = None,
           replace: tuple[str, ...] = ()) -> None:
    """Insert keys+values, or on a key clash: raise `keep_greatest` to the new value if that
    is higher, overwrite the columns in `replace`, or (with neither) leave the row alone."""
    statement = _statement(db.session.get_bind().dialect.name, model, tuple(keys),
                           tuple(values), keep_greatest, tuple(replace))
    db.session.execute(statement, {**keys, **values})


@lru_cache(maxsize=None)
def _statement(dialect: str, model, keys: tuple[str, ...], values: tuple[str, ...],
               keep_greatest: str | None, replace: tuple[str, ...]):
    # Built once per shape and given the values as parameters: replying and reacting run an
    # upsert each time, and building the statement and its cache key anew cost more than
    # running it (issue 12). A Core insert of the table: the columns come from the
    # parameters, the ORM's bulk path is not needed for one row.
    del values  # part of the cache key: the columns the parameters will name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model.__table__)
    if keep_greatest:
        column = model.__table__.c[keep_greatest]
        excluded = statement.excluded[keep_greatest]
        greatest = func.greatest if dialect == "postgresql" else func.max
        return statement.on_conflict_do_update(
            index_elements=list(keys), set_={keep_greatest: greatest(column, excluded)})
    if replace:
        return statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in replace})
    return statement.on_conflict_do_nothing(index_elements=list(keys))

"""Insert-or-update by unique key, the one place with a dialect switch (SQLite and PostgreSQL
both speak ON CONFLICT, through different SQLAlchemy constructs)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, func, text
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def upsert(model, *, keys: dict, values: dict, keep_greatest: str | None = None,
           replace: tuple[str, ...] = ()) -> None:
    """Insert keys+values, or on a key clash: raise `keep_greatest` to the new value if that
    is higher, overwrite the columns in `replace`, or (with neither) leave the row alone."""
    statement = _statement(db.session.get_bind().dialect.name, model, tuple(keys),
                           tuple(values), keep_greatest, tuple(replace))
    db.session.execute(statement, {**keys, **values})


# Dialects that write parameters by name, to compile an upsert into text once (below).
_NAMED = {"postgresql": postgresql.dialect(paramstyle="named"),
          "sqlite": sqlite.dialect(paramstyle="named")}


@lru_cache(maxsize=None)
def _statement(dialect: str, model, keys: tuple[str, ...], values: tuple[str, ...],
               keep_greatest: str | None, replace: tuple[str, ...]):
    # Built once per shape and given the values as parameters: replying runs an upsert each
    # time (issue 12). SQLAlchemy cannot cache an ON CONFLICT clause and compiled it anew on
    # every call, which cost more than running it; so the same SQL, compiled once, becomes a
    # text statement with the columns' types on its parameters. Where a column the caller
    # leaves out has a default computed in Python, SQLAlchemy's own statement fills it in.
    statement = _construct(dialect, model, keys, keep_greatest, replace)
    table = model.__table__
    named = (*keys, *values)
    if any(column.default is not None and column.key not in named for column in table.c):
        return statement
    # inline(): without it PostgreSQL's compiler appends RETURNING id for the new key.
    sql = str(statement.inline().compile(dialect=_NAMED[dialect], column_keys=list(named)))
    return text(sql).bindparams(*(bindparam(name, type_=table.c[name].type) for name in named))


def _construct(dialect: str, model, keys: tuple[str, ...], keep_greatest: str | None,
               replace: tuple[str, ...]):
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

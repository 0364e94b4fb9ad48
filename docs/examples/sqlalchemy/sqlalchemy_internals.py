"""SQLAlchemy's architecture, observed from the outside.

Every function below checks one claim made on the page against the real library
(written for SQLAlchemy 2.1.9; it also runs on 2.0) and an in-memory SQLite
database, and returns plain data so that the tests can assert it and ``main()``
can print it. Nothing here needs a database server: the MySQL and PostgreSQL
dialects are only used to *compile* statements, never to connect.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, ForeignKey, Select, String, create_engine, event, inspect, select
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.exc import CircularDependencyError
from sqlalchemy.orm import (DeclarativeBase, Mapped, Session, mapped_column, relationship,
                            scoped_session, sessionmaker)


# --8<-- [start:models]
class Base(DeclarativeBase):
    """Declarative base: owns the registry of mappers and the MetaData of tables."""


class Author(Base):
    __tablename__ = "author"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # One-to-many; back_populates keeps both sides of the pair in sync in memory.
    books: Mapped[list[Book]] = relationship(back_populates="author")


class Book(Base):
    __tablename__ = "book"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    # The foreign key is what the unit of work sorts on: author rows first.
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    author: Mapped[Author] = relationship(back_populates="books")
# --8<-- [end:models]


# --8<-- [start:recorder]
def summarize(sql: str) -> str:
    """Reduce a SQL string to 'VERB table', e.g. 'INSERT author'."""
    words = sql.split()
    verb = words[0]
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):  # transaction control, no table
        return " ".join(w for w in words if not w.startswith("sa_savepoint"))
    if verb in ("INSERT", "DELETE"):  # INSERT INTO t / DELETE FROM t
        return f"{verb} {words[2]}"
    if verb == "UPDATE":  # UPDATE t SET ...
        return f"{verb} {words[1]}"
    return f"{verb} {words[words.index('FROM') + 1]}"  # SELECT ... FROM t


@dataclass
class SQLRecorder:
    """Counts what actually reaches the DBAPI cursor, via a Core engine event.

    ``before_cursor_execute`` fires once per ``cursor.execute()`` or
    ``executemany()`` call, so it is an exact count of round trips.
    """

    statements: list[str] = field(default_factory=list)

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                context: Any, executemany: bool) -> None:
        self.statements.append(statement)

    def since(self, mark: int) -> list[str]:
        """Summaries of the statements recorded after position ``mark``."""
        return [summarize(s) for s in self.statements[mark:]]


def make_engine() -> tuple[Engine, SQLRecorder]:
    """A fresh in-memory database with both tables and a recorder attached."""
    engine = create_engine("sqlite://")  # no file: lives as long as its connection
    Base.metadata.create_all(engine)  # DDL in foreign-key order: author, then book
    recorder = SQLRecorder()
    recorder.attach(engine)  # attached after DDL so only our statements count
    return engine, recorder
# --8<-- [end:recorder]


# --8<-- [start:core]
def engine_facts(engine: Engine) -> dict[str, str]:
    """The Engine is a facade over a Pool and a Dialect chosen from the URL."""
    return {
        "pool": type(engine.pool).__name__,
        "dialect": engine.dialect.name,
        "driver": engine.dialect.driver,
        "paramstyle": engine.dialect.paramstyle,
    }


def author_query() -> Select[Any]:
    """One statement, built once, compiled many ways."""
    return select(Book.title).where(Book.author_id == 5)


def where_clause_tree(stmt: Select[Any]) -> tuple[str, str, str, str]:
    """`Book.author_id == 5` is an object tree, not a string."""
    clause = stmt.whereclause
    return (type(clause).__name__, clause.operator.__name__,
            type(clause.left).__name__, type(clause.right).__name__)


def compile_for_each_dialect(stmt: Select[Any]) -> dict[str, tuple[str, str]]:
    """The WHERE line and paramstyle that each dialect's compiler produces."""
    dialects = {"sqlite": sqlite.dialect(), "mysql": mysql.dialect(),
                "postgresql": postgresql.dialect()}
    result = {}
    for name, dialect in dialects.items():
        where_line = str(stmt.compile(dialect=dialect)).splitlines()[-1]
        result[name] = (dialect.paramstyle, where_line)
    return result


class CacheLog(logging.Handler):
    """Collects the '[generated in ...]' / '[cached since ...]' labels that the
    engine logger writes beside each statement's parameters."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for label in ("generated in", "cached since"):
            if message.startswith(f"[{label}"):
                self.labels.append(label)


def compiled_cache_labels(author_ids: list[int]) -> list[str]:
    """Run the same statement shape with different values; only the first
    execution compiles, because the cache key ignores literal values."""
    engine, _ = make_engine()
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    handler = CacheLog()
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)  # same effect as echo=True, minus the printing
    logger.propagate = False
    logger.addHandler(handler)
    try:
        with engine.connect() as conn:
            for author_id in author_ids:
                conn.execute(select(Book.title).where(Book.author_id == author_id)).all()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
    return handler.labels
# --8<-- [end:core]


# --8<-- [start:orm]
def state_of(obj: object) -> str:
    """The ORM lifecycle state, as reported by the runtime inspection API."""
    insp = inspect(obj)
    return next(s for s in ("transient", "pending", "persistent", "deleted", "detached")
                if getattr(insp, s))


def flush_order() -> dict[str, Any]:
    """Add only the child; the parent arrives by cascade and is INSERTed first."""
    engine, recorder = make_engine()
    with Session(engine) as session:
        author = Author(name="Ursula K. Le Guin")
        book = Book(title="The Dispossessed", author=author)  # child points at parent
        before = (state_of(book), state_of(author))
        session.add(book)  # save-update cascade pulls the author in too
        after_add = (state_of(book), state_of(author))
        session.flush()  # the unit of work sorts mappers: author before book
        return {"before add": before, "after add": after_add,
                "after flush": (state_of(book), state_of(author)),
                "statements": recorder.since(0)}


def identity_map() -> dict[str, Any]:
    """Two get() calls for one primary key: one object, zero extra queries."""
    engine, recorder = make_engine()
    with Session(engine) as session:
        author = Author(name="Octavia E. Butler")
        session.add(author)
        session.flush()  # now persistent: it has an identity key in the map
        mark = len(recorder.statements)
        # Keep `author` referenced: the identity map holds objects weakly.
        first = session.get(Author, author.id)
        second = session.get(Author, author.id)
        two_gets = recorder.since(mark)
        session.commit()  # expire_on_commit=True: attributes are now stale
        mark = len(recorder.statements)
        third = session.get(Author, author.id)
        return {"same object": first is second is author is third,
                # (class, primary-key tuple, identity_token): the map's key.
                "identity key": (inspect(author).key[0].__name__, *inspect(author).key[1:]),
                "SQL for two gets": two_gets,
                "SQL for get after commit": recorder.since(mark)}


def change_tracking() -> dict[str, Any]:
    """Instrumented attributes record history; the flush UPDATEs one column."""
    engine, recorder = make_engine()
    with Session(engine) as session:
        author = Author(name="Iain Banks")
        session.add(author)
        session.flush()
        author.name = "Iain M. Banks"
        history = inspect(author).attrs.name.history
        dirty = author in session.dirty
        mark = len(recorder.statements)
        session.flush()
        return {"dirty": dirty, "added": list(history.added),
                "deleted": list(history.deleted),
                "SQL": [s.split(" WHERE")[0] for s in recorder.statements[mark:]]}


def delete_order() -> list[str]:
    """Delete the parent first in code; the unit of work deletes the child first."""
    engine, recorder = make_engine()
    with Session(engine) as session:
        author = Author(name="N. K. Jemisin")
        book = Book(title="The Fifth Season", author=author)
        session.add(author)
        session.flush()
        mark = len(recorder.statements)
        session.delete(author)
        session.delete(book)
        session.flush()
        return recorder.since(mark)


def lifecycle() -> list[tuple[str, str]]:
    """Walk one object through every state of the state diagram."""
    engine, _ = make_engine()
    steps = []
    session = Session(engine)
    author = Author(name="Ted Chiang")
    steps.append(("Author()", state_of(author)))
    session.add(author)
    steps.append(("session.add()", state_of(author)))
    session.flush()
    steps.append(("session.flush()", state_of(author)))
    session.commit()
    session.close()
    steps.append(("session.close()", state_of(author)))
    session = Session(engine)
    copy = session.merge(author)  # returns the Session's own instance for that identity
    steps.append(("merge() returns", state_of(copy)))
    steps.append(("merge() argument", state_of(author)))  # still detached: not attached
    session.delete(copy)
    session.flush()
    steps.append(("delete() + flush()", state_of(copy)))
    session.commit()
    steps.append(("session.commit()", state_of(copy)))
    session.close()
    return steps


def merge_keeps_argument_detached() -> dict[str, bool]:
    """merge() copies state onto another object; add() would attach this one."""
    engine, _ = make_engine()
    with Session(engine) as session:
        author = Author(name="Jo Walton")
        session.add(author)
        session.commit()
    with Session(engine) as session:
        copy = session.merge(author)
        return {"copy is argument": copy is author,
                "argument in session": author in session,
                "copy in session": copy in session}
# --8<-- [end:orm]


# --8<-- [start:cycles]
def mutual_models(post_update: bool) -> tuple[type, type, Any]:
    """A team points at its captain and the captain at his team: two rows that
    each need the other's primary key. A fresh registry per call, so the same
    tables can be mapped with and without post_update."""

    class CycleBase(DeclarativeBase):
        pass

    class Team(CycleBase):
        __tablename__ = "team"
        id: Mapped[int] = mapped_column(primary_key=True)
        # use_alter: the DDL cycle is closed by ALTER TABLE where the database can.
        captain_id: Mapped[int | None] = mapped_column(
            ForeignKey("player.id", use_alter=True, name="fk_team_captain"))
        captain: Mapped[Player | None] = relationship(
            foreign_keys=[captain_id], post_update=post_update)

    class Player(CycleBase):
        __tablename__ = "player"
        id: Mapped[int] = mapped_column(primary_key=True)
        team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
        team: Mapped[Team | None] = relationship(foreign_keys=[team_id])

    return Team, Player, CycleBase.metadata


def flush_mutual_rows(post_update: bool) -> list[str]:
    """The mapper graph team <-> player has a cycle, so the unit of work sorts
    the rows instead; two rows that need each other are still a cycle, which
    only post_update breaks: INSERT with NULL, then a second UPDATE."""
    Team, Player, metadata = mutual_models(post_update)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    recorder = SQLRecorder()
    recorder.attach(engine)
    with Session(engine) as session:
        team = Team()
        team.captain = Player(team=team)
        session.add(team)
        try:
            session.flush()
        except CircularDependencyError:
            return ["CircularDependencyError"]
        return recorder.since(0)
# --8<-- [end:cycles]


# --8<-- [start:savepoint]
def savepoint() -> dict[str, Any]:
    """begin_nested() emits SAVEPOINT; leaving it by an exception rolls back to
    it, and the outer transaction goes on and commits what came before."""
    engine, recorder = make_engine()
    with Session(engine) as session:
        session.add(Author(name="kept"))
        session.flush()
        try:
            with session.begin_nested():
                session.add(Author(name="rolled back"))
                session.flush()
                raise ValueError("reject this one")
        except ValueError:
            pass
        session.commit()
        names = session.scalars(select(Author.name)).all()
    return {"SQL": recorder.since(0)[:-1], "names": names}  # [:-1]: the final SELECT


def scoped_sessions() -> dict[str, bool]:
    """scoped_session is a registry: one Session per thread until remove()."""
    engine, _ = make_engine()
    registry = scoped_session(sessionmaker(bind=engine))
    mine = registry()
    seen_by_other_thread: list[Session] = []
    worker = threading.Thread(target=lambda: seen_by_other_thread.append(registry()))
    worker.start()
    worker.join()
    same_thread = registry() is mine
    other_thread = seen_by_other_thread[0] is mine
    registry.remove()  # closes this thread's Session and forgets it
    return {"same thread, same Session": same_thread,
            "other thread, same Session": other_thread,
            "after remove(), same Session": registry() is mine}
# --8<-- [end:savepoint]


def main(threads: bool = True) -> None:
    """The demonstration; threads=False leaves out scoped_session, which needs a
    second thread (sqlalchemy_internals_browser.py, for Python in a browser, which has none)."""
    print(f"SQLAlchemy {sqlalchemy.__version__}")
    engine, _ = make_engine()
    print("engine:", ", ".join(f"{k}={v}" for k, v in engine_facts(engine).items()))

    stmt = author_query()
    print("where clause tree:", " / ".join(where_clause_tree(stmt)))
    for name, (paramstyle, where_line) in compile_for_each_dialect(stmt).items():
        print(f"  {name:<10} {paramstyle:<8} {where_line}")
    print("compiled cache:", ", ".join(compiled_cache_labels([5, 6, 7])))

    for key, value in flush_order().items():
        print(f"flush order, {key}: {value}")
    for key, value in identity_map().items():
        print(f"identity map, {key}: {value}")
    for key, value in change_tracking().items():
        print(f"change tracking, {key}: {value}")
    print("delete order:", delete_order())
    print("lifecycle:", " -> ".join(f"{step} {state}" for step, state in lifecycle()))
    print("merge:", merge_keeps_argument_detached())
    print("mutual rows, no post_update:", flush_mutual_rows(post_update=False))
    print("mutual rows, post_update:", flush_mutual_rows(post_update=True))
    for key, value in savepoint().items():
        print(f"savepoint, {key}: {value}")
    if threads:
        print("scoped_session:", scoped_sessions())


if __name__ == "__main__":
    main()

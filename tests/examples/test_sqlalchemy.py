"""Tests for docs/examples/sqlalchemy/sqlalchemy_internals.py.

Each test pins one architectural claim of the SQLAlchemy tour against the real
library and an in-memory SQLite database.
"""

from pathlib import Path

import pytest
import sqlalchemy

EXAMPLE = "sqlalchemy/sqlalchemy_internals.py"


@pytest.fixture
def sa(load_example):
    return load_example(EXAMPLE)


def test_page_describes_the_pinned_release():
    assert sqlalchemy.__version__ == "2.1.9"


def test_sqlite_memory_engine_uses_singleton_thread_pool_and_qmark(sa):
    engine, _ = sa.make_engine()
    assert sa.engine_facts(engine) == {
        "pool": "SingletonThreadPool",
        "dialect": "sqlite",
        "driver": "pysqlite",
        "paramstyle": "qmark",
    }


def test_sqlite_file_engine_uses_queue_pool(sa, tmp_path):
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'f.db'}")
    assert sa.engine_facts(engine)["pool"] == "QueuePool"


def test_comparison_builds_an_expression_tree_not_a_string(sa):
    stmt = sa.author_query()
    assert sa.where_clause_tree(stmt) == ("BinaryExpression", "eq", "AnnotatedColumn", "BindParameter")
    assert isinstance(stmt.whereclause.left, sqlalchemy.Column)
    assert stmt.whereclause.right.value == 5  # the literal travels as a bound parameter


def test_same_statement_compiles_to_each_dialects_paramstyle(sa):
    compiled = sa.compile_for_each_dialect(sa.author_query())
    assert compiled["sqlite"] == ("qmark", "WHERE book.author_id = ?")
    assert compiled["mysql"] == ("format", "WHERE book.author_id = %s")
    paramstyle, where_line = compiled["postgresql"]
    assert paramstyle == "pyformat"
    # Newer PostgreSQL dialects may append a cast; match the placeholder only.
    assert "book.author_id = %(author_id_1)s" in where_line
    assert all("5" not in line for _, line in compiled.values())  # never inlined


def test_compiled_cache_compiles_once_per_statement_shape(sa):
    assert sa.compiled_cache_labels([5, 6, 7]) == ["generated in", "cached since", "cached since"]


def test_cache_log_capture_restores_logger(sa):
    import logging

    logger = logging.getLogger("sqlalchemy.engine.Engine")
    before = (logger.level, logger.propagate, list(logger.handlers))
    sa.compiled_cache_labels([1])
    assert (logger.level, logger.propagate, list(logger.handlers)) == before


def test_unit_of_work_inserts_parent_before_child(sa):
    report = sa.flush_order()
    assert report["before add"] == ("transient", "transient")
    assert report["after add"] == ("pending", "pending")  # author arrived by cascade
    assert report["after flush"] == ("persistent", "persistent")
    assert report["statements"] == ["INSERT author", "INSERT book"]


def test_unit_of_work_deletes_child_before_parent(sa):
    assert sa.delete_order() == ["DELETE book", "DELETE author"]


def test_identity_map_returns_same_object_without_sql(sa):
    report = sa.identity_map()
    assert report["same object"] is True
    assert report["identity key"] == ("Author", (1,), None)
    assert report["SQL for two gets"] == []
    # expire_on_commit=True: the next access after commit reloads the row.
    assert report["SQL for get after commit"] == ["SELECT author"]


def test_change_tracking_updates_only_the_changed_column(sa):
    report = sa.change_tracking()
    assert report["dirty"] is True
    assert report["added"] == ["Iain M. Banks"]
    assert report["deleted"] == ["Iain Banks"]
    assert report["SQL"] == ["UPDATE author SET name=?"]


def test_lifecycle_visits_every_state(sa):
    steps = sa.lifecycle()
    assert [state for _, state in steps] == ["transient", "pending", "persistent", "detached",
                                             "persistent", "detached", "deleted", "detached"]
    # merge() returns a persistent copy; the object passed in stays detached.
    assert dict(steps)["merge() returns"] == "persistent"
    assert dict(steps)["merge() argument"] == "detached"


def test_merge_returns_a_copy_and_leaves_the_argument_detached(sa):
    assert sa.merge_keeps_argument_detached() == {
        "copy is argument": False, "argument in session": False, "copy in session": True}


def test_rows_that_need_each_other_are_a_cycle_without_post_update(sa):
    assert sa.flush_mutual_rows(post_update=False) == ["CircularDependencyError"]


def test_post_update_breaks_the_cycle_with_a_second_update(sa):
    assert sa.flush_mutual_rows(post_update=True) == ["INSERT team", "INSERT player", "UPDATE team"]


def test_begin_nested_rolls_back_to_its_savepoint_only(sa):
    report = sa.savepoint()
    assert report["SQL"] == ["INSERT author", "SAVEPOINT", "INSERT author", "ROLLBACK TO SAVEPOINT"]
    assert report["names"] == ["kept"]


def test_scoped_session_is_one_session_per_thread_until_remove(sa):
    assert sa.scoped_sessions() == {"same thread, same Session": True,
                                    "other thread, same Session": False,
                                    "after remove(), same Session": False}


@pytest.mark.parametrize(
    ("sql", "summary"),
    [
        ("INSERT INTO author (name) VALUES (?)", "INSERT author"),
        ("UPDATE author SET name=? WHERE author.id = ?", "UPDATE author"),
        ("DELETE FROM book WHERE book.id = ?", "DELETE book"),
        ("SELECT book.title \nFROM book \nWHERE book.author_id = ?", "SELECT book"),
        ("SAVEPOINT sa_savepoint_1", "SAVEPOINT"),
        ("RELEASE SAVEPOINT sa_savepoint_1", "RELEASE SAVEPOINT"),
        ("ROLLBACK TO SAVEPOINT sa_savepoint_1", "ROLLBACK TO SAVEPOINT"),
    ],
)
def test_summarize(sa, sql, summary):
    assert sa.summarize(sql) == summary


def test_main_prints_the_page_output(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("sqlalchemy/sqlalchemy_internals.out")


def test_browser_variant_leaves_out_only_scoped_session(run_example, expected_output, monkeypatch):
    """sqlalchemy_internals_browser.py, what the page's Run button runs: Python in a
    browser cannot start the second thread that the scoped_session line needs."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "docs" / "examples" / "sqlalchemy"))
    output = run_example("sqlalchemy/sqlalchemy_internals_browser.py")
    assert output == expected_output("sqlalchemy/sqlalchemy_internals_browser.out")
    full = expected_output("sqlalchemy/sqlalchemy_internals.out").splitlines(keepends=True)
    assert [line for line in full if not line.startswith("scoped_session:")] == output.splitlines(keepends=True)

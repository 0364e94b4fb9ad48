"""Tests for docs/examples/layered-architecture/hexagonal_app.py.

They check the two claims of the Layered Architecture page that the example
demonstrates: driven adapters are interchangeable behind a port, and the
dependency rule (inward for hexagonal, downward for classic layering) holds and
is machine-checkable.
"""

import sqlite3
from pathlib import Path

import pytest

EXAMPLE = "layered-architecture/hexagonal_app.py"


@pytest.fixture
def app(load_example):
    return load_example(EXAMPLE)


@pytest.fixture
def source(app):
    return Path(app.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize("storage", ["in-memory", "sqlite"])
def test_both_adapters_give_the_same_answers(app, storage):
    statuses, welcomed, alice = app.run(storage)
    assert statuses == [201, 201, 409, 422]
    assert welcomed == ["Alice", "Bob"]  # no welcome for a rejected request
    assert alice == app.User("alice@example.com", "Alice")


def test_sqlite_adapter_translates_integrity_error(app):
    repo = app.SqliteUserRepository(sqlite3.connect(":memory:"))
    repo.add(app.User("a@example.com", "A"))
    with pytest.raises(app.DuplicateEmail) as caught:
        repo.add(app.User("a@example.com", "A2"))
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert repo.get("a@example.com").name == "A"  # the failed insert rolled back
    assert repo.get("missing@example.com") is None


def test_use_case_accepts_any_object_that_fits_the_port(app):
    class RefusingRepository:  # a third adapter, written here, never imported by the core
        def add(self, user):
            raise app.DuplicateEmail(user.email)

        def get(self, email):
            return None

    notifier = app.OutboxNotifier()
    register = app.RegisterUser(RefusingRepository(), notifier)
    assert app.handle({"email": "c@example.com", "name": "C"}, register) == 409
    assert notifier.sent == []


def test_use_case_normalises_and_validates(app):
    register, repo, _ = app.build("in-memory")
    user = register("  Carol@Example.COM ", "Carol")
    assert user.email == "carol@example.com"
    with pytest.raises(app.InvalidEmail):
        register("carol", "Carol")


def test_the_example_obeys_the_inward_dependency_rule(app, source):
    report = app.check_layers(source, app.HEXAGONAL_ORDER)
    assert report.violations == []
    assert report.uses["domain"] == {"stdlib"}  # domain imports nothing from adapters
    assert report.uses["application"] == {"domain", "stdlib"}
    assert "main" not in set().union(*report.uses.values())


def test_domain_names_only_standard_library_imports(app, source):
    import ast

    module = ast.parse(source)
    domain_start = source.index("# === layer: domain ===")
    domain_end = source.index("# === layer: application ===")
    domain_lines = range(source[:domain_start].count("\n") + 1, source[:domain_end].count("\n") + 1)
    names = {n.id for node in module.body if node.lineno in domain_lines
             for n in ast.walk(node) if isinstance(n, ast.Name)}
    assert "sqlite3" not in names
    assert not names & {"SqliteUserRepository", "InMemoryUserRepository", "handle"}


def test_checker_catches_an_outward_reference(app, source):
    bad = source.replace("class InvalidEmail(Exception):", "class InvalidEmail(sqlite3.Error):")
    report = app.check_layers(bad, app.HEXAGONAL_ORDER)
    assert report.violations == ["domain.InvalidEmail -> adapters.sqlite3"]


def test_checker_ignores_headers_inside_strings(app):
    report = app.check_layers('X = """\n# === layer: main ===\n"""\n', ["main"])
    assert report.violations == [] and report.uses == {"main": set()}


def test_checker_names_unbound_statements(app):
    src = "# === layer: a ===\nprint(B)\n# === layer: b ===\nB: int = 1\n"
    assert app.check_layers(src, ["a", "b"]).violations == ["a.<statement> -> b.B"]


def test_classic_layering_points_down_not_in(app):
    classic = app.check_layers(app.CLASSIC, app.CLASSIC_ORDER)
    assert classic.violations == []
    assert classic.uses["domain"] == {"data"}  # the domain depends on data access
    inward = app.check_layers(app.CLASSIC, app.INWARD_ORDER)
    assert inward.violations == ["domain.register_user -> data.insert_user"]


def test_main_prints_the_page_output(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("layered-architecture/hexagonal_app.out")

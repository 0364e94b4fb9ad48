"""A tiny Ports-and-Adapters (hexagonal) application plus a dependency-rule check.

The file is split into four layers by ``# === layer: NAME ===`` comments,
ordered from the centre outward: domain, application, adapters, main. The
rule the page describes is that source code may refer only to its own layer or
to layers nearer the centre. Python does not enforce that (everything in one
module can see everything else), so ``check_layers`` parses this very file with
``ast`` and reports every reference that points outward. Standard library only.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

# --8<-- [start:domain]
# === layer: domain ===
# Entities, domain errors and the ports the core needs. Nothing here knows
# whether users live in SQLite, a dict or a remote service.


@dataclass(frozen=True)
class User:
    email: str
    name: str


class InvalidEmail(Exception):
    """The input breaks a business rule."""


class DuplicateEmail(Exception):
    """A user with this email already exists (domain vocabulary, not SQL)."""


class UserRepository(Protocol):
    """Driven port 'for storing users'. Adapters must raise DuplicateEmail."""

    def add(self, user: User) -> None: ...

    def get(self, email: str) -> User | None: ...


class Notifier(Protocol):
    """Driven port 'for notifying users': an output port owned by the core."""

    def welcome(self, user: User) -> None: ...
# --8<-- [end:domain]


# --8<-- [start:application]
# === layer: application ===
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]+")


@dataclass
class RegisterUser:
    """Use case (driving port). It receives its ports; it never builds adapters."""

    users: UserRepository
    notifier: Notifier

    def __call__(self, email: str, name: str) -> User:
        email = email.strip().lower()
        if not EMAIL.fullmatch(email):
            raise InvalidEmail(email)
        user = User(email, name)
        self.users.add(user)  # may raise DuplicateEmail, whatever the storage
        self.notifier.welcome(user)  # control flows outward, dependency points in
        return user
# --8<-- [end:application]


# --8<-- [start:adapters]
# === layer: adapters ===
import sqlite3  # noqa: E402  (only the adapter layer may know SQLite exists)


class InMemoryUserRepository:
    """Driven adapter for tests and demos: a dict behind the same port."""

    def __init__(self) -> None:
        self._users: dict[str, User] = {}

    def add(self, user: User) -> None:
        if user.email in self._users:
            raise DuplicateEmail(user.email)
        self._users[user.email] = user

    def get(self, email: str) -> User | None:
        return self._users.get(email)


class SqliteUserRepository:
    """Driven adapter for SQLite. It translates driver errors into domain errors."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute("CREATE TABLE IF NOT EXISTS users (email TEXT PRIMARY KEY, name TEXT NOT NULL)")

    def add(self, user: User) -> None:
        try:
            with self._conn:  # one transaction: commit on success, rollback on error
                self._conn.execute("INSERT INTO users (email, name) VALUES (?, ?)",
                                   (user.email, user.name))
        except sqlite3.IntegrityError as exc:
            raise DuplicateEmail(user.email) from exc  # no sqlite3 type leaks inward

    def get(self, email: str) -> User | None:
        row = self._conn.execute("SELECT email, name FROM users WHERE email = ?", (email,)).fetchone()
        return User(*row) if row else None


@dataclass
class OutboxNotifier:
    """Driven adapter that records messages instead of sending mail."""

    sent: list[str] = field(default_factory=list)

    def welcome(self, user: User) -> None:
        self.sent.append(user.name)


def handle(request: dict[str, str], register: RegisterUser) -> int:
    """Driving adapter: an HTTP-style controller mapping domain errors to status codes."""
    try:
        register(request["email"], request["name"])
    except InvalidEmail:
        return 422
    except DuplicateEmail:
        return 409
    return 201
# --8<-- [end:adapters]


# --8<-- [start:main]
# === layer: main ===
# The composition root: the only place that names concrete adapters.
REQUESTS = [
    {"email": "alice@example.com", "name": "Alice"},
    {"email": "bob@example.com", "name": "Bob"},
    {"email": "ALICE@example.com ", "name": "Alice again"},  # same user after normalising
    {"email": "not-an-email", "name": "Mallory"},
]


def build(storage: str) -> tuple[RegisterUser, UserRepository, OutboxNotifier]:
    """Wire one concrete repository and a notifier into the use case."""
    repo: UserRepository
    if storage == "sqlite":
        repo = SqliteUserRepository(sqlite3.connect(":memory:"))
    else:
        repo = InMemoryUserRepository()
    notifier = OutboxNotifier()
    return RegisterUser(repo, notifier), repo, notifier


def run(storage: str) -> tuple[list[int], list[str], User | None]:
    """Send the same requests through the same controller and use case."""
    register, repo, notifier = build(storage)
    statuses = [handle(request, register) for request in REQUESTS]
    return statuses, notifier.sent, repo.get("alice@example.com")
# --8<-- [end:main]


# --8<-- [start:check]
HEADER = re.compile(r"# === layer: (\w+) ===")


@dataclass
class LayerReport:
    uses: dict[str, set[str]]  # layer -> other layers (or "stdlib") it refers to
    violations: list[str]  # "layer.definition -> layer.name" for outward references


def check_layers(source: str, order: list[str]) -> LayerReport:
    """Check that each top-level definition refers only to names defined in its
    own layer, in a layer earlier in ``order``, or before the first header
    (the standard-library imports)."""
    # Comments, not lines: a header inside a string literal is not a header.
    headers = [(tok.start[0], m.group(1))
               for tok in tokenize.generate_tokens(io.StringIO(source).readline)
               if tok.type == tokenize.COMMENT and (m := HEADER.fullmatch(tok.string))]

    def layer_at(line: int) -> str:
        return next((name for start, name in reversed(headers) if start < line), "stdlib")

    module = ast.parse(source)
    owner: dict[str, str] = {}  # top-level name -> layer that defines it
    for node in module.body:
        for target in _bound_names(node):
            owner[target] = layer_at(node.lineno)

    rank = {name: i for i, name in enumerate(order)} | {"stdlib": -1}
    uses: dict[str, set[str]] = {name: set() for name in order}
    violations = []
    for node in module.body:
        here = layer_at(node.lineno)
        if here == "stdlib":
            continue
        referenced = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        for name in sorted(referenced & owner.keys()):
            there = owner[name]
            if there != here:
                uses[here].add(there)
            if rank[there] > rank[here]:
                definition = (_bound_names(node) or ["<statement>"])[0]
                violations.append(f"{here}.{definition} -> {there}.{name}")
    return LayerReport(uses, violations)


def _bound_names(node: ast.stmt) -> list[str]:
    """Names a module-level statement defines (def, class, import, assignment)."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


# The classic stack for comparison: the domain calls the data layer directly.
CLASSIC = '''
# === layer: data ===
import sqlite3
def insert_user(conn, email, name):
    conn.execute("INSERT INTO users VALUES (?, ?)", (email, name))
# === layer: domain ===
def register_user(conn, email, name):
    insert_user(conn, email.lower(), name)
# === layer: presentation ===
def handle(conn, request):
    register_user(conn, request["email"], request["name"])
'''
CLASSIC_ORDER = ["data", "domain", "presentation"]  # lower layers first
INWARD_ORDER = ["domain", "data", "presentation"]  # the domain must be the centre
HEXAGONAL_ORDER = ["domain", "application", "adapters", "main"]
# --8<-- [end:check]


def main() -> None:
    for storage in ("in-memory", "sqlite"):
        statuses, welcomed, alice = run(storage)
        print(f"{storage:>9}: {', '.join(map(str, statuses))}  "
              f"welcomed={welcomed}  stored={alice}")

    report = check_layers(Path(__file__).read_text(encoding="utf-8"), HEXAGONAL_ORDER)
    print("hexagonal, rule 'depend only inward':")
    for layer in HEXAGONAL_ORDER:
        print(f"  {layer:<11} uses {sorted(report.uses[layer]) or ['nothing else']}")
    print(f"  violations: {report.violations or 'none'}")

    classic = check_layers(CLASSIC, CLASSIC_ORDER)
    print(f"classic, rule 'depend only downward': domain uses {sorted(classic.uses['domain'])}, "
          f"violations: {classic.violations or 'none'}")
    inward = check_layers(CLASSIC, INWARD_ORDER)
    print(f"classic code, rule 'depend only inward': violations: {inward.violations}")


if __name__ == "__main__":
    main()

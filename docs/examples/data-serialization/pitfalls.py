"""Round-trip surprises, and why pickle must never read untrusted bytes.

Standard library plus PyYAML (6.0.4 produced the output on the page). Five
small demonstrations:

1. JSON does not give back what you gave it (tuples, NaN, duplicate keys,
   datetimes, integers above 2**53 in a JavaScript client).
2. Config and tabular formats differ in whether they keep types: TOML does,
   INI and CSV hand back strings, and PyYAML's YAML 1.1 rules turn some
   unquoted words and numbers into other types.
3. Loading a pickle runs a callable chosen by whoever produced the bytes.
   The callable here only records that it ran; a real attacker names
   ``os.system`` instead. Loading marshal data builds a code object but does
   not run it.
4. Two defences: an Unpickler that refuses every global, and an HMAC tag that
   rejects bytes this service did not produce.
5. Bytes for hashing or signing: the same dictionary in another key order
   serializes to other bytes unless the encoder sorts keys.
"""

from __future__ import annotations

import configparser
import csv
import hashlib
import hmac
import io
import json
import marshal
import math
import pickle
import tomllib
from datetime import datetime, timezone
from typing import Any

import yaml


# --8<-- [start:json]
def json_surprises() -> dict[str, Any]:
    """Each entry is what a JSON round trip really returns."""
    out: dict[str, Any] = {}
    # Arrays come back as lists: a tuple's type is lost.
    out["tuple"] = json.loads(json.dumps({"point": (1, 2)}))["point"]
    # Python writes NaN by default, which is not JSON (RFC 8259 has no NaN).
    out["nan_text"] = json.dumps(math.nan)
    try:
        json.dumps(math.nan, allow_nan=False)
    except ValueError as err:
        # The first clause is the same in every Python; 3.14 appends the value (": nan").
        out["nan_strict"] = f"ValueError: {str(err).partition(':')[0]}"
    # Duplicate names are legal-but-unwise; Python keeps the last one.
    out["duplicate"] = json.loads('{"a": 1, "a": 2}')
    # No date type: the default encoder refuses, so convert explicitly.
    moment = datetime(2024, 2, 15, 12, 0, tzinfo=timezone.utc)
    try:
        json.dumps({"at": moment})
    except TypeError as err:
        out["datetime"] = f"TypeError: {err}"
    out["datetime_fixed"] = json.dumps({"at": moment.isoformat()})
    # JSON numbers have no size limit, but a JavaScript client parses them as
    # IEEE 754 doubles: above 2**53 neighbouring integers collapse.
    big_id = 2**53 + 1
    out["big_id_in_js"] = int(float(json.loads(json.dumps(big_id))))
    return out
# --8<-- [end:json]


# --8<-- [start:types]
TOML_TEXT = """
[server]
port = 8080
debug = false
ratio = 0.75
"""
INI_TEXT = """
[server]
port = 8080
debug = false
ratio = 0.75
"""


def config_types() -> dict[str, dict[str, Any]]:
    """The same three settings read from TOML and from INI."""
    toml_server = tomllib.loads(TOML_TEXT)["server"]
    ini = configparser.ConfigParser()
    ini.read_string(INI_TEXT)
    return {"toml": dict(toml_server), "ini": dict(ini["server"])}


YAML_TEXT = """
country: NO
answer: n
enabled: on
python: 3.10
duration: 22:22
"""


def yaml_1_1_types() -> dict[str, Any]:
    """PyYAML resolves plain scalars by YAML 1.1 rules, minus y/n (see its resolver)."""
    return yaml.safe_load(YAML_TEXT)


def csv_round_trip(rows: list[list[Any]]) -> tuple[str, list[list[str]]]:
    """Write rows with the csv module (RFC 4180 quoting), read them back."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    text = buffer.getvalue()
    return text, list(csv.reader(io.StringIO(text)))
# --8<-- [end:types]


# --8<-- [start:pickle]
CALLS: list[str] = []


def record_call(message: str) -> str:
    """Stands in for os.system: proves that loading ran code, and nothing else."""
    CALLS.append(message)
    return message


class Innocent:
    """Looks like data. Its __reduce__ tells pickle how to 'rebuild' it."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return record_call, ("code ran during unpickling",)


def craft_payload() -> bytes:
    """What an attacker would upload, cache or enqueue."""
    return pickle.dumps(Innocent(), protocol=5)


class NoGlobalsUnpickler(pickle.Unpickler):
    """Accept only plain containers, strings and numbers: refuse every global."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"global {module}.{name} is forbidden")


def restricted_loads(data: bytes) -> Any:
    return NoGlobalsUnpickler(io.BytesIO(data)).load()


def sign(payload: bytes, key: bytes) -> bytes:
    """Prefix the payload with an HMAC-SHA256 tag only holders of key can make."""
    return hmac.new(key, payload, hashlib.sha256).digest() + payload


def verified_loads(blob: bytes, key: bytes) -> Any:
    tag, payload = blob[:32], blob[32:]
    expected = hmac.new(key, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise ValueError("bad signature: refusing to unpickle")
    return pickle.loads(payload)  # only bytes this service signed get here
def marshal_round_trip() -> tuple[str, int]:
    """marshal stores code objects, but loading one does not execute it:
    returns the loaded type and how many calls were recorded meanwhile."""
    before = len(CALLS)
    code = compile("CALLS.append('marshal code ran')", "<payload>", "exec")
    loaded = marshal.loads(marshal.dumps(code))
    return type(loaded).__name__, len(CALLS) - before
# --8<-- [end:pickle]


# --8<-- [start:canonical]
def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def naive_bytes(obj: Any) -> bytes:
    """Key order follows insertion order: equal dictionaries, different bytes."""
    return json.dumps(obj).encode("utf-8")


def sorted_bytes(obj: Any) -> bytes:
    """Sorted keys, no whitespace: stable for this program, but not RFC 8785
    (JCS), which also fixes number formatting: JCS writes 1.0 as 1."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")
# --8<-- [end:canonical]


def main() -> None:
    print("1. JSON round trips")
    for name, value in json_surprises().items():
        print(f"  {name:<15} {value!r}")
    print()
    print("2. Types in config and tabular formats")
    for fmt, values in config_types().items():
        print(f"  {fmt:<5} " + ", ".join(f"{k}={v!r}" for k, v in values.items()))
    text, back = csv_round_trip([["id", "note"], [7, 'says "hi", twice'], [8, "=1+1"]])
    print(f"  csv written: {text!r}")
    print(f"  csv read:    {back!r}")
    print("  yaml:       " + ", ".join(f"{k}={v!r}" for k, v in yaml_1_1_types().items()))
    print()
    print("3. Loading a pickle runs code")
    payload = craft_payload()
    print(f"  payload names the callable: {b'record_call' in payload}")
    result = pickle.loads(payload)
    print(f"  pickle.loads returned {result!r}; calls recorded: {CALLS}")
    kind, calls = marshal_round_trip()
    print(f"  marshal.loads returned a {kind} object; calls made while loading: {calls}")
    print()
    print("4. Defences")
    try:
        restricted_loads(payload)
    except pickle.UnpicklingError as err:
        print(f"  restricted Unpickler: UnpicklingError: {err}")
    print(f"  restricted Unpickler, plain data: {restricted_loads(pickle.dumps({'ok': [1, 2]}))!r}")
    key = b"server-side secret, never sent to clients"
    good = sign(pickle.dumps({"user": 42}), key)
    print(f"  signed by us:  {verified_loads(good, key)!r}")
    try:
        verified_loads(sign(payload, b"attacker's guess"), key)
    except ValueError as err:
        print(f"  forged:        ValueError: {err}")
    print(f"  calls recorded after the defences: {len(CALLS)}")
    print()
    print("5. Bytes to hash or sign")
    first, second = {"id": 7, "amount": 1.0}, {"amount": 1.0, "id": 7}
    print(f"  equal dicts: {first == second}")
    print(f"  json.dumps:  {digest(naive_bytes(first))} vs {digest(naive_bytes(second))}")
    print(f"  sorted keys: {digest(sorted_bytes(first))} vs {digest(sorted_bytes(second))}"
          f"  {sorted_bytes(first).decode()}")


if __name__ == "__main__":
    main()

"""Round-trip surprises, and why pickle must never read untrusted bytes.

Standard library only. Four small demonstrations:

1. JSON does not give back what you gave it (tuples, NaN, duplicate keys,
   datetimes, integers above 2**53 in a JavaScript client).
2. Config and tabular formats differ in whether they keep types: TOML does,
   INI and CSV hand back strings.
3. Loading a pickle runs a callable chosen by whoever produced the bytes.
   The callable here only records that it ran; a real attacker names
   ``os.system`` instead.
4. Two defences: an Unpickler that refuses every global, and an HMAC tag that
   rejects bytes this service did not produce.
"""

from __future__ import annotations

import configparser
import csv
import hashlib
import hmac
import io
import json
import math
import pickle
import tomllib
from datetime import datetime, timezone
from typing import Any


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
# --8<-- [end:pickle]


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
    print()
    print("3. Loading a pickle runs code")
    payload = craft_payload()
    print(f"  payload names the callable: {b'record_call' in payload}")
    result = pickle.loads(payload)
    print(f"  pickle.loads returned {result!r}; calls recorded: {CALLS}")
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


if __name__ == "__main__":
    main()

"""Encode the same records seven ways and compare the bytes.

The point is not a benchmark (speed depends on the machine, so nothing here is
timed) but the *shape* of each encoding: where the field names go, how numbers
are written, and what a reader must already know to decode the bytes.

Formats compared, all on the same three records:

* JSON, as ``json.dumps`` writes it by default and in its compact form;
* pickle, protocol 5 (fixed here so the size does not change with the Python
  version: 3.8-3.13 default to protocol 4, 3.14 to protocol 5);
* MessagePack, as maps (self-describing, like JSON) and as positional arrays;
* a hand-rolled ``struct`` layout whose schema lives only in this file;
* a Protocol Buffers encoding written by hand from the published wire-format
  rules (no protobuf library is used), to show tags, varints and packing.

Requires ``msgpack`` (1.2.4 was used for the output on the page).
"""

from __future__ import annotations

import json
import pickle
import struct
from typing import Any, Callable

import msgpack

Record = dict[str, Any]

# --8<-- [start:records]
# Three records with the value types most payloads carry: an integer id, a
# string, a boolean, a float, a list of strings and a list of integers, one of
# which (70000) needs more than two bytes.
RECORDS: list[Record] = [
    {"id": 1, "name": "Ada", "active": True, "score": 98.5,
     "tags": ["admin", "ops"], "readings": [1, 2, 70000]},
    {"id": 2, "name": "Grace", "active": False, "score": 87.25,
     "tags": ["dev"], "readings": [300, 65535, 70000]},
    {"id": 3, "name": "Linus", "active": True, "score": 91.0,
     "tags": [], "readings": [5]},
]
FIELDS = ("id", "name", "active", "score", "tags", "readings")
# --8<-- [end:records]


# --8<-- [start:self-describing]
def json_default(records: list[Record]) -> bytes:
    """What ``json.dumps`` produces out of the box: ", " and ": " separators."""
    return json.dumps(records).encode("utf-8")


def json_compact(records: list[Record]) -> bytes:
    """Compact JSON: no spaces. Always what you want on the wire."""
    return json.dumps(records, separators=(",", ":")).encode("utf-8")


def from_json(data: bytes) -> list[Record]:
    return json.loads(data)


def pickle5(records: list[Record]) -> bytes:
    """Pickle with an explicit protocol, so the bytes are stable across Pythons."""
    return pickle.dumps(records, protocol=5)


def from_pickle(data: bytes) -> list[Record]:
    # Safe here only because these bytes were produced by this process.
    return pickle.loads(data)


def msgpack_maps(records: list[Record]) -> bytes:
    """MessagePack with the JSON data model: every record repeats its keys."""
    return msgpack.packb(records)


def from_msgpack_maps(data: bytes) -> list[Record]:
    return msgpack.unpackb(data)


def msgpack_arrays(records: list[Record]) -> bytes:
    """MessagePack with positional arrays: the field order is the schema."""
    return msgpack.packb([[r[f] for f in FIELDS] for r in records])


def from_msgpack_arrays(data: bytes) -> list[Record]:
    return [dict(zip(FIELDS, row)) for row in msgpack.unpackb(data)]
# --8<-- [end:self-describing]


# --8<-- [start:struct]
# A fixed binary layout, little-endian, no padding. Nothing in the bytes says
# what they mean: writer and reader must share this code (the schema).
COUNT = struct.Struct("<H")       # number of records, uint16
FIXED = struct.Struct("<I?d")     # id uint32, active bool, score float64
LENGTH = struct.Struct("<B")      # string length or list length, uint8
READING = struct.Struct("<I")     # one reading, uint32


def _put_str(out: bytearray, text: str) -> None:
    raw = text.encode("utf-8")
    out += LENGTH.pack(len(raw)) + raw


def to_struct(records: list[Record]) -> bytes:
    out = bytearray(COUNT.pack(len(records)))
    for r in records:
        out += FIXED.pack(r["id"], r["active"], r["score"])
        _put_str(out, r["name"])
        out += LENGTH.pack(len(r["tags"]))
        for tag in r["tags"]:
            _put_str(out, tag)
        out += LENGTH.pack(len(r["readings"]))
        for value in r["readings"]:
            out += READING.pack(value)
    return bytes(out)


def from_struct(data: bytes) -> list[Record]:
    pos = 0

    def take(fmt: struct.Struct) -> tuple[Any, ...]:
        nonlocal pos
        values = fmt.unpack_from(data, pos)
        pos += fmt.size
        return values

    def take_str() -> str:
        nonlocal pos
        (size,) = take(LENGTH)
        text = data[pos:pos + size].decode("utf-8")
        pos += size
        return text

    records = []
    (count,) = take(COUNT)
    for _ in range(count):
        rid, active, score = take(FIXED)
        name = take_str()
        tags = [take_str() for _ in range(take(LENGTH)[0])]
        readings = [take(READING)[0] for _ in range(take(LENGTH)[0])]
        records.append({"id": rid, "name": name, "active": active,
                        "score": score, "tags": tags, "readings": readings})
    return records
# --8<-- [end:struct]


# --8<-- [start:protobuf]
# Protocol Buffers wire format, written out by hand for this schema:
#
#   message Reading {                       message Batch {
#     uint32 id = 1;      string name = 2;    repeated Reading records = 1;
#     bool active = 3;    double score = 4;   }
#     repeated string tags = 5;
#     repeated uint32 readings = 6;  // proto3 packs repeated scalars
#   }
VARINT, I64, LEN = 0, 1, 2                # three of the six wire types


def varint(n: int) -> bytes:
    """Base-128 varint: 7 bits per byte, low group first, high bit = 'more'."""
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def tag(field_number: int, wire_type: int) -> bytes:
    return varint(field_number << 3 | wire_type)


def field_varint(field_number: int, value: int) -> bytes:
    return tag(field_number, VARINT) + varint(value)


def field_bytes(field_number: int, payload: bytes) -> bytes:
    return tag(field_number, LEN) + varint(len(payload)) + payload


def protobuf_record(r: Record) -> bytes:
    """proto3 semantics: fields holding their default value are not written."""
    out = bytearray()
    if r["id"]:
        out += field_varint(1, r["id"])
    if r["name"]:
        out += field_bytes(2, r["name"].encode("utf-8"))
    if r["active"]:
        out += field_varint(3, 1)
    if r["score"]:
        out += tag(4, I64) + struct.pack("<d", r["score"])
    for t in r["tags"]:
        out += field_bytes(5, t.encode("utf-8"))
    if r["readings"]:
        out += field_bytes(6, b"".join(varint(v) for v in r["readings"]))
    return bytes(out)


def protobuf_batch(records: list[Record]) -> bytes:
    return b"".join(field_bytes(1, protobuf_record(r)) for r in records)
# --8<-- [end:protobuf]


# --8<-- [start:compare]
# name -> (encoder, decoder or None when this file has no decoder for it)
Codec = tuple[Callable[[list[Record]], bytes], Callable[[bytes], list[Record]] | None]
CODECS: dict[str, Codec] = {
    "JSON, json.dumps defaults": (json_default, from_json),
    "JSON, compact separators": (json_compact, from_json),
    "pickle, protocol 5": (pickle5, from_pickle),
    "MessagePack, maps": (msgpack_maps, from_msgpack_maps),
    "MessagePack, arrays": (msgpack_arrays, from_msgpack_arrays),
    "Protobuf wire format": (protobuf_batch, None),
    "struct, fixed layout": (to_struct, from_struct),
}


def sizes(records: list[Record]) -> dict[str, int]:
    """Encoded size of the same records in every format, largest first."""
    measured = {name: len(enc(records)) for name, (enc, _) in CODECS.items()}
    return dict(sorted(measured.items(), key=lambda item: -item[1]))


def round_trips(records: list[Record]) -> dict[str, bool]:
    """Whether decoding the encoded bytes gives back equal records."""
    return {name: dec(enc(records)) == records
            for name, (enc, dec) in CODECS.items() if dec is not None}
# --8<-- [end:compare]


def main() -> None:
    print(f"The same {len(RECORDS)} records, encoded seven ways:")
    measured = sizes(RECORDS)
    checked = round_trips(RECORDS)
    baseline = measured["JSON, compact separators"]
    print(f"  {'format':<27} {'bytes':>5} {'vs JSON':>8}  round trip")
    for name, size in measured.items():
        ok = {True: "equal", False: "DIFFERENT"}.get(checked.get(name), "not decoded here")
        print(f"  {name:<27} {size:>5} {size / baseline:>8.0%}  {ok}")
    print()
    print("MessagePack fix formats (one header byte holds type and size):")
    for value in (1, "hi", [1, 2, 3]):
        print(f"  packb({value!r:<9}) = {msgpack.packb(value).hex(' ')}")
    print()
    print("Protobuf wire format, one field at a time:")
    print(f"  field 1, string 'hi'  -> {field_bytes(1, b'hi').hex(' ')}")
    print(f"  field 2, varint 150   -> {field_varint(2, 150).hex(' ')}")
    print(f"  field 6, packed [1, 2, 70000] -> "
          f"{field_bytes(6, b''.join(varint(v) for v in (1, 2, 70000))).hex(' ')}")


if __name__ == "__main__":
    main()

"""Tests for docs/examples/data-serialization/.

formats.py: the measured sizes the page quotes, their order, lossless round
trips, and byte-exact encodings derived from the MessagePack and Protocol
Buffers specifications. pitfalls.py: each surprise and each defence.
"""

import json
import pickle

import msgpack
import pytest

FORMATS = "data-serialization/formats.py"
PITFALLS = "data-serialization/pitfalls.py"


@pytest.fixture
def fm(load_example):
    return load_example(FORMATS)


@pytest.fixture
def pf(load_example):
    module = load_example(PITFALLS)
    module.CALLS.clear()
    return module


# --- formats.py ---------------------------------------------------------------

def test_sizes_are_the_ones_the_page_quotes(fm):
    assert fm.sizes(fm.RECORDS) == {
        "JSON, json.dumps defaults": 309,
        "JSON, compact separators": 269,
        "pickle, protocol 5": 219,
        "MessagePack, maps": 197,
        "struct, fixed layout": 105,
        "Protobuf wire format": 99,
        "MessagePack, arrays": 92,
    }


def test_self_describing_formats_are_larger_than_schema_based_ones(fm):
    s = fm.sizes(fm.RECORDS)
    # Field names repeated in every record are what the schema formats drop.
    self_describing = [s["JSON, compact separators"], s["pickle, protocol 5"], s["MessagePack, maps"]]
    schema_based = [s["struct, fixed layout"], s["Protobuf wire format"], s["MessagePack, arrays"]]
    assert min(self_describing) > 1.8 * max(schema_based)
    assert s["MessagePack, maps"] < s["pickle, protocol 5"] < s["JSON, compact separators"]


def test_sizes_are_listed_largest_first(fm):
    values = list(fm.sizes(fm.RECORDS).values())
    assert values == sorted(values, reverse=True)


def test_varints_beat_fixed_width_fields_on_small_numbers(fm):
    # struct spends 4 bytes on every id and reading; varints spend 1 on small ones.
    s = fm.sizes(fm.RECORDS)
    assert s["Protobuf wire format"] < s["struct, fixed layout"]


def test_every_decodable_format_round_trips(fm):
    checked = fm.round_trips(fm.RECORDS)
    assert len(checked) == 6 and all(checked.values())
    assert fm.from_struct(fm.to_struct(fm.RECORDS)) == fm.RECORDS
    assert fm.from_msgpack_arrays(fm.msgpack_arrays(fm.RECORDS)) == fm.RECORDS


def test_compact_json_only_drops_whitespace(fm):
    assert json.loads(fm.json_compact(fm.RECORDS)) == json.loads(fm.json_default(fm.RECORDS))
    assert b" " not in fm.json_compact(fm.RECORDS).replace(b"Ada", b"")


def test_struct_layout_has_no_field_names(fm):
    data = fm.to_struct(fm.RECORDS)
    assert b"name" not in data and b"readings" not in data
    assert fm.FIXED.size == 13  # 4 + 1 + 8, no padding with "<"


def test_msgpack_fix_formats_match_the_spec(fm):
    assert msgpack.packb(1) == b"\x01"             # positive fixint
    assert msgpack.packb("hi") == b"\xa2hi"        # fixstr 0xa0 | length
    assert msgpack.packb([1, 2, 3]) == b"\x93\x01\x02\x03"  # fixarray 0x90 | n


def test_msgpack_rejects_int_map_keys_by_default():
    with pytest.raises(ValueError):
        msgpack.unpackb(msgpack.packb({1: "x"}))
    assert msgpack.unpackb(msgpack.packb({1: "x"}), strict_map_key=False) == {1: "x"}


def test_protobuf_wire_bytes_follow_the_encoding_guide(fm):
    assert fm.varint(1) == b"\x01"
    assert fm.varint(150) == b"\x96\x01"
    assert fm.varint(70000) == b"\xf0\xa2\x04"
    assert fm.field_bytes(1, b"hi") == bytes.fromhex("0a 02 68 69")   # (1 << 3) | 2
    assert fm.field_varint(2, 150) == bytes.fromhex("10 96 01")       # (2 << 3) | 0
    assert fm.tag(16, fm.VARINT) == b"\x80\x01"  # field 16 needs a two-byte tag


def test_proto3_omits_default_values(fm):
    grace = fm.RECORDS[1]
    assert grace["active"] is False
    encoded = fm.protobuf_record(grace)
    assert fm.tag(3, fm.VARINT) not in encoded        # false is not written
    empty = {"id": 0, "name": "", "active": False, "score": 0.0, "tags": [], "readings": []}
    assert fm.protobuf_record(empty) == b""


def test_the_docstring_counts_the_encodings_it_compares(fm):
    assert len(fm.CODECS) == 7
    assert fm.__doc__.startswith("Encode the same records seven ways")


def test_msgpack_maps_are_only_1_37_times_smaller_than_compact_json(fm):
    # What the page's Forces section quotes: keeping field names keeps most of the size.
    s = fm.sizes(fm.RECORDS)
    assert round(s["JSON, compact separators"] / s["MessagePack, maps"], 2) == 1.37
    assert round(s["JSON, compact separators"] / s["MessagePack, arrays"], 1) == 2.9


def test_formats_script_output_matches_page(run_example, expected_output):
    assert run_example(FORMATS) == expected_output("data-serialization/formats.out")


# --- pitfalls.py --------------------------------------------------------------

def test_json_round_trip_surprises(pf):
    out = pf.json_surprises()
    assert out["tuple"] == [1, 2]
    assert out["nan_text"] == "NaN"
    assert out["nan_strict"].startswith("ValueError")
    assert out["duplicate"] == {"a": 2}
    assert out["datetime"].startswith("TypeError")
    assert out["datetime_fixed"] == '{"at": "2024-02-15T12:00:00+00:00"}'
    assert out["big_id_in_js"] == 2**53 != 2**53 + 1


def test_toml_keeps_types_and_ini_returns_strings(pf):
    types = pf.config_types()
    assert types["toml"] == {"port": 8080, "debug": False, "ratio": 0.75}
    assert types["ini"] == {"port": "8080", "debug": "false", "ratio": "0.75"}


def test_pyyaml_uses_yaml_1_1_booleans_but_not_y_and_n(pf):
    import yaml
    assert pf.yaml_1_1_types() == {"country": False, "answer": "n", "enabled": True,
                                   "python": 3.1, "duration": 22 * 60 + 22}
    # y/n are booleans in the YAML 1.1 type repository, but PyYAML's resolver omits them.
    assert yaml.safe_load("[y, Y, n, N, yes, No, off]") == ["y", "Y", "n", "N", True, False, False]


def test_csv_quotes_per_rfc4180_and_loses_types(pf):
    text, back = pf.csv_round_trip([[7, 'a "b", c']])
    assert text == '7,"a ""b"", c"\r\n'
    assert back == [["7", 'a "b", c']]


def test_unpickling_runs_the_callable_named_in_the_bytes(pf):
    payload = pf.craft_payload()
    assert pf.CALLS == []
    assert pickle.loads(payload) == "code ran during unpickling"
    assert pf.CALLS == ["code ran during unpickling"]


def test_restricted_unpickler_refuses_globals_but_reads_plain_data(pf):
    with pytest.raises(pickle.UnpicklingError, match="record_call is forbidden"):
        pf.restricted_loads(pf.craft_payload())
    assert pf.CALLS == []
    assert pf.restricted_loads(pickle.dumps({"ok": [1, 2.5, "x"]})) == {"ok": [1, 2.5, "x"]}


def test_hmac_signature_rejects_bytes_we_did_not_sign(pf):
    key = b"k" * 32
    assert pf.verified_loads(pf.sign(pickle.dumps([1, 2]), key), key) == [1, 2]
    with pytest.raises(ValueError, match="bad signature"):
        pf.verified_loads(pf.sign(pf.craft_payload(), b"wrong key"), key)
    tampered = bytearray(pf.sign(pickle.dumps([1, 2]), key))
    tampered[-2] ^= 1
    with pytest.raises(ValueError):
        pf.verified_loads(bytes(tampered), key)
    assert pf.CALLS == []


def test_loading_marshal_data_does_not_run_code(pf):
    assert pf.marshal_round_trip() == ("code", 0)
    assert pf.CALLS == []


def test_sorted_keys_make_equal_dicts_hash_equal_but_are_not_jcs(pf):
    first, second = {"id": 7, "amount": 1.0}, {"amount": 1.0, "id": 7}
    assert pf.naive_bytes(first) != pf.naive_bytes(second)
    assert pf.sorted_bytes(first) == pf.sorted_bytes(second) == b'{"amount":1.0,"id":7}'
    # RFC 8785 serializes numbers as ECMAScript does, so JCS would write 1.0 as 1.
    assert b"1.0" in pf.sorted_bytes(first)
    with pytest.raises(ValueError):
        pf.sorted_bytes({"x": float("nan")})


def test_pitfalls_script_output_matches_page(run_example, expected_output):
    assert run_example(PITFALLS) == expected_output("data-serialization/pitfalls.out")

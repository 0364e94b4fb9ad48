"""How Redis Cluster decides which node owns a key.

The key space is cut into 16384 hash slots. A key's slot is CRC16(key) mod
16384, where CRC16 is the XMODEM variant (polynomial 0x1021, initial value 0,
no reflection). Each primary owns ranges of slots; resharding moves whole
slots, never individual keys.

A hash tag overrides the rule: if the key contains "{", a later "}", and at
least one character between them, only that substring is hashed. That is how
`{user:1000}.cart` and `{user:1000}.profile` land in the same slot, which is
what multi-key commands and transactions in a cluster require.
"""

from __future__ import annotations

SLOTS = 16384


# --8<-- [start:core]
def crc16_xmodem(data: bytes) -> int:
    """Bitwise CRC-16/XMODEM. The Redis spec's check value: "123456789" -> 0x31C3."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def hash_tag(key: str) -> str:
    """The part of the key that is hashed: the first non-empty {...}, else all of it."""
    start = key.find("{")
    if start != -1:
        end = key.find("}", start + 1)
        if end > start + 1:  # found, and not the empty "{}"
            return key[start + 1 : end]
    return key


def key_slot(key: str) -> int:
    return crc16_xmodem(hash_tag(key).encode()) % SLOTS


# The classic three-primary layout that `redis-cli --cluster create` produces.
RANGES = [(0, 5460, "A"), (5461, 10922, "B"), (10923, 16383, "C")]


def node_for_slot(slot: int) -> str:
    for low, high, node in RANGES:
        if low <= slot <= high:
            return node
    raise ValueError(f"slot {slot} is outside 0..{SLOTS - 1}")
# --8<-- [end:core]


def main() -> None:
    print(f'CRC16("123456789") = 0x{crc16_xmodem(b"123456789"):04X}')
    for key in ["somekey", "foo{hash_tag}", "bar{hash_tag}", "user:1000",
                "{user:1000}.cart", "{user:1000}.profile", "foo{}{bar}"]:
        slot = key_slot(key)
        print(f"{key:<22} hashes {hash_tag(key)!r:<14} -> slot {slot:>5} on node {node_for_slot(slot)}")
    same = key_slot("{user:1000}.cart") == key_slot("{user:1000}.profile")
    print(f'slot("{{user:1000}}.cart") == slot("{{user:1000}}.profile"): {same}')


if __name__ == "__main__":
    main()

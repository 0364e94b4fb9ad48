"""Diagrams are drawn in the site's palette (PALETTE in assets/javascripts/diagram-live.mjs),
and every pairing a reader sees meets WCAG 2.2: text 4.5:1 on what it sits on (1.4.3),
lines and borders 3:1 against the page (1.4.11, non-text contrast)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "docs" / "assets" / "javascripts" / "diagram-live.mjs"
SCHEME = re.compile(r"^  (default|dark): \{(.*?)^  \},", re.S | re.M)
COLOUR = re.compile(r'(\w+): "(#[0-9a-f]{6})"')

# Where each colour is used: text sits on fills, the page, clusters and notes.
TEXT_ON = ("background", "fill", "fillAlt", "cluster", "note")
LINES = ("border", "line", "clusterBorder", "noteBorder")


def palette() -> dict[str, dict[str, str]]:
    text = MODULE.read_text(encoding="utf-8")
    block = text[text.index("export const PALETTE"):text.index("export function mermaidConfig")]
    return {name: dict(COLOUR.findall(body)) for name, body in SCHEME.findall(block)}


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_both_schemes_are_defined():
    schemes = palette()
    assert set(schemes) == {"default", "dark"}
    for colours in schemes.values():
        assert set(TEXT_ON + LINES + ("text",)) <= set(colours)


@pytest.mark.parametrize("scheme", ["default", "dark"])
@pytest.mark.parametrize("surface", TEXT_ON)
def test_text_meets_aa(scheme, surface):
    colours = palette()[scheme]
    assert contrast(colours["text"], colours[surface]) >= 4.5, (scheme, surface)


@pytest.mark.parametrize("scheme", ["default", "dark"])
@pytest.mark.parametrize("line", LINES)
def test_lines_meet_non_text_contrast(scheme, line):
    colours = palette()[scheme]
    assert contrast(colours[line], colours["background"]) >= 3, (scheme, line)


def test_the_page_background_is_materials():
    """The drawings sit on the page: their background is the page's own (Material's
    white, and slate at hue 225: hsl(225 15% 14%) = #1e2129)."""
    schemes = palette()
    assert schemes["default"]["background"] == "#ffffff"
    assert schemes["dark"]["background"] == "#1e2129"


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#4051b5", "#ffffff"), 1) == 6.9

"""Diagrams read whole where they are shown (scripts/diagram_fit.py measures; this judges):
at 1280x900 every diagram shows whole, its labels at least 11 px; on a phone (390x844,
touch) at least 80% do, with labels at least 10 px. A failure names each diagram by
page, number (as its buttons name it) and key."""

import pytest

# scripts/ is on the path (conftest.py)
from diagram_fit import DESKTOP, DESKTOP_MIN_LABEL, PHONE, PHONE_MIN_LABEL, PHONE_SHARE, diagram_pages, measure_site, summary


@pytest.fixture(scope="module")
def pages(root_site) -> list[str]:
    found = diagram_pages(root_site.dir)
    assert len(found) >= 16, found  # every topic page has diagrams
    return found


def test_every_diagram_shows_whole_with_labels_of_11_px_at_1280(root_site, browser, pages):
    fits = measure_site(browser, root_site.base, pages, DESKTOP)
    failing = [f for f in fits if not f.readable(DESKTOP_MIN_LABEL)]
    assert fits
    if failing:
        pytest.fail(f"{len(failing)} of {len(fits)} diagrams at 1280x900 need sideways scrolling or draw labels under "
                    f"{DESKTOP_MIN_LABEL:g} px ({summary(fits, DESKTOP, DESKTOP_MIN_LABEL)}):\n"
                    + "\n".join(f.describe(DESKTOP_MIN_LABEL) for f in failing), pytrace=False)


def test_most_diagrams_show_whole_with_labels_of_10_px_on_a_phone(root_site, browser, pages):
    fits = measure_site(browser, root_site.base, pages, PHONE)
    failing = [f for f in fits if not f.readable(PHONE_MIN_LABEL)]
    assert fits
    if len(fits) - len(failing) < PHONE_SHARE * len(fits):
        pytest.fail(f"{len(fits) - len(failing)} of {len(fits)} diagrams show whole with labels of at least "
                    f"{PHONE_MIN_LABEL:g} px at 390x844, fewer than {PHONE_SHARE:.0%} "
                    f"({summary(fits, PHONE, PHONE_MIN_LABEL)}); these do not:\n"
                    + "\n".join(f.describe(PHONE_MIN_LABEL) for f in failing), pytrace=False)

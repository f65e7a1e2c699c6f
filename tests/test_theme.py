"""The page loads only the Radix colour scales voice_app/components/theme.py names: every colour
the page uses must be among them, or its element is left uncoloured."""

import re
import typing

from reflex_components_radix.themes.base import LiteralAccentColor

from tests.conftest import ROOT
from voice_app.components import theme

RADIX_COLORS = set(typing.get_args(LiteralAccentColor))


def test_every_colour_the_page_names_is_loaded():
    page = ROOT / "voice_app" / "components"  # what renders the page
    sources = [*page.rglob("*.py"), ROOT / "voice_app" / "voice_app.py", *(ROOT / "assets").rglob("*.js")]
    named = set()
    for path in sources:
        text = path.read_text()
        named |= set(re.findall(r"var\(--([a-z]+)-a?\d+\)", text))  # var(--green-9), var(--gray-a3)
        named |= {word for word in re.findall(r'"([a-z]+)"', text) if word in RADIX_COLORS}  # color_scheme="red"
    assert named & RADIX_COLORS, "found no colours: the scan is broken"
    assert named - {"accent"} <= set(theme.COLORS), sorted(named - {"accent"} - set(theme.COLORS))

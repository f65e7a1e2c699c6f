"""Radix Themes as the page uses it: its tokens, components and utilities, and only the colour
scales the page names, rather than the full stylesheet and the library's whole namespace.

Kept out of the first load (the page-weight budget, bench/weight.py): the 30 colour scales the page
never names, and every Radix Themes component bundled for dynamic components (Reflex puts a
plugin's package on `window.__reflex`, which pulls in all of it; the page renders none).
"""

import dataclasses

import reflex as rx

ACCENT = "indigo"
# The colour scales the page names (color_scheme, var(--name-N)); "slate" is the gray Radix pairs
# with the indigo accent. A name missing here leaves its element uncoloured: tests/test_theme.py.
COLORS = ("gray", "slate", ACCENT, "amber", "orange", "red", "green")
_THEMES = "@radix-ui/themes"


@dataclasses.dataclass
class LeanRadixThemes(rx.plugins.RadixThemesPlugin):
    def get_stylesheet_paths(self, **context) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        # Radix's documented split of styles.css, in its order.
        colors = tuple(f"{_THEMES}/tokens/colors/{color}.css" for color in COLORS)
        return (f"{_THEMES}/tokens/base.css", *colors, f"{_THEMES}/components.css", f"{_THEMES}/utilities.css")

    def get_frontend_dependencies(self, **context) -> tuple[str, ...]:
        # Installed all the same: every Radix Themes component names the package as its library.
        return ()


def plugin() -> LeanRadixThemes:
    return LeanRadixThemes(theme=rx.theme(accent_color=ACCENT, radius="large"))

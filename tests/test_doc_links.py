"""Every relative link in README.md and docs/*.md reaches a file, and every #anchor a heading of
that file, named as GitHub names it: the docs are one house, and a moved section must not leave a
dead door behind."""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:: not ours to check


def _prose(text: str) -> str:
    """The text outside fenced code blocks and inline code, where a link or a heading is one."""
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            kept.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(kept)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: as rendered (code marks, emphasis and links' targets gone),
    lower case, punctuation dropped, each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a page's headings; a repeated one gets -1, -2, … as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"#{1,6} (.*)", line)):
            base = slug(heading.group(1))
            found.add(f"{base}-{seen[base]}" if base in seen else base)
            seen[base] = seen.get(base, 0) + 1
    return found


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    broken = []
    for target in LINK.findall(_prose(page.read_text())):
        if SCHEME.match(target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.is_file() or not file.is_relative_to(root):
            broken.append(f"{target}: no such file")
        elif anchor and (file.suffix != ".md" or anchor not in anchors(file.read_text())):
            broken.append(f"{target}: no such heading in {file.relative_to(root)}")
    return broken


def test_anchors_are_named_as_github_names_them():
    assert slug("MCP servers: tools the API calls itself") == "mcp-servers-tools-the-api-calls-itself"
    assert slug("GPT-Live's connect") == "gpt-lives-connect"
    assert slug("Two voice APIs: the Realtime API and GPT-Live") == "two-voice-apis-the-realtime-api-and-gpt-live"
    assert slug("The `openai` package, **bold**") == "the-openai-package-bold"
    assert anchors("# Notes\n## Notes\n```\n# not a heading\n```\n## Notes") == {"notes", "notes-1", "notes-2"}


def test_a_dead_link_or_anchor_is_found_and_code_is_not_read_as_links(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other page\n")
    probe = tmp_path / "README.md"
    probe.write_text(
        "# Here\n[ok](#here) [gone](#nowhere) [page](docs/other.md#other-page) "
        "[heading](docs/other.md#elsewhere) [missing](nope.md) [out](../README.md) "
        "[web](https://example.com/x) `[code](nope.md)`\n```\n[fenced](nope.md)\n```\n"
    )
    assert broken_links(probe, tmp_path) == [
        "#nowhere: no such heading in README.md",
        "docs/other.md#elsewhere: no such heading in docs/other.md",
        "nope.md: no such file",
        "../README.md: no such file",
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_and_anchor_in_the_docs_resolves(page):
    assert broken_links(page) == []

"""Every link in the README, the guides in docs/, the contents page and the lessons' navigation.

Relative links must resolve to a file that is part of the repository (an anchor, to a heading of
that file); the only links that leave the repository are the Binder badge and launch URL (checked
to open JupyterLab at the contents page of this repository's main branch), PyTorch's CPU wheel
index (a set-up command) and the lecture's code and videos (the contents page's sources).
"""

import re
import subprocess
import urllib.parse

import nbformat
import pytest

from lab02_tools import ROOT, lessons, refresh

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)|\b(?:href|src)=\"([^\"]+)\"")
EXTERNAL_ALLOWED = {
    "https://mybinder.org/badge_logo.svg",
    refresh.BINDER_URL,
    "https://download.pytorch.org/whl/cpu",
    "https://github.com/deeplearningzerotoall/PyTorch",                                   # the lecture's code
    "https://www.youtube.com/playlist?list=PLQ28Nx3M4JrhkqBVIXg-i5_CVVoS1UzAv",           # the lecture's videos
}


def tracked_files():
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
        return set(listed.stdout.splitlines())
    except (OSError, subprocess.CalledProcessError):   # not a git checkout: every file on disk
        return {str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()}


TRACKED = tracked_files()


def markdown_of(path):
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    return "\n\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def links_in(path, markdown=None):
    return [a or b for a, b in LINK.findall(markdown if markdown is not None else markdown_of(path))]


def heading_anchors(path):
    """Anchors of a file's headings, as GitHub and JupyterLab make them (both spellings)."""
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown_of(path), flags=re.M):
        anchors.add(heading.replace(" ", "-"))                                      # JupyterLab
        anchors.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))       # GitHub
    return anchors


def broken_links(page, markdown=None):
    """What is wrong with the links of a page of the repository (its text may be given)."""
    problems = []
    for link in links_in(page, markdown):
        if re.match(r"[a-z]+:", link):
            if link not in EXTERNAL_ALLOWED:
                problems.append(f"unexpected link out of the repository: {link}")
            continue
        target, _, anchor = link.partition("#")
        file = (page.parent / urllib.parse.unquote(target)).resolve() if target else page
        relative = file.relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else str(file)
        if relative not in TRACKED:
            problems.append(f"{link} -> {relative} is not a file of the repository")
        elif anchor and anchor not in heading_anchors(file):
            problems.append(f"{link}: no such heading in {relative}")
    return problems


PAGES = [ROOT / "README.md", ROOT / "docs" / "instructors.md", ROOT / "docs" / "maintainers.md"] + lessons.all_notebooks()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_resolves_to_a_file_of_the_repository(page):
    assert links_in(page), f"{page.name} has no links?"
    assert broken_links(page) == []


def test_every_lesson_navigation_line_links_back_and_forth():
    names = [lesson.file for lesson in lessons.LESSONS]
    for i, name in enumerate(names):
        nav = links_in(ROOT / "notebooks" / name)
        assert lessons.INDEX in nav, name
        if i > 0:
            assert names[i - 1] in nav, name
        if i + 1 < len(names):
            assert names[i + 1] in nav, name


def test_binder_badge_opens_jupyterlab_at_the_contents_page_of_main():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"[![Binder](https://mybinder.org/badge_logo.svg)]({refresh.BINDER_URL})" in readme
    url = urllib.parse.urlsplit(refresh.BINDER_URL)
    assert (url.scheme, url.netloc) == ("https", "mybinder.org")
    provider, owner, repo, ref = url.path.strip("/").split("/")[1:5]
    assert (provider, f"{owner}/{repo}", ref) == ("gh", refresh.GITHUB_REPO, "main")
    urlpath = urllib.parse.parse_qs(url.query)["urlpath"]
    assert urlpath == ["lab/tree/notebooks/00_index.ipynb"]          # JupyterLab (not the classic UI)
    assert urlpath[0].removeprefix("lab/tree/") in TRACKED


def test_the_link_checker_catches_broken_links():
    page = ROOT / "notebooks" / "page.md"        # as if it were a page in notebooks/
    text = ("[ok](00_index.ipynb) [ok](../README.md#시작하기) [gone](missing.ipynb) "
            "[no heading](../README.md#no-such-heading) [outside](../../etc/passwd) "
            "[ignored file](../.venv/x.py) <a href=\"https://example.com\">x</a>")
    assert broken_links(page, text) == [
        "missing.ipynb -> notebooks/missing.ipynb is not a file of the repository",
        "../README.md#no-such-heading: no such heading in README.md",
        f"../../etc/passwd -> {ROOT.parent / 'etc' / 'passwd'} is not a file of the repository",
        "../.venv/x.py -> .venv/x.py is not a file of the repository",
        "unexpected link out of the repository: https://example.com",
    ]

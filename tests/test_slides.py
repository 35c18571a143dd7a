"""Slides for class: the README's nbconvert command makes a clean reveal.js deck of every lesson.

The slide types are computed by lab02_tools.refresh (see its rules); here we build the decks
exactly as the README says and check what an instructor gets: no warnings, a sensible number of
slides, the title first, one '##' idea per slide, code with its output, every figure described.
"""

import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from lab02_tools import refresh
from lab02_tools.lessons import all_notebooks

NOTEBOOKS = all_notebooks()


@pytest.fixture(scope="module")
def decks(readme_decks):
    out, stderr = readme_decks                              # tests/conftest.py: the README's command
    noise = [line for line in stderr.splitlines() if "Converting" not in line and "Writing" not in line
             and "Making directory" not in line]
    assert noise == [], "building the decks printed: " + "\n".join(noise)
    return {path.name.removesuffix(".slides.html"): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in out.glob("*.slides.html")}


def slides_of(deck):
    """Every slide an instructor steps through: top-level sections and their vertical sub-slides."""
    top = deck.select("div.reveal > div.slides > section")
    return [sub for section in top for sub in (section.find_all("section", recursive=False) or [section])]


@pytest.mark.decks
def test_the_command_builds_a_deck_for_every_notebook(decks):
    assert sorted(decks) == sorted(p.stem for p in NOTEBOOKS)


@pytest.mark.decks
@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.name)
def test_each_lesson_deck_has_a_sensible_number_of_slides_title_first(decks, path):
    slides = slides_of(decks[path.stem])
    sections = [c for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "markdown" and re.match(r"## ", c.source)]
    assert len(sections) + 1 <= len(slides) <= 30, f"{len(slides)} slides for {len(sections)} sections"
    assert slides[0].find("h1") is not None and "Lab-02-" in slides[0].find("h1").get_text()


@pytest.mark.decks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_idea_per_slide_code_with_its_output_nothing_empty(decks, path):
    for number, slide in enumerate(slides_of(decks[path.stem]), start=1):
        assert slide.get_text(strip=True) or slide.find("img"), f"slide {number} is empty"
        assert len(slide.find_all("h2")) <= 1, f"slide {number} has several '##' sections"
        for cell in slide.select("div.jp-CodeCell"):
            # nbconvert keeps a cell's input and outputs in one element: never split across slides.
            assert cell.select_one(".jp-InputArea") is not None
        assert "Traceback" not in slide.get_text(), f"slide {number} shows an error"


@pytest.mark.decks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_on_a_slide_is_described(decks, path):
    for img in decks[path.stem].find_all("img"):
        assert img.get("alt", "").startswith("그림: "), img.get("alt")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_slide_metadata_is_current_and_every_slide_fits_its_budget(path):
    nb = nbformat.read(path, as_version=4)
    stored = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert stored == refresh.slide_types(nb), "run: python -m lab02_tools.refresh --nav-only"
    slides = []
    for cell, kind in zip(nb.cells, stored):
        if kind in ("slide", "subslide") or not slides:
            slides.append([])
        if kind != "skip":
            slides[-1].append(cell)
    for cells in slides:
        height = sum(refresh.cell_height_px(c) for c in cells)
        # Over the budget only for one tall code cell: alone, or with its heading or introduction
        # when they stay within SLIDE_MAX_PX (the canvas is 900 px; estimates err by up to ~10 %).
        if height > refresh.SLIDE_BUDGET_PX:
            kinds = [c.cell_type for c in cells]
            assert (kinds == ["markdown", "code"] and height <= refresh.SLIDE_MAX_PX) or kinds == ["code"], (
                kinds, height, cells[-1].source[:80])


def test_slide_rules_on_a_small_notebook():
    new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nav = new_md("[목차](00_index.ipynb)")
    nav.metadata["tags"] = ["nav"]
    versions = new_code("print(1)")
    versions.metadata["tags"] = ["nbval-ignore-output"]
    nb = nbformat.v4.new_notebook(cells=[
        nav, new_md("# Lab-02-9 Title"), versions,
        new_md("## 9.1 First"), new_code("x = 1"), new_md("short text"), new_code("\n".join(["y = 2"] * 31)),
        new_md("**연습 1.** do it"), new_code("answer = ..."),
    ])
    assert refresh.slide_types(nb) == ["skip", "slide", "skip", "slide", "-", "subslide", "-", "subslide", "-"]

"""Decks for a classroom without network: built with the README's command, opened from the file system
in Chromium with every request that is not a file refused, they are laid out and their LaTeX is typeset.

reveal.js and MathJax come from the npm packages pinned in tools/slides/package.json (installed with
`npm ci --prefix tools/slides`), copied beside the decks by lab02_tools.offline_decks. Marked ``decks``
(and ``browser``): skipped without them, naming the command that gets them; with CI=true, failed.
"""

import os
import re

import pytest
from bs4 import BeautifulSoup

from lab02_tools import ROOT
from lab02_tools import jupyterlab_browser as jb

README = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")   # the instructors' guide
#: A lesson whose deck has display and inline LaTeX ($$H(x) = Wx + b$$, $W$, $b$).
MATH_LESSON = "02_hypothesis"


@pytest.fixture(scope="module")
def decks(readme_decks):
    return readme_decks[0]                                  # tests/conftest.py: the README's command


def test_readme_installs_the_pinned_packages_and_ci_does_the_same():
    assert "\nnpm ci --prefix tools/slides\n" in README
    assert re.search(r"^npm ci --prefix tools/slides\b", (ROOT / ".ci" / "run").read_text(), flags=re.M)
    lock = (ROOT / "tools" / "slides" / "package-lock.json").read_text()
    for name, version in (("reveal.js", "5.2.1"), ("mathjax", "3.2.2")):
        assert re.search(rf'"node_modules/{re.escape(name)}": {{\s*"version": "{version}",\s*"integrity"', lock)


@pytest.mark.decks
def test_each_deck_loads_only_files_from_its_own_folder(decks):
    for path in sorted(decks.glob("*.slides.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        loaded = [t["src"] for t in soup.find_all("script", src=True)]
        loaded += [t["href"] for t in soup.find_all("link", href=True)]
        loaded += [t["src"] for t in soup.find_all("img") if not t["src"].startswith("data:")]
        assert loaded, path.name
        for url in loaded:
            assert not re.match(r"[a-z]+:|//", url), f"{path.name} loads {url}"
            assert (decks / url).is_file(), f"{path.name} needs {url}, not beside it"
        # No module import from a CDN either (nbconvert's template loads Mermaid that way).
        assert not re.search(r"""import\s.*from\s+['"]https?:""", path.read_text(encoding="utf-8"))


def test_without_the_npm_packages_the_command_says_how_to_install_them(build_decks, tmp_path):
    # The README's command, told to look for reveal.js and MathJax in an empty folder.
    done = build_decks(tmp_path / "out", env=dict(os.environ, SLIDES_NODE_MODULES=str(tmp_path / "no_node_modules")))
    assert done.returncode != 0
    assert "npm ci --prefix tools/slides" in done.stderr
    assert not list((tmp_path / "out").glob("*.html")) if (tmp_path / "out").exists() else True


#: After reveal.js has laid out the deck: what the browser shows of it.
STATE_JS = r"""() => {
  const reveal = document.querySelector('.reveal');
  const slides = document.querySelector('.reveal .slides');
  const present = document.querySelector('.reveal .slides section.present');
  const text = (el) => {            // the visible text, without MathJax's output and code
    const copy = el.cloneNode(true);
    copy.querySelectorAll('mjx-container, pre, code, script, style').forEach(e => e.remove());
    return copy.textContent;
  };
  const box = slides.getBoundingClientRect();
  return {
    ready: reveal.classList.contains('ready'),
    total: Reveal.getTotalSlides(),
    slideWidth: Reveal.getConfig().width,
    scale: Reveal.getScale(),
    box: [box.width, box.height],
    presentHeading: present ? (present.querySelector('h1, h2') || {}).textContent : null,
    number: ((document.querySelector('.slide-number') || {}).textContent || '').replace(/\s+/g, ''),
    mathTyped: document.querySelectorAll('mjx-container svg').length,
    displayMath: document.querySelectorAll('mjx-container[display="true"]').length,
    mathErrors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    rawMath: (text(slides).match(/\$\$[^$]+\$\$|\$[^$\s][^$]*\$/g) || []).slice(0, 5),
    themeFont: getComputedStyle(reveal).fontFamily,
  };
}"""


@pytest.fixture(scope="module")
def browser():
    with jb.chromium() as browser:
        yield browser


def open_offline(browser, deck, viewport=(1280, 720)):
    """Open a deck from file:// with every other request refused; return (page, refused, errors)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    refused, errors = [], []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_files)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.goto(deck.as_uri())
    page.wait_for_function("() => document.querySelector('.reveal.ready') !== null", timeout=20_000)
    # MathJax typesets once it has loaded (its script is deferred); wait for its promise.
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000)
    page.evaluate("() => MathJax.startup.promise")
    return context, page, refused, errors


@pytest.mark.decks
@pytest.mark.browser
def test_a_deck_opened_from_the_file_system_offline_is_laid_out_and_its_latex_typeset(decks, browser, tmp_path):
    deck = decks / f"{MATH_LESSON}.slides.html"
    total = len(BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")
                .select("div.reveal > div.slides section:not(:has(> section))"))
    context, page, refused, errors = open_offline(browser, deck)
    try:
        state = page.evaluate(STATE_JS)
        page.screenshot(path=str(tmp_path / "title.png"))
        assert refused == [] and errors == [], (refused, errors)
        assert state["ready"] and state["total"] == total
        assert state["presentHeading"].startswith("Lab-02-2"), state   # the title slide first
        assert state["number"] == f"1/{total}"
        # Laid out: the 1200 x 900 canvas scaled into the 1280 x 720 window, the theme's font applied.
        assert state["slideWidth"] == 1200 and 0.5 < state["scale"] < 1.0 and state["box"][0] > 0
        assert "Source Sans Pro" in state["themeFont"]
        # Typeset: SVG output for every formula, none left as $...$ and no TeX error.
        assert state["displayMath"] >= 1 and state["mathTyped"] >= 5, state
        assert state["rawMath"] == [] and state["mathErrors"] == 0, state
        page.keyboard.press("ArrowRight")          # the next slide, as an instructor moves on
        page.wait_for_timeout(300)
        assert page.evaluate(STATE_JS)["number"] == f"2/{total}"
        print(f"\nthe offline deck in Chromium: {tmp_path / 'title.png'}")
    finally:
        context.close()

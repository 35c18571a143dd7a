"""Decks that open offline: reveal.js and MathJax copied next to the decks, from pinned npm packages.

`tools/slides/package.json` pins reveal.js and MathJax; `npm ci --prefix tools/slides` installs them
into tools/slides/node_modules (package-lock.json fixes every file's hash). When nbconvert writes the
decks (tools/slides/config.py names OfflineDeckWriter as its writer), OfflineDeckWriter also copies the
few files a deck loads into `lib/` of the same folder, so the folder of decks works from the file
system, on any computer, with no network at all.
"""

import shutil
from pathlib import Path

from nbconvert.writers import FilesWriter

from lab02_tools.needs import DECKS_HINT as INSTALL_HINT
from lab02_tools.needs import SLIDES_NODE_MODULES as NODE_MODULES

#: Where the decks find them, relative to the deck (SlidesExporter.reveal_url_prefix, HTMLExporter.mathjax_url).
REVEAL_PREFIX = "lib/reveal.js"
MATHJAX_URL = "lib/mathjax/tex-svg-full.js"

#: (source under node_modules, destination under the decks' folder): only what a deck loads.
ASSETS = [
    ("reveal.js/LICENSE", "lib/reveal.js/LICENSE"),
    ("reveal.js/dist/reveal.js", "lib/reveal.js/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", "lib/reveal.js/dist/reveal.css"),
    ("reveal.js/dist/theme/white.css", "lib/reveal.js/dist/theme/white.css"),
    ("reveal.js/dist/theme/fonts/source-sans-pro", "lib/reveal.js/dist/theme/fonts/source-sans-pro"),
    ("reveal.js/plugin/notes/notes.js", "lib/reveal.js/plugin/notes/notes.js"),
    # One file with the TeX input, every TeX extension and SVG output (no web fonts to fetch).
    ("mathjax/LICENSE", "lib/mathjax/LICENSE"),
    ("mathjax/es5/tex-svg-full.js", "lib/mathjax/tex-svg-full.js"),
]

def missing_assets():
    """The asset files that are not installed (empty when the decks can be built)."""
    return [source for source, _ in ASSETS if not (NODE_MODULES / source).exists()]


def copy_assets(folder):
    """Copy every asset into `folder` (the decks' folder); return the paths written."""
    written = []
    for source, destination in ASSETS:
        source, destination = NODE_MODULES / source, Path(folder) / destination
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, destination)
        written.append(destination)
    return written


class OfflineDeckWriter(FilesWriter):
    """nbconvert's FilesWriter, which also puts reveal.js and MathJax into the decks' folder (once)."""

    _copied_to = None

    def write(self, output, resources, notebook_name=None, **kw):
        dest = super().write(output, resources, notebook_name=notebook_name, **kw)
        folder = Path(dest).parent
        if self._copied_to != folder:
            self.log.info("Writing reveal.js and MathJax for offline use to %s", folder / "lib")
            copy_assets(folder)
            self._copied_to = folder
        return dest

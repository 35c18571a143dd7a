"""Rewrite the lessons' navigation lines and stored outputs, so GitHub shows what "Run All" gives.

    python -m lab02_tools.refresh            # every notebook: nav lines, then run in a fresh kernel
    python -m lab02_tools.refresh --nav-only # only rewrite the nav lines, the index's lesson table
                                             # and the slide metadata
    python -m lab02_tools.refresh notebooks/03_cost.ipynb   # just these

Each notebook runs top to bottom in its own fresh kernel (nbclient), with notebooks/ as the working
folder. Outputs that vary from machine to machine (execution timings, widget state, the Python patch
version in the metadata) are dropped, so a re-run changes the files only when a lesson changed.
"""

import argparse
import base64
import math
import re
import struct
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lab02_tools.lessons import INDEX, LESSONS, NOTEBOOKS, all_notebooks

#: The GitHub repository the Binder badge points at (also in README.md; tests keep them equal).
GITHUB_REPO = "modu-dl-season2/lab02-linear-regression"
BINDER_URL = f"https://mybinder.org/v2/gh/{GITHUB_REPO}/main?urlpath=lab/tree/notebooks/{INDEX}"

TOC_TAG, NAV_TAG = "toc", "nav"
VERSIONS_TAG = "nbval-ignore-output"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KEEP_LANGUAGE_INFO = ("name", "codemirror_mode", "file_extension", "mimetype",
                      "nbconvert_exporter", "pygments_lexer")


def lesson_label(name):
    """Return 'Lab-02-N title' for a lesson file name."""
    for number, lesson in enumerate(LESSONS, start=1):
        if lesson.file == name:
            return f"Lab-02-{number} {lesson.title}"
    raise KeyError(name)


def nav_markdown(name):
    """Return the '< previous | 목차 | next >' line for a lesson file name."""
    files = [lesson.file for lesson in LESSONS]
    i = files.index(name)
    parts = []
    if i > 0:
        parts.append(f"[< {lesson_label(files[i - 1])}]({files[i - 1]})")
    parts.append(f"[목차 (Contents)]({INDEX})")
    if i + 1 < len(files):
        parts.append(f"[{lesson_label(files[i + 1])} >]({files[i + 1]})")
    return " | ".join(parts)


def toc_markdown():
    """Return the index's lesson table (markdown)."""
    rows = ["| 레슨 | 내용 |", "| --- | --- |"]
    rows += [f"| [{lesson_label(l.file)}]({l.file}) | {l.what} |" for l in LESSONS]
    return "\n".join(rows)


def update_generated_cells(nb, name):
    """Fill the cells tagged 'nav' (lessons) and 'toc' (index) with their generated text."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if NAV_TAG in tags:
            cell.source = nav_markdown(name)
        if TOC_TAG in tags:
            cell.source = toc_markdown()


# --- slides (jupyter nbconvert --to slides) --------------------------------------------------
#
# Every cell gets its reveal.js slide type from these rules, so decks stay consistent when a lesson
# changes: a "#" or "##" heading starts a slide; a "###" heading or an exercise starts a sub-slide
# (one idea per slide); the navigation lines and the versions cell (tagged only nbval-ignore-output)
# are skipped; any other cell stays on the current slide while the slide's estimated height fits
# SLIDE_BUDGET_PX of the deck's 1200 x 900 canvas (tools/slides/config.py), else it starts a
# sub-slide; a short text that introduces a code cell moves with it. A code cell's output is always on its slide.

SLIDE_BUDGET_PX = 760
SLIDE_MAX_PX = 800      # what a tall cell with its introduction may reach (the canvas is 900)
_CONTENT_WIDTH_PX = 1120


def _text_width_px(line):
    """Rendered width of a line of markdown at the slides' 20 px font (Hangul is twice as wide)."""
    return sum(20 if ord(ch) >= 0x1100 else 10.5 for ch in line)


def _png_height_px(data):
    width, height = struct.unpack(">II", base64.b64decode(data[:64])[16:24])
    return height * min(1.0, _CONTENT_WIDTH_PX / width)


def _markdown_height_px(source):
    if source.lstrip().startswith("<details>"):
        return 45                                   # folded: only its summary line shows
    height = 0
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            height += 10
        elif re.match(r"#{1,2} ", stripped):
            height += 85
        elif stripped.startswith("#"):
            height += 60
        elif stripped.startswith("|"):
            height += 0 if re.fullmatch(r"[|\-: ]+", stripped) else 42
        elif stripped.startswith("$$"):
            height += 70
        else:
            height += 31 * max(1, math.ceil(_text_width_px(stripped) / _CONTENT_WIDTH_PX))
    return height + 20


def _output_height_px(out):
    data = out.get("data", {})
    if "image/png" in data:
        return _png_height_px(data["image/png"]) + 20
    if out.get("output_type") == "stream":
        return 22 * out["text"].rstrip("\n").count("\n") + 45
    if "text/markdown" in data:
        return _markdown_height_px(data["text/markdown"])
    if "text/html" in data:
        return 42 * max(1, data["text/html"].count("<tr"))
    if "text/plain" in data:
        return 22 * data["text/plain"].count("\n") + 45
    return 45


def cell_height_px(cell):
    """Estimated height of a cell on a slide: code with its outputs, or rendered markdown."""
    if cell.cell_type == "markdown":
        return _markdown_height_px(cell.source)
    if cell.cell_type != "code":
        return 0
    return 22 * len(cell.source.splitlines()) + 30 + sum(_output_height_px(o) for o in cell.get("outputs", []))


def is_versions_cell(cell):
    """The lesson's first code cell, which prints package versions: tagged only 'nbval-ignore-output'
    (nbval runs it but does not compare its output, which differs between installations)."""
    return cell.cell_type == "code" and cell.metadata.get("tags", []) == [VERSIONS_TAG]


def slide_types(nb):
    """Return the reveal.js slide type of every cell (see the rules above)."""
    heights = [cell_height_px(cell) for cell in nb.cells] + [0]
    types, used, alone = [], 0, False     # alone: the slide so far is only a heading or an introduction
    for i, cell in enumerate(nb.cells):
        source = cell.source.lstrip()
        height = heights[i]
        following = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if cell.cell_type == "markdown" and following is not None and following.cell_type == "code":
            needed = height + heights[i + 1]     # an introduction stays with its code
        else:
            needed = height
        if NAV_TAG in cell.metadata.get("tags", []) or is_versions_cell(cell):
            types.append("skip")
            continue
        if cell.cell_type == "markdown" and re.match(r"#{1,2} ", source):
            kind = "slide"
        elif cell.cell_type == "markdown" and (source.startswith("###") or re.match(r"\*\*연습 \d", source)):
            kind = "subslide"
        elif used + needed > SLIDE_BUDGET_PX and not (
                alone and cell.cell_type == "code" and used + height <= SLIDE_MAX_PX):
            kind = "subslide"          # (a tall code cell stays with its introduction if the canvas has room)
        else:
            kind = "-"
        used = height if kind != "-" else used + height
        alone = kind != "-" and cell.cell_type == "markdown"
        types.append(kind)
    return types


def plain_heading(source):
    """The text of a markdown cell's first heading, without markdown ('3.5 cost 를 W 의 함수로 보기')."""
    found = re.search(r"^#{1,3} +(.+)$", source, flags=re.M)
    return re.sub(r"[`$*\\]|\\mathrm|\\,", "", found.group(1)).strip() if found else None


def figure_lead(source, limit=120):
    """What the text just before a figure says it shows: the last text line of a markdown cell
    (no heading, table, quote or list mark, no LaTeX that reads badly as plain text), whole if short,
    else its first sentence; None when there is none."""
    for line in reversed(source.splitlines()):
        line = line.strip()
        if not line or line.startswith(("#", "|", "<", "```", ">", "*수업")) or "\\" in line or "{" in line:
            continue
        line = re.sub(r"[`$*]", "", re.sub(r"^(- |\d+\. )", "", line))
        if len(line) > limit:
            end = line.find("다. ")
            line = line[:end + 2] if 0 <= end < limit else line[:limit - 1].rstrip() + "…"
        return line
    return None


def update_slide_metadata(nb):
    """Write every cell's slide type; a cell with a figure also gets its alt text: the section's
    heading and what the text just before the figure says it shows ('그림: 3.4 … — …입니다.')."""
    heading, lead = None, None
    for cell, kind in zip(nb.cells, slide_types(nb)):
        cell.metadata["slideshow"] = {"slide_type": kind}
        if cell.cell_type == "markdown":
            heading = plain_heading(cell.source) or heading
            lead = figure_lead(cell.source) or (None if plain_heading(cell.source) else lead)
        has_figure = any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        if has_figure and heading:
            cell.metadata["figure_alt"] = f"그림: {heading}" + (f" — {lead}" if lead else "")
        else:
            cell.metadata.pop("figure_alt", None)


def coalesce_streams(outputs):
    """Merge consecutive stream outputs of the same name (stdout/stderr), as nbval compares them."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream" and merged[-1]["name"] == out["name"]):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def static_only(outputs):
    """Keep a panel's static picture and its status text, and drop its widget view (it needs a kernel).

    A lesson opened before it runs (or read on GitHub) then shows the panel's starting numbers and
    figure, as two outputs every viewer renders, instead of "Error displaying widget: model not found".
    """
    kept = []
    for out in outputs:
        kept.append(out)                         # a panel: its picture, then its status under it, as live
        data = out.get("data", {})
        if WIDGET_VIEW in data and "image/png" in data:
            status = data.pop("text/html", None)
            del data[WIDGET_VIEW]
            if status:
                kept.append(nbformat.v4.new_output("display_data", data={"text/html": status}))
    return kept


def clean(nb):
    """Drop what varies between machines and runs: timings, widget state, the Python patch version."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = static_only(coalesce_streams(cell.outputs))
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {k: v for k, v in info.items() if k in KEEP_LANGUAGE_INFO}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}


def notebook_client(nb):
    """An nbclient client for ``nb``: a fresh python3 kernel, notebooks/ as the working folder."""
    return NotebookClient(nb, timeout=600, kernel_name="python3",
                          extra_arguments=["--IPKernelApp.log_level=ERROR"],
                          resources={"metadata": {"path": str(NOTEBOOKS)}})


def execute(nb):
    """Run every cell in a fresh kernel with notebooks/ as the working folder."""
    notebook_client(nb).execute()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab02_tools.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: all of them")
    parser.add_argument("--nav-only", action="store_true",
                        help="rewrite nav lines and slide metadata, do not execute")
    args = parser.parse_args(argv)
    for path in args.notebooks or all_notebooks():
        nb = nbformat.read(path, as_version=4)
        update_generated_cells(nb, path.name)
        if not args.nav_only:
            print(f"running {path.name} ...", flush=True)
            execute(nb)
        clean(nb)
        update_slide_metadata(nb)          # after running: figure sizes count
        nbformat.write(nb, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

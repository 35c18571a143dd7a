"""The lessons as stored in git: complete, current, clean, and shaped alike.

nbval (python -m pytest over notebooks/) re-runs every cell and compares outputs; these tests check
what nbval does not: that the stored outputs exist and are free of machine noise, that navigation
and the index are current, and that every lesson follows the same skeleton.
"""

import copy
import re

import nbformat
import pytest

from lab02_tools import ROOT, lessons, refresh
from lab02_tools.lessons import full_training_cell, panel_cells

NOTEBOOKS = lessons.all_notebooks()
LESSONS = [lesson.path for lesson in lessons.LESSONS]
NOISE = re.compile(r"0x[0-9a-fA-F]{6,}|/work/|/home/|/root/|/tmp/|site-packages|\\Users\\|"
                   r"Wall time|CPU times|it/s\]")


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def output_text(out):
    if out.output_type == "stream":
        return out.text
    if out.output_type in ("execute_result", "display_data"):
        return "\n".join(v for k, v in out.data.items() if k.startswith("text/"))
    return ""


def test_every_lesson_file_exists_in_reading_order():
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert names == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_navigation_and_index_are_current(path):
    nb = read(path)
    fresh = copy.deepcopy(nb)
    refresh.update_generated_cells(fresh, path.name)
    assert [c.source for c in nb.cells] == [c.source for c in fresh.cells], \
        "run: python -m lab02_tools.refresh --nav-only"
    if path in LESSONS:
        for cell in (nb.cells[0], nb.cells[-1]):
            assert "nav" in cell.metadata.get("tags", []) and f"]({lessons.INDEX})" in cell.source


def test_index_links_every_lesson():
    toc = "\n".join(c.source for c in read(ROOT / "notebooks" / lessons.INDEX).cells)
    for lesson in LESSONS:
        assert f"]({lesson.name})" in toc


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_stored_outputs_are_complete_and_clean(path):
    nb = read(path)
    cells = code_cells(nb)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), \
        "stored outputs are not from one Run All: python -m lab02_tools.refresh"
    for cell in cells:
        assert "execution" not in cell.metadata
        for out in cell.outputs:
            assert out.output_type != "error", cell.source
            assert not (out.output_type == "stream" and out.name == "stderr"), out.text
            assert not NOISE.search(output_text(out)), output_text(out)
        assert "sys.path" not in cell.source
    assert "widgets" not in nb.metadata
    assert "version" not in nb.metadata.get("language_info", {})


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_figure_cell_stored_its_picture(path):
    for cell in code_cells(read(path)):
        if "plt.show()" in cell.source:
            assert any("image/png" in out.get("data", {}) for out in cell.outputs), cell.source


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_skeleton(path):
    nb = read(path)
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    number = NOTEBOOKS.index(path)
    assert md[1].startswith(f"# Lab-02-{number} ")
    text = "\n".join(md)
    assert "## 이번에 배울 것" in text
    sections = re.findall(rf"^## {number}\.(\d+) ", text, flags=re.M)
    assert len(sections) >= 3 and sections == [str(i) for i in range(1, len(sections) + 1)]
    assert text.index("## 요약") < text.index("## 연습문제")
    after = nb.cells[[i for i, c in enumerate(nb.cells) if "## 연습문제" in c.source][0]:]
    exercises = [c for c in after if c.cell_type == "code" and re.search(r"\bcheck_\w+\(", c.source)]
    solutions = [c for c in after if c.cell_type == "markdown" and "<details>" in c.source]
    assert 1 <= len(exercises) <= 4 and len(solutions) == len(exercises)
    heading = ""       # an exercise above the 연습문제 section sits in the lesson's 심화 section (skipped in one step)
    for cell in nb.cells[:nb.cells.index(after[0])]:
        found = re.search(r"^## +(.+)$", cell.source, flags=re.M) if cell.cell_type == "markdown" else None
        heading = found.group(1) if found else heading
        if cell.cell_type == "code" and re.search(r"^check_\w+\(", cell.source, flags=re.M):
            assert "심화" in heading, (heading, cell.source)


#: {lesson file: how its panel cell starts} (lab02_tools.lessons)
PANELS = {lesson.file: lesson.panel for lesson in lessons.PANEL_LESSONS}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_only_the_versions_cell_and_the_panels_are_exempt_by_their_tags(path):
    nb = read(path)
    exempt = [c for c in code_cells(nb) if any(t.startswith("nbval") for t in c.metadata.get("tags", []))]
    versions = [c for c in exempt if "torch.__version__" in c.source]
    # One versions cell in the course, the first code cell of the first lesson, exempt by its tag alone
    # (its output differs between installations); a learner reads no test-runner marker in it.
    if path == LESSONS[0]:
        assert len(versions) == 1 and versions[0] is code_cells(nb)[0]
        assert versions[0].metadata["tags"] == ["nbval-ignore-output"] and refresh.is_versions_cell(versions[0])
    else:
        assert versions == [] and not any("torch.__version__" in c.source for c in code_cells(nb))
    panels = panel_cells(nb)
    assert [c for c in exempt if c not in versions] == panels
    assert len(panels) == (1 if path.name in PANELS else 0)
    for cell in panels:
        # nbval runs the cell (an error fails), but a live widget's output cannot match a stored one.
        assert cell.metadata["tags"] == ["panel", "nbval-ignore-output"]
        assert cell.source.startswith(PANELS[path.name])


@pytest.mark.parametrize("path", [p for p in LESSONS if p.name in PANELS], ids=lambda p: p.name)
def test_a_panel_is_stored_as_its_status_and_picture_never_as_a_dangling_widget(path):
    nb = read(path)
    [cell] = panel_cells(nb)
    out, status = cell.outputs                       # the picture, its status under it: what a reader on GitHub sees
    assert list(status.data) == ["text/html"] and re.search(r"H\((x|4)\) = ", status.data["text/html"])
    assert "image/png" in out.data and "application/vnd.jupyter.widget-view+json" not in out.data
    assert out.data["text/plain"].startswith(PANELS[path.name][:-1])
    if path.name == "05_training_loop.ipynb":        # the panel starts where the write-up's log ends
        assert "Epoch 1000/1000 W: 1.971, b: 0.066 Cost: 0.000633" in status.data["text/html"]
    index = nb.cells.index(cell)
    assert nb.cells[index - 1].cell_type == "markdown" and nb.cells[index - 1].source.startswith("## ")


def test_training_loop_lesson_stores_the_write_up_log(seed_log):
    nb = read(lessons.TRAINING.path)
    log = "".join(o.text for o in full_training_cell(nb).outputs if o.output_type == "stream")
    assert log.splitlines() == seed_log


def learner_text(nb):
    """What a learner reads before running: every cell's source, except the generated nav lines."""
    return [c.source for c in nb.cells if "nav" not in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_test_runner_markers_or_test_suite_talk_in_what_a_learner_reads(path):
    for source in learner_text(read(path)):
        assert "NBVAL" not in source and "nbval" not in source, source
        # "테스트" only for the test dataset the lessons teach (TERMS.md), never for the test suite.
        for found in re.finditer(r"테스트\S*", source):
            following = source[found.end():found.end() + 4]
            assert found.group() == "테스트" and following.startswith(" 데이터"), \
                f"'{found.group()}{following}' in: {source[:200]}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_lesson_points_forward_to_a_later_lesson(path):
    number = NOTEBOOKS.index(path)
    for source in learner_text(read(path)):
        later = [int(n) for n in re.findall(r"Lab-02-(\d+)", source) if int(n) > number]
        assert not later, f"{path.name} refers to Lab-02-{later[0]}: {source[:200]}"
        assert not re.search(r"다음 lesson에서|뒤에서 (봅니다|배웁니다)", source), source[:200]

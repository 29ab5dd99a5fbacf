"""Figures: drawn once per format from one layout, in a forked helper or not, the same files."""

from __future__ import annotations

import os

import pytest

from _runfolder import write_run
from sumbench.reports import load_run, plots


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return load_run(write_run(tmp_path_factory.mktemp("run") / "a"))


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper process is forked")
def test_figures_drawn_with_a_helper_process_are_the_same_files(run, tmp_path):
    alone = plots.render_figures(run, tmp_path / "alone", parallel=False)
    helped = plots.render_figures(run, tmp_path / "helped", parallel=True)
    # report order; the run has no document groups
    assert list(alone) == list(helped) == [name for name in plots.FIGURES if name != "groups"]
    assert {n: {k: p.name for k, p in f.items()} for n, f in alone.items()} == {
        n: {k: p.name for k, p in f.items()} for n, f in helped.items()
    }
    assert _files(tmp_path / "alone") == _files(tmp_path / "helped")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper process is forked")
def test_a_failing_helper_leaves_its_figures_to_this_process(run, tmp_path, monkeypatch):
    failing = {name: plots.FIGURES[name] for name in plots._HELPER_FIGURES}
    parent = os.getpid()

    def fail_in_helper(name):
        def draw(*args, **kwargs):
            if os.getpid() != parent:
                raise RuntimeError("helper fails")
            return failing[name](*args, **kwargs)

        return draw

    for name in failing:
        monkeypatch.setitem(plots.FIGURES, name, fail_in_helper(name))
    got = plots.render_figures(run, tmp_path / "f", parallel=True)
    assert list(got) == [name for name in plots.FIGURES if name != "groups"]
    assert all(p.stat().st_size > 0 for files in got.values() for p in files.values())


def test_svg_is_drawn_from_the_png_layout(run, tmp_path, monkeypatch):
    # constrained layout runs once per figure (for the PNG); the SVG reuses it
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    calls = []
    real = ConstrainedLayoutEngine.execute
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda self, fig: calls.append(fig) or real(self, fig))
    got = plots.render_figures(run, tmp_path / "f", parallel=False)
    assert len(calls) == len(got) and len({id(f) for f in calls}) == len(got)
    for files in got.values():
        assert files["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert files["png"].read_bytes().startswith(b"\x89PNG")

"""Figures at scale: 20+ systems stay readable, no colour repeats, bounds are reference lines, the
forest and per-group figures.

:func:`write_many_system_run` writes a synthetic run of any number of systems and documents (with the
built-in roles: a ``lead`` baseline, an ``oracle`` upper bound and a ``random`` lower bound, long and
hostile labels, document groups and a few failures), fast enough for 16 systems x 5,000 documents.
Scores are drawn, not computed; aggregates and pairwise tests are normal approximations with a Holm
adjustment (numbers that look real, nothing more).
"""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from sumbench import runfolder
from sumbench.records import Aggregate, DocumentScores, Failure, Summary
from sumbench.reports import load_run, plots
from sumbench.runfolder import Comparison, CorpusInfo, DocumentEntry, Manifest, SystemEntry
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS
from sumbench.scoring.lengths import LENGTH_COLUMNS

ROUGE = tuple(f"{r}_{x}" for r in ("rouge1", "rouge2", "rougeL", "rougeLsum") for x in ("p", "r", "f"))
METRICS = (*ROUGE, *LENGTH_COLUMNS, *EXTRACTIVENESS_COLUMNS)
TESTED = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f")
GROUPS = ("world", "business", "sport", "science-and-technology")

#: Candidate labels: realistic, some long, one with mathtext and HTML specials.
CANDIDATES = (
    "pegasus-large-cnn",
    "bart-large-cnn",
    "t5-3b-summarize-cnn-dailymail-beam4",
    "textrank-3",
    "lexrank-3",
    "tail <&> $x$",
    "distilbart-12-6-cnn",
    "brio-cnndm",
    "led-base-16384",
    "flan-t5-xl-zero-shot",
    "llama-2-7b-chat-one-shot",
    "mistral-7b-instruct-v0.2",
    "bertsum-ext",
    "matchsum",
    "luhn-3",
    "lsa-3",
    "kl-sum",
    "sumbasic",
    "centroid-bert",
    "prophetnet-large-cnndm",
    "gpt-3.5-turbo-zero-shot-with-a-very-long-prompt-name",
    "sentence-bert-mmr",
    "oreo",
    "gsum",
    "simcls",
    "summarunner",
)
_NORMAL = statistics.NormalDist()
_WORDS = "council minister market energy price vote school storm river company strike budget tax club".split()


def _sentence(rng: np.random.Generator) -> str:
    words = rng.choice(_WORDS, size=int(rng.integers(8, 15)))
    return " ".join(words).capitalize() + "."


def many_system_run(
    n_systems: int,
    n_documents: int,
    *,
    baseline: bool = True,
    bounds: bool = True,
    groups: bool | tuple[str, ...] = True,
    seed: int = 5,
) -> tuple[Manifest, dict[str, Any]]:
    """The manifest and records of a synthetic run of ``n_systems`` systems (the built-in roles among
    them unless turned off) and ``n_documents`` documents; ``groups``: the document groups (True:
    :data:`GROUPS`, False: none), the first the largest."""
    rng = np.random.default_rng(seed)
    specials: list[tuple[str, str, str]] = []
    if baseline:
        specials.append(("lead", "lead", "baseline"))
    if bounds:
        specials += [("oracle", "oracle", "upper-bound"), ("random", "random", "lower-bound")]
    n_candidates = n_systems - len(specials)
    if not 0 < n_candidates <= len(CANDIDATES):
        raise ValueError(f"between {len(specials) + 1} and {len(specials) + len(CANDIDATES)} systems")
    systems = [(c, c.split("-")[0], "candidate") for c in CANDIDATES[:n_candidates]]
    systems[1:1] = specials  # the roles sit among the candidates in the manifest, not at its end
    labels = [s[0] for s in systems]
    doc_ids = [f"news-{k:05d}" for k in range(n_documents)]
    names = GROUPS if groups is True else tuple(groups or ())
    weights = 0.75 ** np.arange(len(names))
    group_of = rng.choice(len(names), size=n_documents, p=weights / weights.sum()) if names else None
    documents = []
    pool = [_sentence(rng) for _ in range(300)]
    for k, doc_id in enumerate(doc_ids):
        sents = [pool[i] for i in rng.integers(0, len(pool), size=8)]
        refs = (" ".join(sents[:2]),) if k % 4 else (" ".join(sents[:2]), " ".join(sents[1:3]))
        group = names[int(group_of[k])] if group_of is not None else None
        documents.append(DocumentEntry(doc_id, " ".join(sents), refs, None, group))

    quality = {"lead": 0.30, "oracle": 0.52, "random": 0.17}
    lengths = {"lead": 55.0, "oracle": 48.0, "random": 60.0}
    for label, _, role in systems:
        if role == "candidate":
            quality[label] = 0.22 + 0.14 * rng.random()
            lengths[label] = 30.0 + 50.0 * rng.random()
    group_effect = rng.normal(0, 0.03, size=(len(labels), max(len(names), 1)))
    failed = {(labels[-1], doc_ids[k]) for k in range(3, n_documents, max(n_documents // 4, 1))}

    summaries, scores, matrix = [], [], {m: np.full((len(labels), n_documents), np.nan) for m in TESTED}
    for i, label in enumerate(labels):
        q = quality[label] + (group_effect[i, group_of] if group_of is not None else 0.0)
        base = np.clip(rng.normal(q, 0.09, size=n_documents), 0.0, 1.0)
        words = np.maximum(rng.normal(lengths[label], 9.0, size=n_documents).round(), 3.0)
        for k, doc_id in enumerate(doc_ids):
            if (label, doc_id) in failed:
                continue
            values = {}
            for r, scale in (("rouge1", 1.5), ("rouge2", 0.6), ("rougeL", 1.2), ("rougeLsum", 1.3)):
                f = min(base[k] * scale, 1.0)
                values.update({f"{r}_p": min(f * 1.1, 1.0), f"{r}_r": f * 0.9, f"{r}_f": f})
            values.update(
                words=float(words[k]),
                sentences=float(max(round(words[k] / 18), 1)),
                compression=110.0 / words[k],
                ref_ratio=words[k] / 30.0,
                coverage=float(np.clip(0.75 + 0.2 * base[k], 0, 1)),
                density=float(1.0 + 20.0 * base[k]),
                fragment_compression=110.0 / words[k],
                novel_1gram=0.1,
                novel_2gram=0.2,
                novel_3gram=0.3,
                redundancy_1gram=0.05,
                redundancy_2gram=0.01,
            )
            for m in TESTED:
                matrix[m][i, k] = values[m]
            scores.append(DocumentScores(doc_id, label, values))
            if k < 5:
                summaries.append(Summary(doc_id, label, documents[k].text[:80]))

    aggregates = []
    for label in labels:
        rows = [s for s in scores if s.system == label]
        for m in ROUGE:
            v = np.array([s.values[m] for s in rows])
            half = 1.96 * float(v.std()) / math.sqrt(v.size)
            aggregates.append(
                Aggregate(label, m, float(v.mean()), float(v.mean()) - half, float(v.mean()) + half, v.size)
            )

    comparisons = _comparisons(labels, matrix)
    manifest = Manifest(
        suite_name=f"synthetic-{n_systems}-systems",
        suite={"corpus": "synthetic"},
        suite_path=None,
        created="2025-01-02T03:04:05+00:00",
        seed=seed,
        versions={"python": "3.11", "sumbench": "0.1.0"},
        corpus=CorpusInfo("synthetic", "tests/test_figures_scale.py", "sha256:many", n_documents, 1.25),
        rouge_signature="synthetic",
        systems=tuple(SystemEntry(label, use, {}, "1", role=role) for label, use, role in systems),
        metrics=METRICS,
        primary_metric="rouge2_f",
        baseline="lead" if baseline else None,
        failures=len(failed),
    )
    records = {
        "documents": documents,
        "summaries": summaries,
        "scores": scores,
        "aggregates": aggregates,
        "comparisons": comparisons,
        "failures": [Failure(d, s, "summarize", "synthetic failure") for s, d in sorted(failed)],
    }
    return manifest, records


def _comparisons(labels: list[str], matrix: dict[str, np.ndarray]) -> list[Comparison]:
    """Every pair on every tested metric: paired normal-approximation tests, Holm-adjusted per metric
    (with Holm-consistent intervals when :class:`Comparison` has the fields)."""
    names = {f.name for f in dataclasses.fields(Comparison)}
    out = []
    z = 1.959963984540054
    for metric, values in matrix.items():
        pairs = []
        for a in range(len(labels)):
            for b in range(a + 1, len(labels)):
                ok = np.isfinite(values[a]) & np.isfinite(values[b])
                d = values[a, ok] - values[b, ok]
                se = max(float(d.std()) / math.sqrt(d.size), 1e-9)
                p = math.erfc(abs(float(d.mean())) / se / math.sqrt(2))
                pairs.append((a, b, float(d.mean()), se, p, int(ok.sum()), values[a, ok].mean(), values[b, ok].mean()))
        order = sorted(range(len(pairs)), key=lambda k: pairs[k][4])
        holm = [0.0] * len(pairs)
        running = 0.0
        for rank, k in enumerate(order):
            running = max(running, min(1.0, (len(pairs) - rank) * pairs[k][4]))
            holm[k] = running
        for k, (a, b, diff, se, p, n, ma, mb) in enumerate(pairs):
            extra = {}
            if "adj_low" in names:
                # a Holm-consistent interval: it excludes 0 exactly when the Holm-adjusted p is below 0.05
                z_holm = _NORMAL.inv_cdf(1 - max(holm[k], 1e-12) / 2) if holm[k] < 1 else 0.0
                half = z * abs(diff) / z_holm if z_holm > 0 else max(2 * z * se, 2 * abs(diff))
                extra = {"adj_low": diff - half, "adj_high": diff + half, "adj_confidence": 0.99}
                if "family" in names:
                    extra["family"] = len(pairs)
            if "wins" in names:
                extra.update(wins=n // 2, ties=0, losses=n - n // 2)
            out.append(
                Comparison(
                    metric, labels[a], labels[b], float(ma), float(mb), diff, diff - z * se, diff + z * se,
                    p, p, holm[k], holm[k], holm[k] < 0.05, n, 1000, **extra,
                )
            )  # fmt: skip
    return out


def write_many_system_run(path: str | Path, n_systems: int, n_documents: int, **options: Any) -> Path:
    """Write :func:`many_system_run` as a run folder at ``path``."""
    manifest, records = many_system_run(n_systems, n_documents, **options)
    return runfolder.write_run(path, manifest, **records)


# --- the tests -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def run20(tmp_path_factory):
    return load_run(write_many_system_run(tmp_path_factory.mktemp("r20") / "run", 20, 60))


@pytest.fixture(scope="module")
def run24(tmp_path_factory):
    return load_run(write_many_system_run(tmp_path_factory.mktemp("r24") / "run", 24, 40, seed=9))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """No baseline, no bounds, no groups."""
    path = tmp_path_factory.mktemp("plain") / "run"
    return load_run(write_many_system_run(path, 12, 30, baseline=False, bounds=False, groups=False))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from _runfolder import write_run

    return load_run(write_run(tmp_path_factory.mktemp("small") / "run"))


def _texts(fig: Figure) -> list[Text]:
    """Every text a draw of the figure renders (tick labels, titles, legends, annotations), in order."""
    drawn: list[Text] = []
    real = Text.draw

    def spy(self: Text, renderer: Any) -> None:
        real(self, renderer)
        if self.get_visible() and self.get_text().strip() and self not in drawn:
            drawn.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Text, "draw", spy)
        FigureCanvasAgg(fig).draw()
    return drawn


def _boxes(fig: Figure, texts: list[Text]) -> np.ndarray:
    renderer = fig.canvas.get_renderer()
    return np.array([t.get_window_extent(renderer).extents for t in texts])


def _overlaps(boxes: np.ndarray, tolerance: float = 0.5) -> list[tuple[int, int]]:
    x0, y0, x1, y1 = (boxes[:, k][:, None] for k in range(4))
    hit = (x0 < x1.T - tolerance) & (x1 - tolerance > x0.T) & (y0 < y1.T - tolerance) & (y1 - tolerance > y0.T)
    i, j = np.nonzero(np.triu(hit, 1))
    return list(zip(i.tolist(), j.tolist()))


def _readability_problems(fig: Figure) -> list[str]:
    problems = []
    width = fig.get_size_inches()[0]
    if width > plots.FIGURE_WIDTH + 1e-9:
        problems.append(f"{width:.1f} in wide")
    texts = _texts(fig)
    boxes = _boxes(fig, texts)
    small = [t.get_text() for t in texts if t.get_fontsize() < plots.MIN_FONT - 1e-9]
    if small:
        problems.append(f"text below {plots.MIN_FONT} pt: {small[:3]}")
    w, h = fig.bbox.width, fig.bbox.height
    outside = [
        texts[k].get_text() for k, b in enumerate(boxes) if b[0] < -1 or b[1] < -1 or b[2] > w + 1 or b[3] > h + 1
    ]
    if outside:
        problems.append(f"text cut off at the figure's edge: {outside[:3]}")
    for i, j in _overlaps(boxes):
        problems.append(f"overlapping text: {texts[i].get_text()!r} and {texts[j].get_text()!r}")
    # a label is never broken across lines: only the title wraps (at spaces, see the wrapping test) and a
    # panel title puts its system's role on a line of its own
    suptitle = fig.get_suptitle()
    for t in texts:
        lines = t.get_text().split("\n")
        if len(lines) > 1 and t.get_text() != suptitle and not (len(lines) == 2 and re.fullmatch(r"\(.*\)", lines[1])):
            problems.append(f"a label broken across lines: {t.get_text()!r}")
    return problems


@pytest.mark.parametrize("name", list(plots.FIGURES))
@pytest.mark.parametrize("which", ["run20", "run24"])
def test_every_figure_is_readable_at_20_and_24_systems(name, which, request):
    run = request.getfixturevalue(which)
    fig = plots.draw_figure(run, name)
    assert fig is not None, f"{name} is drawn for a run with a baseline, bounds, groups and tests"
    assert _readability_problems(fig) == []
    # every system the figure draws is named in it (a row label or a panel title): colour never has to
    drawn = {
        "forest": [s for s in run.contestants if s != run.baseline],
        "significance": list(run.contestants),
        "groups": list(run.contestants),
    }.get(name, list(run.systems))
    shown = "\n".join(t.get_text() for t in _texts(fig))
    for system in drawn:
        assert plots._text(plots.short_label(system, 10)).rstrip("…") in shown, (name, system)


@pytest.mark.parametrize("name", list(plots.FIGURES))
def test_every_figure_is_readable_for_a_small_run(name, small):
    fig = plots.draw_figure(small, name)
    if name == "groups":  # the small run has no document groups
        assert fig is None
        return
    assert fig is not None
    assert _readability_problems(fig) == []


def test_text_stays_legible_when_a_phone_shrinks_the_figure():
    # every figure is FIGURE_WIDTH wide and no text is below MIN_FONT (the readability checks above): at
    # the report's 120 dpi the smallest text is 14 px; shown 366 CSS px wide on a 390 px phone it is
    # still 7 px, and 9 pt tick labels 7.6 px (at the page's 680 px phone width: 13 and 14 px)
    def css_px(points: float, shown_px: float) -> float:
        return points / 72 * shown_px / plots.FIGURE_WIDTH

    assert plots.MIN_FONT / 72 * plots.DPI >= 14
    assert css_px(plots.MIN_FONT, 366) >= 7 and css_px(9, 366) >= 7.5
    assert plots.FIGURE_WIDTH * plots.DPI <= 1100  # never shrunk on a desktop report


def test_figures_exist_for_a_20_system_run(run20, tmp_path):
    got = plots.render_figures(run20, tmp_path, parallel=False)
    assert list(got) == list(plots.FIGURES)
    for files in got.values():
        assert files["png"].read_bytes().startswith(b"\x89PNG") and files["svg"].stat().st_size > 1000


def _legend_keys(fig: Figure) -> list[tuple[str, Any]]:
    """``(label, (colour, marker, linestyle))`` of every legend entry of the figure."""
    from matplotlib.colors import to_hex

    out = []
    for legend in fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]:
        for handle, text in zip(legend.legend_handles, legend.get_texts()):
            if hasattr(handle, "get_marker"):
                key = (to_hex(handle.get_color()), str(handle.get_marker()), str(handle.get_linestyle()),
                       to_hex(handle.get_markerfacecolor()))  # fmt: skip
            else:
                key = (to_hex(handle.get_facecolor()), "patch", "", "")
            out.append((text.get_text(), key))
    return out


@pytest.mark.parametrize("name", list(plots.FIGURES))
def test_no_two_systems_or_groups_share_a_colour(name, run24):
    fig = plots.draw_figure(run24, name)
    assert fig is not None
    entries = _legend_keys(fig)
    # what a figure's colours encode is never the system (the labels name them) ...
    assert plots.COLOUR_ENCODES[name] in {"role", "result", "group"}
    systems = set(run24.systems)
    assert not [label for label, _ in entries if label in systems]
    # ... and no two legend entries look alike: every colour (with its marker and line) means one thing
    keys = [key for _, key in entries]
    assert len(set(keys)) == len(keys), entries
    if plots.COLOUR_ENCODES[name] == "group":
        colours = [key[0] for _, key in entries]
        assert len(set(colours)) == len(colours) == len(run24.document_groups() and plots.group_means(run24)[0])


def test_roles_have_their_own_colours():
    colours = plots.ROLE_COLOURS
    assert colours["candidate"] != colours["baseline"] != colours["upper-bound"]
    assert len(set(plots.GROUP_COLOURS)) == len(plots.GROUP_COLOURS) <= len(plots.OKABE_ITO)
    assert set(plots.GROUP_COLOURS) <= set(plots.OKABE_ITO)


def test_bounds_are_reference_lines_not_ranked_bars(run20):
    fig = plots.draw_figure(run20, "rouge_means")
    ax = fig.axes[0]
    ranked = [t.get_text() for t in ax.get_yticklabels()]
    contestants = [s for s in plots.system_order(run20) if s in run20.contestants]
    assert ranked == [plots._label(run20, s) for s in contestants]  # ranked, best on top
    assert ranked[contestants.index("lead")] == "lead (baseline)"
    assert not any(b in label for label in ranked for b in run20.bounds)
    # each bound is a vertical line at its mean, in its own line style, labelled by name in the panel
    metric = run20.f_metrics[0]
    for bound in run20.bounds:
        x = 100 * run20.mean(bound, metric)
        lines = [
            line for line in ax.get_lines()
            if len(set(line.get_xdata())) == 1 and abs(line.get_xdata()[0] - x) < 1e-9
        ]  # fmt: skip
        assert [line.get_linestyle() for line in lines] == [plots.BOUND_LINESTYLES[run20.role(bound)]]
        assert bound in {t.get_text().strip() for t in ax.texts}
    assert len(set(plots.BOUND_LINESTYLES.values())) == 2
    # the points: one marker per contestant, none for a bound; the baseline's marker differs
    markers = [line for line in ax.get_lines() if line.get_marker() not in (None, "None", "")]
    assert len(markers) == len(contestants)
    assert {line.get_marker() for line in markers} == {"o", "D"}
    # nor are the bounds ranked anywhere else
    for name in ("significance", "forest", "groups"):
        labels = [t.get_text() for t in plots.draw_figure(run20, name).axes[0].get_yticklabels()]
        assert labels and not any(b in label for label in labels for b in run20.bounds), name


def test_forest_plot_needs_a_baseline(run20, plain):
    rows = plots.forest_rows(run20)
    others = [s for s in run20.contestants if s != run20.baseline]
    assert sorted(r.system for r in rows) == sorted(others)
    assert [r.diff for r in rows] == sorted((r.diff for r in rows), reverse=True)
    for r in rows:  # from the contestant's side, with the Holm-consistent interval when recorded
        c = next(c for c in run20.comparisons if c.metric == run20.primary_metric and {c.a, c.b} == {r.system, "lead"})
        sign = 1 if c.a == r.system else -1
        assert r.diff == pytest.approx(sign * c.diff)
        has_adjusted = math.isfinite(getattr(c, "adj_low", math.nan))
        low, high = (c.adj_low, c.adj_high) if has_adjusted else (c.diff_low, c.diff_high)
        assert (r.low, r.high) == pytest.approx(sorted([sign * low, sign * high]))
        assert r.adjusted == has_adjusted
        assert r.significant == (r.low > 0 or r.high < 0)  # the interval agrees with the decision
    fig = plots.draw_figure(run20, "forest")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [plots._label(run20, r.system) for r in rows]
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.get_lines())  # the zero line
    assert fig.get_size_inches()[1] > 0.2 * len(rows)  # a row per system: the height grows with them
    assert plots.draw_figure(plain, "forest") is None
    assert plots.forest_rows(plain) == []


def test_forest_is_left_out_of_a_run_without_baseline(plain, tmp_path):
    got = plots.render_figures(plain, tmp_path, parallel=False)
    assert "forest" not in got and "groups" not in got
    assert list(got) == [n for n in plots.FIGURES if n not in ("forest", "groups")]


def test_group_means_use_the_common_documents(run20):
    groups, sizes, means = plots.group_means(run20)
    doc_groups = run20.document_groups()
    common = set(run20.scores.common_documents())
    assert len(common) < len(doc_groups)  # the failures leave some documents out
    assert sizes == {g: sum(1 for d in common if doc_groups[d] == g) for g in groups}
    assert list(sizes.values()) == sorted(sizes.values(), reverse=True)
    assert list(means) == [s for s in plots.system_order(run20) if s in run20.contestants]
    pm = run20.primary_metric
    for system in ("lead", "bart-large-cnn"):
        by_doc = run20.scores.by_doc(system, pm)
        for k, g in enumerate(groups):
            expected = np.mean([v for d, v in by_doc.items() if d in common and doc_groups[d] == g])
            assert means[system][k] == pytest.approx(expected)


def test_groups_figure_only_with_groups(run20, plain):
    fig = plots.draw_figure(run20, "groups")
    groups = plots.group_means(run20)[0]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert [label.split(" (n=")[0] for label in labels] == groups
    assert plots.draw_figure(plain, "groups") is None


def test_many_groups_are_a_table(tmp_path):
    names = tuple(f"topic-{k:02d}-{'news' if k % 2 else 'features-and-long-reads'}" for k in range(14))
    run = load_run(write_many_system_run(tmp_path / "run", 20, 300, groups=names))
    groups, sizes, means = plots.group_means(run)
    assert len(groups) == 14
    fig = plots.draw_figure(run, "groups")
    assert _readability_problems(fig) == []
    ax = fig.axes[0]
    (image,) = ax.images
    expected = 100 * np.array([means[s] for s in means])
    assert np.allclose(image.get_array(), expected, equal_nan=True)  # a row per system, a column per group
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{plots._text(g, 18)} ({sizes[g]:,})" for g in groups]
    assert not fig.legends  # no colour per group: colour is the mean, told by the colour bar or the numbers


def test_rouge_vs_length_is_a_panel_per_system(run20):
    fig = plots.draw_figure(run20, "rouge_vs_length")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(run20.systems)
    assert len({ax.get_xlim() for ax in panels}) == 1 and len({ax.get_ylim() for ax in panels}) == 1
    ref = float(np.mean(run20.lengths.reference_words))
    for ax in panels:
        assert len(ax.images) == 1  # the other systems' points, faint grey
        assert len(ax.collections) == 1  # this system's points
        assert any(
            len(set(line.get_xdata())) == 1 and line.get_xdata()[0] == pytest.approx(ref) for line in ax.get_lines()
        )
    order = [s for s in plots.system_order(run20) if s in run20.contestants] + list(run20.bounds)
    for ax, system in zip(panels, order):  # ranked, then the bounds
        assert ax.get_title().startswith(plots._text(plots.short_label(system, 10)).rstrip("…"))


def test_significance_title_says_what_the_cells_show(small, run20):
    fig = plots.draw_figure(small, "significance")
    title = fig.get_suptitle()
    cells = [t for ax in fig.axes for t in ax.texts]
    n = len(small.contestants)
    metrics = {c.metric for c in small.comparisons}
    assert "cell: Holm-adjusted p" in " ".join(title.split()) or "cell: unadjusted p" in " ".join(title.split())
    assert len(cells) == n * (n - 1) * len(metrics)
    fig = plots.draw_figure(run20, "significance")
    assert "cell" not in fig.get_suptitle() and not [t for ax in fig.axes for t in ax.texts]
    assert "ROUGE-2 F" in fig.get_suptitle()  # at 20 systems the primary metric alone
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(run20.contestants)
    # the columns are numbered by rank, the rows' numbers on the right
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(k + 1) for k in range(len(labels))]


def test_labels_are_shortened_at_a_word_boundary():
    assert plots.short_label("t5-3b-summarize-cnn-dailymail-beam4", 24) == "t5-3b-summarize-cnn…"
    assert plots.short_label("lead", 24) == "lead"
    assert plots.short_label("a" * 40, 10) == "a" * 9 + "…"  # one long word is cut where it must


def test_a_panel_title_puts_the_role_on_its_own_line_when_it_must(run20):
    assert plots._panel_title(run20, "random", 30) == "random (lower bound)"
    assert plots._panel_title(run20, "random", 14) == "random\n(lower bound)"
    assert plots._panel_title(run20, "bart-large-cnn", 12) == "bart-large…"


def test_titles_wrap_evenly_at_spaces():
    text = "ROUGE-2 F (x100): difference from the baseline lead-3-sentences, Holm-adjusted 95% intervals"
    lines = plots._wrap(text, 10.5).split("\n")
    assert " ".join(lines) == text and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) < 12

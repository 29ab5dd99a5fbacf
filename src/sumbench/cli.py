"""The ``sumbench`` command: run, list, summarize, report, compare, train.

Exit status: 0 on success; 2 for a :class:`~sumbench.errors.SumbenchError` (a bad suite, corpus,
plugin, run folder or argument), printed as one line ``sumbench: error: ...``. Any other exception is
a bug in sumbench or a plugin and shows its traceback. ``--debug`` shows the full chain of both.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import math
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sumbench.errors import SumbenchError

DEFAULT_SUITE = Path("benchmarks") / "news.toml"


class CliError(SumbenchError, ValueError):
    """A bad command-line argument; printed as ``sumbench: error: ...`` with exit status 2."""


def _default_suite() -> Path:
    """``benchmarks/news.toml`` in the current folder, else the one beside an editable checkout."""
    if DEFAULT_SUITE.is_file():
        return DEFAULT_SUITE
    checkout = Path(__file__).resolve().parents[2] / DEFAULT_SUITE
    return checkout if checkout.is_file() else DEFAULT_SUITE


def _params(pairs: Sequence[str]) -> dict[str, Any]:
    """``--param k=v`` pairs; values are TOML scalars (3, 0.5, true, "x"), else the raw string."""
    from sumbench.suite import parse_toml_value

    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise CliError(f"--param expects k=v, got {pair!r}")
        key, _, value = pair.partition("=")
        params[key.strip()] = parse_toml_value(value.strip())
    return params


@contextlib.contextmanager
def _progress_bars(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield lambda description, total: lambda advance: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr_console(),
        transient=False,
    ) as bars:

        def start(description: str, total: int | None):
            task = bars.add_task(description, total=total)
            return lambda advance: bars.advance(task, advance)

        yield start


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


#: Exit statuses of ``sumbench run`` (documented in the README).
EXIT_OK, EXIT_BUG, EXIT_USER_ERROR, EXIT_SYSTEMS_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def cmd_run(args: argparse.Namespace) -> int:
    from sumbench.suite import load_suite

    return _run_loaded(args, load_suite(args.suite or _default_suite()))


def _run_loaded(args: argparse.Namespace, suite: Any) -> int:
    from sumbench.runner import RunInterrupted, run_suite
    from sumbench.suite import resolve_suite, with_overrides

    suite = with_overrides(
        suite,
        limit=args.limit,
        sample=args.sample,
        seed=args.seed,
        jobs=args.jobs,
        executor=args.executor,
    )
    resolved = resolve_suite(suite)
    console = _stderr_console()
    try:
        with _progress_bars(not args.quiet) as progress:
            result = run_suite(
                resolved,
                out_dir=Path(args.out) if args.out else None,
                cache_path=Path(args.cache) if args.cache else None,
                use_cache=not args.no_cache,
                progress=progress,
                force=args.force,
                render=False,
            )
    except RunInterrupted as exc:
        console.print(f"sumbench: {exc}", highlight=False, soft_wrap=True)
        return EXIT_INTERRUPTED
    from sumbench.reports import render_report

    render_report(result.run_dir)  # after the progress display has stopped (its thread would slow figures)
    _print_summary(console, result)
    _print_meta_eval_of(result.run_dir)  # a run with [meta_eval]: its correlation tables
    failed = result.failed_systems(suite.run.max_failure_rate)
    if failed:
        limit = suite.run.max_failure_rate
        rule = "failed on every document" if limit is None else f"failed on more than {limit:.0%} of the documents"
        console.print(f"sumbench: {', '.join(failed)} {rule} (exit status {EXIT_SYSTEMS_FAILED})", highlight=False)
    print(result.run_dir)
    return EXIT_SYSTEMS_FAILED if failed else EXIT_OK


def _print_summary(console: Any, result: Any) -> None:
    """The run in a few lines: the answer paragraph of the report, then each system's primary metric with
    its interval over the common documents (formatted as the reports show it), its role, cache use and
    failures; contestants best first, bounds after them, unscored systems last."""
    from rich.markup import escape
    from rich.table import Table

    from sumbench.reports.common import fmt
    from sumbench.reports.findings import accounting, answer
    from sumbench.runfolder import load_run

    run = load_run(result.run_dir, keep_documents=())
    manifest = result.manifest
    primary = manifest.primary_metric
    means = {a.system: a for a in result.aggregates if a.metric == primary}
    roles = {e.label: e.role for e in manifest.systems}
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("system", no_wrap=True, min_width=max((len(s.label) for s in result.systems), default=6))
    for column in (primary, f"{manifest.confidence:.0%} CI", "summaries", "from cache", "failed"):
        table.add_column(column, justify="right")
    table.add_column("role")

    def rank(system: Any) -> tuple[bool, bool, float]:
        agg = means.get(system.label)
        bound = roles.get(system.label) in ("upper-bound", "lower-bound")
        if agg is None or not math.isfinite(agg.mean):
            return (True, bound, 0.0)
        return (False, bound, -agg.mean)

    for system in sorted(result.systems, key=rank):
        agg = means.get(system.label)
        mean = fmt(primary, agg.mean if agg else None)
        low, high = (fmt(primary, agg.ci_low), fmt(primary, agg.ci_high)) if agg else ("–", "–")
        ci = f"{low}–{high}" if "–" not in (low, high) else "–"
        role = roles.get(system.label, "candidate")
        table.add_row(
            escape(system.label),
            mean,
            ci,
            str(system.summaries),
            str(system.cache_hits),
            str(system.failures),
            "" if role == "candidate" else role,
        )
    found = answer(run)
    console.print(escape(found["text"]), soft_wrap=False)
    for caution in found["cautions"]:
        console.print(f"  ! {escape(caution)}")
    for warning in manifest.warnings:
        console.print(f"  warning: {escape(warning)}")
    console.print()
    console.print(table)
    usage = accounting(run)
    if usage:
        costs = Table(box=None, pad_edge=False, show_edge=False)
        for column in ("system", "prompt tok", "completion tok", "latency p50 / p95", "cost / 1,000", "answer rate"):
            costs.add_column(column, justify="left" if column == "system" else "right", no_wrap=True)
        for r in usage["rows"]:
            t = r["text"]
            costs.add_row(
                escape(r["system"]),
                t["prompt_tokens"],
                t["completion_tokens"],
                t["latency"],
                t["cost"],
                t["answer_rate"],
            )
        console.print()
        console.print(costs)
    if result.cache_misses == 0:
        console.print("every summary came from the cache: none recomputed")
    if result.failures:
        console.print(f"{len(result.failures)} failures recorded in failures.jsonl and the report")


def cmd_list(args: argparse.Namespace) -> int:
    if args.suite:
        return _list_suite(Path(args.suite))
    from sumbench.corpora import bundled_corpora, load_corpus
    from sumbench.scoring.registry import registered as registered_metrics
    from sumbench.summarizers.registry import doc_line, parameters, registered

    def plugins(entries: Mapping[str, Any]) -> None:
        for name, entry_point in entries.items():
            try:
                cls = entry_point.load()
            except ImportError as exc:  # an optional dependency (an extra) is missing
                print(f"  {name:<20} (cannot load: {exc})")
                continue
            print(f"  {name:<20} {doc_line(cls)}")
            for pname, param in parameters(cls).items():
                default = "required" if param.default is inspect.Parameter.empty else f"default {param.default!r}"
                print(f"  {'':<22}{pname} ({default})")

    print("Summarizers (use = NAME in a suite):")
    plugins(registered())
    print("\nMetrics (ROUGE, lengths and extractiveness always run; [[metrics]] use = NAME adds one):")
    plugins(registered_metrics())
    print("\nBundled corpora (source = NAME in a suite):")
    for name in bundled_corpora():
        corpus = load_corpus(name)
        refs = corpus.references_per_document
        print(
            f"  {name:<20} {len(corpus.documents)} documents, {refs:g} reference{'' if refs == 1 else 's'} per document"
        )
    return 0


def _list_suite(path: Path) -> int:
    """The suite's summarizers as a run will use them: final parameters (seed included) and version."""
    from sumbench.suite import load_suite, resolve_suite

    resolved = resolve_suite(load_suite(path))
    print(
        f"Suite {resolved.name} ({path}): primary metric {resolved.primary_metric}, ROUGE {resolved.scorer.signature()}"
    )
    for s in resolved.summarizers:
        params = ", ".join(f"{k}={v!r}" for k, v in s.params.items())
        print(f"  {s.label:<20} {s.use} (version {s.version}): {params or 'no parameters'}")
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from sumbench.records import Document
    from sumbench.suite import SummarizerConfig, configure_summarizer
    from sumbench.text import split_sentences

    config = SummarizerConfig(use=args.with_, label=args.with_, params=_params(args.param))
    summarizer = configure_summarizer(config, seed=args.seed, where=f"--with {args.with_}")  # before any input
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{args.file}: cannot read the article ({exc})") from exc
    if not text.strip():
        raise CliError(f"{args.file}: the article is empty")
    doc = Document(id=str(args.file), text=text, sentences=tuple(split_sentences(text)), references=())
    try:
        summarizer.plugin.prepare([doc])
    except ValueError as exc:
        raise CliError(f"summarizer {args.with_!r} refused the article: {exc}") from exc
    print(summarizer.plugin.summarize(doc))
    return 0


def cmd_meta_eval(args: argparse.Namespace) -> int:
    """``sumbench meta-eval SUITE`` runs a suite with a ``[meta_eval]`` table (as ``sumbench run``);
    ``sumbench meta-eval RUN_DIR --judgments FILE`` correlates an existing run with judgments."""
    from dataclasses import replace

    from sumbench.metaeval import meta_evaluate_folder
    from sumbench.reports import render_report
    from sumbench.runfolder import MANIFEST
    from sumbench.suite import MetaEvalConfig, load_suite, resolve_judgments_source

    target = Path(args.target)
    overrides: dict[str, Any] = {}
    if args.dimensions:
        overrides["dimensions"] = tuple(args.dimensions)
    if args.metrics:
        overrides["metrics"] = tuple(args.metrics)
    if args.samples is not None:
        if args.samples < 1:
            raise CliError("--samples must be at least 1")
        overrides["samples"] = args.samples
    if args.resample:
        overrides["resample"] = args.resample
    if args.test:
        overrides["test"] = args.test
    if target.is_dir():
        if not (target / MANIFEST).is_file():
            raise CliError(f"{target}: not a sumbench run folder (no {MANIFEST})")
        if args.judgments:
            config = MetaEvalConfig(judgments=resolve_judgments_source(args.judgments, Path.cwd()))
        else:
            config = _run_meta_eval_config(target)
        meta = meta_evaluate_folder(target, replace(config, **overrides), seed=args.seed)
        render_report(target)
        _print_meta_eval(meta)
        print(target)
        return EXIT_OK
    if not target.is_file():
        raise CliError(f"{target}: neither a suite file nor a run folder")
    suite = load_suite(target)
    if args.judgments:
        suite = replace(suite, meta_eval=MetaEvalConfig(judgments=resolve_judgments_source(args.judgments, Path.cwd())))
    if suite.meta_eval is None:
        raise CliError(f"{target}: no [meta_eval] table; add one or give --judgments FILE")
    suite = replace(suite, meta_eval=replace(suite.meta_eval, **overrides))
    args.suite = None
    return _run_loaded(args, suite)


def _run_meta_eval_config(run_dir: Path) -> Any:
    """The ``[meta_eval]`` table of the suite a run folder was made with (its manifest keeps it)."""
    from sumbench.runfolder import load_run
    from sumbench.suite import MetaEvalConfig

    suite = load_run(run_dir, keep_documents=()).manifest.suite
    table = suite.get("meta_eval") if isinstance(suite, Mapping) else None
    if not table:
        raise CliError(f"{run_dir}: the run's suite has no [meta_eval] table; give --judgments FILE")
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in dict(table).items()}
    return MetaEvalConfig(**fields)


def _print_meta_eval_of(run_dir: Path) -> None:
    from sumbench.runfolder import read_meta_eval

    meta = read_meta_eval(run_dir)
    if meta is not None:
        _print_meta_eval(meta)


def _r(value: float) -> str:
    """A correlation in two decimals without the leading zero (``.14``, ``-.05``; ``nan`` as –)."""
    if value != value:
        return "–"
    text = f"{value:.2f}".replace("0.", ".", 1)
    return ".00" if text == "-.00" else text


def _print_meta_eval(meta: Any) -> None:
    """The compared metrics' correlations with each dimension, one line per metric and level."""
    from rich.markup import escape
    from rich.table import Table

    console = _stderr_console()
    coefficient = "kendall" if "kendall" in meta.coefficients else meta.coefficients[0]
    negated = set(meta.negated)
    for level in meta.levels:
        console.print(f"{level} level, {coefficient} [{meta.confidence:.0%} CI]", soft_wrap=True)
        table = Table(box=None, padding=(0, 1), pad_edge=False)
        table.add_column("metric", no_wrap=True)
        for dimension in meta.dimensions:
            table.add_column(dimension, justify="right", no_wrap=True)
        for metric in meta.compared or meta.metrics:
            cells = []
            for dimension in meta.dimensions:
                c = meta.correlation(metric, dimension, level, coefficient)
                cells.append("–" if c is None or c.value != c.value else f"{_r(c.value)}\n[{_r(c.low)},{_r(c.high)}]")
            table.add_row(escape(metric + ("*" if metric in negated else "")), *cells)
        console.print(table)
    if negated & set(meta.compared or meta.metrics):
        console.print("* negated before correlating (lower is better): positive = agrees with people")
    for d in meta.detectors:
        if d.metric == "unsupported_facts":
            console.print(
                f"{d.metric} as a detector of {d.dimension} < {d.threshold:g}: ROC AUC {d.auc:.3f} "
                f"[{d.auc_low:.3f}, {d.auc_high:.3f}], point-biserial r {d.point_biserial:.3f} (n = {d.n})",
                soft_wrap=True,
            )


def cmd_report(args: argparse.Namespace) -> int:
    from sumbench.reports import render_report

    paths = render_report(Path(args.run_dir), max_documents=args.max_documents)
    print(paths["markdown"])
    print(paths["html"])
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from sumbench.reports import load_run
    from sumbench.reports.compare import comparison, write_comparison

    if args.samples < 1:
        raise CliError(f"--samples should be at least 1, got {args.samples}")
    out = Path(args.out) if args.out else Path(args.run_b) / f"compare-{Path(args.run_a).name}"
    c = comparison(load_run(args.run_a), load_run(args.run_b), n_samples=args.samples, seed=args.seed)
    paths = write_comparison(c, out)
    print(c["verdict"])
    for path in paths.values():
        print(path)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from sumbench.suite import load_suite, resolve_suite, with_overrides

    resolved = resolve_suite(with_overrides(load_suite(args.suite), seed=args.seed))
    chosen = resolved.summarizer(args.summarizer)
    if not chosen:
        labels = ", ".join(s.label for s in resolved.summarizers)
        raise CliError(f"{args.suite} has no summarizer {args.summarizer!r} (labels: {labels})")
    for summarizer in chosen:
        if not summarizer.plugin.trainable:
            raise CliError(f"summarizer {summarizer.label!r} ({summarizer.use}) has no training step")
        print(summarizer.plugin.train())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sumbench", description="Benchmark summarizers on news: ROUGE, lengths, CIs, reports."
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of any error")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback of any error"
    )

    run = sub.add_parser(
        "run", parents=[common], help="run a suite (default benchmarks/news.toml) and write a run folder"
    )
    run.add_argument("suite", nargs="?", help="suite TOML file (default: benchmarks/news.toml)")
    run.add_argument("--out", help="run folder to write (default: reports/<suite>-<timestamp>)")
    run.add_argument("--limit", type=int, help="use only the first N documents")
    run.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="use a seeded random sample of N documents instead of the first N (stratified by the corpus's group)",
    )
    run.add_argument("--seed", type=int, help="override the suite's seed")
    run.add_argument("--cache", help="summary cache file (default: ~/.cache/sumbench/summaries.sqlite)")
    run.add_argument("--no-cache", action="store_true", help="neither read nor write the summary cache")
    run.add_argument("--quiet", action="store_true", help="no progress bars")
    run.add_argument("--jobs", type=int, help="worker processes for summarizing and scoring (default: [run] jobs, 1)")
    run.add_argument(
        "--executor", choices=("local", "processes", "ray"), help="where work runs (default: [run] executor)"
    )
    run.add_argument("--force", action="store_true", help="replace the run folder --out if it exists")
    run.set_defaults(func=cmd_run)

    meta = sub.add_parser(
        "meta-eval",
        parents=[common],
        help="correlate metrics with human judgments: a suite with [meta_eval], or a run folder and --judgments",
    )
    meta.add_argument("target", help="a suite TOML file with a [meta_eval] table, or a run folder")
    meta.add_argument(
        "--judgments",
        help="human judgments: bundled name (summeval, frank, newsroom), JSONL/CSV/Parquet file, hf:NAME, hf-disk:DIR",
    )
    meta.add_argument("--dimensions", nargs="+", metavar="DIM", help="human dimensions to use (default: all)")
    meta.add_argument("--metrics", nargs="+", metavar="COLUMN", help="score columns to correlate (default: all)")
    meta.add_argument("--samples", type=int, help="bootstrap resamples (default: the suite's, 1000)")
    meta.add_argument("--resample", choices=("documents", "systems", "both"), help="what the bootstrap resamples")
    meta.add_argument("--test", choices=("bootstrap", "permutation"), help="paired test between metrics")
    meta.add_argument("--seed", type=int, help="seed (default: the suite's / the run's)")
    for flag, kwargs in (
        ("--out", {"help": "run folder to write (suite target)"}),
        ("--limit", {"type": int, "help": "use only the first N documents (suite target)"}),
        ("--sample", {"type": int, "metavar": "N", "help": "a seeded sample of N documents (suite target)"}),
        ("--cache", {"help": "summary cache file (suite target)"}),
        ("--jobs", {"type": int, "help": "worker processes (suite target)"}),
    ):
        meta.add_argument(flag, **kwargs)
    meta.add_argument("--no-cache", action="store_true", help="neither read nor write the summary cache")
    meta.add_argument("--quiet", action="store_true", help="no progress bars")
    meta.add_argument("--force", action="store_true", help="replace the run folder --out if it exists")
    meta.set_defaults(func=cmd_meta_eval, executor=None)

    listing = sub.add_parser("list", parents=[common], help="registered summarizers with parameters; bundled corpora")
    listing.add_argument("suite", nargs="?", help="a suite: list its summarizers with their final parameters")
    listing.set_defaults(func=cmd_list)

    summarize = sub.add_parser("summarize", parents=[common], help="summarize one article file ('-' reads stdin)")
    summarize.add_argument("file")
    summarize.add_argument("--with", dest="with_", required=True, help="summarizer name, module:Class or file.py:Class")
    summarize.add_argument("--param", action="append", default=[], metavar="K=V", help="summarizer parameter")
    summarize.add_argument("--seed", type=int, default=0, help="seed for summarizers that take one (default 0)")
    summarize.set_defaults(func=cmd_summarize)

    report = sub.add_parser("report", parents=[common], help="re-render report.md/report.html of a run folder")
    report.add_argument("run_dir")
    report.add_argument(
        "--max-documents",
        type=int,
        default=300,
        help="documents the drill-down embeds (default 300; scores.csv keeps every one)",
    )
    report.set_defaults(func=cmd_report)

    compare = sub.add_parser("compare", parents=[common], help="compare two run folders")
    compare.add_argument("run_a")
    compare.add_argument("run_b")
    compare.add_argument("--out", help="folder for the comparison report (default: RUN_B/compare-<RUN_A>)")
    compare.add_argument(
        "--samples",
        type=int,
        default=2000,
        help="least number of resamples (default 2000; more when the number of comparisons needs them)",
    )
    compare.add_argument("--seed", type=int, default=0, help="seed of the resampling (default 0)")
    compare.set_defaults(func=cmd_compare)

    train = sub.add_parser("train", parents=[common], help="train a learned summarizer of a suite (cached)")
    train.add_argument("suite")
    train.add_argument("--summarizer", required=True, help="label or name of the summarizer in the suite")
    train.add_argument("--seed", type=int, help="override the suite's seed (as `sumbench run --seed`)")
    train.set_defaults(func=cmd_train)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SumbenchError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"sumbench: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

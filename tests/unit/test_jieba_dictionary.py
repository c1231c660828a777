"""jieba's dictionary is loaded once per process; each feature's added words stay its own."""

from __future__ import annotations

import jieba
import pytest

from nocert_core import jieba_dictionary
from nocert_core.adapters.text import Segmenter as ComplaintSegmenter
from nocert_core.guidance.text import Segmenter as GuidanceSegmenter


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[jieba.Tokenizer]:
    """A fresh global tokenizer; records every real dictionary load."""
    calls: list[jieba.Tokenizer] = []
    original = jieba.Tokenizer.initialize

    def counting(self: jieba.Tokenizer, dictionary: str | None = None) -> None:
        if not self.initialized:
            calls.append(self)
        original(self, dictionary)

    monkeypatch.setattr(jieba.Tokenizer, "initialize", counting)
    monkeypatch.setattr(jieba, "dt", jieba.Tokenizer())
    return calls


def test_the_three_users_load_the_dictionary_once(loads: list[jieba.Tokenizer]) -> None:
    complaints = ComplaintSegmenter(["测试词甲乙"])
    assert "测试词甲乙" in complaints.cut("我要办测试词甲乙")
    guidance = GuidanceSegmenter(["指南专用词丙丁"])
    assert "指南专用词丙丁" in guidance.words("指南专用词丙丁怎么办")
    jieba_dictionary.base_tokenizer()
    assert loads == [jieba.dt]  # one load, by the global tokenizer jieba.analyse uses
    # the private tables read through the loaded one, they are not a copy of it
    assert guidance.tokenizer.FREQ.base is jieba.dt.FREQ
    assert len(guidance.tokenizer.FREQ) < 100  # its own words and their prefixes only
    assert guidance.tokenizer.FREQ["营业执照"] == jieba.dt.FREQ["营业执照"]


def test_added_words_stay_private(loads: list[jieba.Tokenizer]) -> None:
    complaints = ComplaintSegmenter(["测试词甲乙"])
    complaints.cut("x")
    guidance = GuidanceSegmenter(["指南专用词丙丁"])
    assert "测试词甲乙" not in jieba.dt.FREQ
    assert "测试词甲乙" not in guidance.tokenizer.FREQ
    assert "指南专用词丙丁" not in jieba.dt.FREQ
    assert "指南专用词丙丁" not in complaints.cut("指南专用词丙丁")


def test_a_removed_word_is_removed_for_its_tokenizer_only(loads: list[jieba.Tokenizer]) -> None:
    guidance = GuidanceSegmenter(["指南专用词丙丁"])
    guidance.tokenizer.del_word("营业执照")
    assert "营业执照" not in guidance.tokenizer.lcut("营业执照", HMM=False)
    assert jieba.dt.FREQ["营业执照"] > 0

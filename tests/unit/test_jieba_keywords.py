"""Hot-spot keywords are jieba.analyse's TF-IDF nouns, word for word, from slimmer tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nocert_core.jieba_dictionary import base_tokenizer
from nocert_core.jieba_keywords import NOUNS, keywords

DATA = Path(__file__).resolve().parents[1] / "data"


def complaint_texts() -> list[str]:
    texts = []
    for path in sorted(DATA.rglob("complaints.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts.append(f"{case.get('demand', '')}\n{case.get('facts', '')}")
    texts += ["Please stop asking for the proof 营业执照", "户口本 身份证 结婚证 ABC123 公积金提取", ""]
    return texts


@pytest.fixture(scope="module")
def reference() -> object:
    """jieba.analyse's own extractor, with a part-of-speech tokenizer that reads the whole tag table."""
    keywords()  # imports jieba.posseg the slim way first, as the bot does
    import jieba.analyse
    import jieba.posseg

    extractor = jieba.analyse.TFIDF()
    extractor.postokenizer = jieba.posseg.POSTokenizer(base_tokenizer())
    return extractor


def test_keywords_are_jieba_analyses_own_in_the_same_order(reference: object) -> None:
    texts = complaint_texts()
    assert len(texts) > 100
    for text in texts:
        expected = reference.extract_tags(text, topK=8, allowPOS=tuple(NOUNS))  # type: ignore[attr-defined]
        assert keywords().extract(text, 8) == expected, text


def test_the_tag_table_holds_the_dictionarys_own_strings() -> None:
    extractor = keywords()
    table = base_tokenizer().FREQ
    word = next(iter(extractor.pos.word_tag_tab.nouns))  # type: ignore[attr-defined]
    assert word in table
    assert next(key for key in table if key == word) is word

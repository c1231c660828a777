"""Hot-spot keywords are jieba.analyse's TF-IDF nouns, word for word, from slimmer tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nocert_core.jieba_dictionary import base_tokenizer
from nocert_core.jieba_keywords import NOUNS, keywords

DATA = Path(__file__).resolve().parents[2] / "data"


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


def test_the_noun_table_names_the_words_jiebas_own_tag_table_tags_as_nouns(reference: object) -> None:
    own = reference.postokenizer.word_tag_tab  # type: ignore[attr-defined]
    nouns = keywords().pos.word_tag_tab.nouns  # type: ignore[attr-defined]
    assert sorted(nouns.keys()) == sorted(word for word, tag in own.items() if tag in NOUNS)


def test_the_idf_table_is_jieba_analyses_own() -> None:
    import jieba.analyse

    own, median = jieba.analyse.TFIDF().idf_loader.get_idf()
    assert keywords().median_idf == median
    assert all(keywords().idf.get(word, -1.0) == value for word, value in own.items())
    assert keywords().idf.get("不是一个词的词", -1.0) == -1.0

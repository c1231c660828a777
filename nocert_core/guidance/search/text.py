"""Text analysis for guidance: normalisation and jieba segmentation with our own user dictionary.

A private `jieba.Tokenizer` is used so the guidance vocabulary (official certificate names, the lexicon)
never changes how other features segment text. Segmentation runs without HMM new-word discovery: an
unknown word falls apart into single characters, which become character bigrams (the n-gram fallback)
on both the index and the query side, so both sides always agree.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterable
from typing import Any

from nocert_core.jieba_dictionary import private_tokenizer
from nocert_core.textnorm import compact

CUT_MEMO = 4096  # texts whose cut a segmenter remembers (cleared when full)
# Words that carry no meaning for finding a service or a certificate.
STOPWORDS = frozenset(
    """
    的 了 吗 嘛 呢 吧 啊 呀 哦 么 是 在 有 和 与 及 或 或者 还 还要 还是
    要 要不要 需要 需不需要 需 得 用 不用 不要 不需要 不必 免 免交 免提交 可以
    能 能不能 可不可以 我 我们 你 你们 他 她 咱 俺 家 自己 本人 请问 问 问一下
    想 想问 一下 打听 咨询 带 交 提交 提供 准备 出示 拿 原件 复印件 复印 什么
    哪些 哪个 哪里 哪儿 哪 怎么 怎样 如何 多少 几 地方 时候 现在 今年 明年 去
    到 上 里 那 这 这个 那个 都 也 就 又 再 才 没 没有 不 别 给 让 把 被
    对 跟 从 办 办理 手续 材料 资料 证件 证明 东西 东东 一些 哪几样 几样 样 份
    个 张 本 件 业务 事 事情 事项 情况 所有 全部 必须 一定 应该 会 可能 说
    听说 知道 是否 已经 还有 其他 别的 另外 时 后 前 之后 之前 以后 以前 中 为
    为了 因为 所以 如果 的话 呗 哈 嗯 好 谢谢 您好 你好 ok
    """.split()  # noqa: SIM905 - one reviewable block of words
)
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
_lock = threading.Lock()
_MISSING: Any = object()


def normalise(text: str) -> str:
    """The shared normaliser (`nocert_core.textnorm.compact`): NFKC, simplified, numbers, lower case,
    punctuation and spaces removed."""
    return compact(text)


def normalise_parts(text: str) -> str:
    """`normalise`, but where the person put a space or punctuation a single space stays: "出生登记 结婚证"
    names two things, and no name may run across the gap (登记结婚)."""
    return " ".join(part for part in (normalise(chunk) for chunk in _PUNCTUATION.split(text)) if part)


def bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def dice(first: frozenset[str], second: frozenset[str]) -> float:
    """How alike two names are: the Dice coefficient of their character bigrams (0 when both are empty)."""
    return 2 * len(first & second) / max(len(first) + len(second), 1)


class Segmenter:
    """jieba with the guidance user dictionary; `terms()` gives the index/query terms of a text."""

    def __init__(self, user_words: Iterable[str]) -> None:
        # jieba is imported with the first index, not with this module; its dictionary is loaded once
        # per process and this tokenizer gets a private word table built from it.
        self.tokenizer = private_tokenizer()
        words = sorted({normalise(word) for word in user_words if len(normalise(word)) >= 2})
        with _lock:
            # A user dictionary in jieba's own format ("word freq"), loaded from memory: nothing downloaded.
            self.tokenizer.load_userdict(io.StringIO("".join(f"{word} 2000\n" for word in words)))
        self.user_words = frozenset(words)
        # One question's steps cut the same texts again (about half the cuts of an answer): bounded memos.
        self._cut: dict[str, tuple[str, ...]] = {}
        self._plain: dict[str, tuple[str, ...]] = {}
        self._terms: dict[str, tuple[str, ...]] = {}

    def frequency(self, word: str) -> int | None:
        """`tokenizer.FREQ.get(word)` (None: neither a word nor a word's beginning), read as jieba reads it:
        the added words, then the tokenizer's memo of the base table's answers (C-level dict lookups)."""
        value: int | None = dict.get(self.tokenizer.FREQ, word)
        if value is None:
            value = self.tokenizer.memo.get(word, _MISSING)
            if value is _MISSING:
                value = self.tokenizer.remember(word)
        return value

    def cut(self, text: str) -> list[str]:
        """jieba's words of the text as it is (no normalising, no HMM), remembered like `words`."""
        found = self._plain.get(text)
        if found is None:
            if len(self._plain) >= CUT_MEMO:
                self._plain.clear()
            found = self._plain[text] = tuple(self.tokenizer.cut(text, HMM=False))
        return list(found)

    def words(self, text: str) -> list[str]:
        found = self._cut.get(text)
        if found is None:
            if len(self._cut) >= CUT_MEMO:
                self._cut.clear()
            found = self._cut[text] = tuple(self.tokenizer.cut_for_search(normalise(text), HMM=False))
        return list(found)

    def terms(self, text: str) -> list[str]:
        """Content words plus `#` bigrams over runs of single characters (words jieba did not know)."""
        found = self._terms.get(text)
        if found is None:
            if len(self._terms) >= CUT_MEMO:
                self._terms.clear()
            found = self._terms[text] = tuple(self._find_terms(text))
        return list(found)

    def _find_terms(self, text: str) -> list[str]:
        result: list[str] = []
        run: list[str] = []
        for word in self.words(text):
            if len(word) == 1 and word not in STOPWORDS and not word.isdigit():
                run.append(word)
                continue
            if len(run) >= 2:
                result.extend("#" + gram for gram in bigrams("".join(run)))
            run = []
            if word not in STOPWORDS and len(word) > 1:
                result.append(word)
        if len(run) >= 2:
            result.extend("#" + gram for gram in bigrams("".join(run)))
        return result

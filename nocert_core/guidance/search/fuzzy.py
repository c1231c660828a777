"""Character-level tolerance: how alike two certificate names are, and everyday typos (near-homophones).

Cities word the same proof differently (学历证书 / 毕业证书, 转诊证明 / 转诊转院证明), and people type what
sounds right (社宝卡, 到其). Both are handled here, on characters, so no list of examples is needed:

* `NameSimilarity` weighs every character by how rare it is among certificate names (证, 明, 书 say little;
  转, 诊, 婚 say a lot) and scores how much of the asked name's weight the catalogue name covers (and, less,
  the other way round). `结婚证`/`离婚证` stay apart (结 and 离 are heavy); `转诊证明`/`转诊转院证明` match.
* `TypoCorrector` replaces one character of a window of the question by a character that sounds the same
  (pinyin without tone; in windows of three or more characters also the usual fuzzy pairs zh/z, ch/c,
  sh/s, -ng/-n) when that turns a non-word into a known name or service word. Characters of a name that is
  already written right are never touched.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise

MAX_TYPO_WINDOW = 8
HEADS = frozenset("证卡照本")
PARTICLES = frozenset("的地得了吗呢吧啊着")
# Words of one character people write as meant beside a word (also, and, is, before, ten …): one at the end of
# a window whose rest is a word is that word and it, not a slip of a longer name.
FUNCTION_WORDS = frozenset("也和是前十在就都又还才再与及或")
ASKING = ("要", "还要", "需要", "用", "得")  # the question's verb right after a proof's name
# Characters people mistake for one another by their shape (收人 for 收入): reviewed, a few pairs only.
LOOKALIKE = {
    "人": "入",
    "入": "人",
    "己": "已",
    "已": "己",
    "未": "末",
    "末": "未",
    "土": "士",
    "士": "土",
}  # what a short licence name ends with
SIMILARITY_CACHE = 100_000
# Characters that sound the same and mean the opposite: each is written as meant, never a slip of the other
# (买房子 is no typo of 卖房子 — a wrong "fix" asks about the other service). Reviewed pairs.
OPPOSITES = frozenset([("买", "卖"), ("卖", "买")])
# Pinyin is typed on a QWERTY keyboard: a slip to the key beside the one meant gives a syllable one letter
# off (shui → shuo: 清税 typed 清说). Keys beside each other on a row.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_NEIGHBOURS = frozenset(pair for row in _ROWS for a, b in pairwise(row) for pair in ((a, b), (b, a)))
MIN_SLIP_WINDOW = 3  # a slip is only fixed into a name of three or more characters


class NameSimilarity:
    def __init__(self, names: Iterable[str]) -> None:
        char_sets = [set(name) for name in names if name]
        frequency: Counter[str] = Counter()
        for chars in char_sets:
            frequency.update(chars)
        self.count = max(len(char_sets), 1)
        self.weights = {ch: math.log(1 + self.count / df) for ch, df in frequency.items()}
        self.unseen = math.log(1 + self.count)
        self._known: dict[tuple[str, str], float] = {}  # (asked, listed) → similarity, bounded

    def weight(self, ch: str) -> float:
        return self.weights.get(ch, self.unseen)

    def __call__(self, asked: str, listed: str) -> float:
        """1.0 for the same name; ≈ 0.7·(asked covered by listed) + 0.3·(listed covered by asked)."""
        if not asked or not listed:
            return 0.0
        if asked == listed:
            return 1.0
        known = self._known.get((asked, listed))
        if known is None:
            if len(self._known) > SIMILARITY_CACHE:
                self._known.clear()
            known = self._known[(asked, listed)] = self._similarity(asked, listed)
        return known

    def _similarity(self, asked: str, listed: str) -> float:
        a, c = set(asked), set(listed)
        shared = sum(self.weight(ch) for ch in a & c)
        if not shared:
            return 0.0
        return 0.7 * shared / sum(self.weight(ch) for ch in a) + 0.3 * shared / sum(
            self.weight(ch) for ch in c
        )


@lru_cache(maxsize=65536)
def exact_sound(ch: str) -> str:
    """The pinyin of one character without tone ("" for anything that is not a Chinese character)."""
    if not ("\u4e00" <= ch <= "\u9fff"):
        return ""
    from nocert_core.pinyin import pypinyin  # a few seconds to import: only when a sound is first needed

    p = pypinyin()
    return str(p.lazy_pinyin(ch, style=p.Style.NORMAL)[0])


@lru_cache(maxsize=65536)
def sound(ch: str) -> str:
    """The pinyin of one character without tone, with the usual fuzzy pairs merged (zh/z, ch/c, sh/s,
    -ng/-n), as many speakers do not tell them apart; "" for anything that is not a Chinese character."""
    syllable = exact_sound(ch)
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    return syllable[:-1] if syllable.endswith("ng") else syllable


def _slip(typed: str, meant: str) -> bool:
    """The typed syllable is the meant one with one letter replaced by the key beside it (shuo for shui)."""
    if not typed or len(typed) != len(meant) or typed == meant:
        return False
    changed = [(a, b) for a, b in zip(typed, meant, strict=True) if a != b]
    return len(changed) == 1 and changed[0] in KEY_NEIGHBOURS


def _sound_key(text: str, fuzzy: bool = True) -> str | None:
    sounds = [sound(ch) if fuzzy else exact_sound(ch) for ch in text]
    return None if "" in sounds else " ".join(sounds)


class TypoCorrector:
    """Fix one near-homophone character per window against a vocabulary of known words and names."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        is_word: Callable[[str], bool],
        segment: Callable[[str], list[str]] | None = None,
        written_right: Iterable[str] = (),
    ) -> None:
        self.vocabulary = {word for word in vocabulary if 2 <= len(word) <= MAX_TYPO_WINDOW}
        # names never open to a fix when written whole (places: 临邑县 is no slip of 临沂县)
        self.written_right = {word for word in written_right if 3 <= len(word) <= MAX_TYPO_WINDOW}
        self.right_starts = {word[:end] for word in self.written_right for end in range(2, len(word))}
        self.by_sound: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            key = _sound_key(word, fuzzy=len(word) >= 3)  # fuzzy pairs (zh/z, -ng/-n) only in longer names
            if key is not None:
                self.by_sound[key].append(word)
        # Every beginning of a word and of a sound key: a window is only looked at while it can still grow
        # into one (the same windows are found as by trying every length at every position).
        self.word_starts = {word[:end] for word in self.vocabulary for end in range(1, len(word))}
        self.sound_starts = {
            " ".join(key.split()[:end]) for key in self.by_sound for end in range(1, len(key.split()))
        }
        # names of three or more characters by each one-character gap (清?证明 → 清税证明): keyboard slips
        self.by_pattern: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            if len(word) >= MIN_SLIP_WINDOW:
                for offset in range(len(word)):
                    self.by_pattern[word[:offset] + "?" + word[offset + 1 :]].append(word)
        self.is_word = is_word
        self.segment = segment  # the text's words: a character of a real word of it is not a typo

    def correct(self, text: str) -> str:
        """The text with each typo window replaced by the known word it sounds like (longest first)."""
        # Names already written right are left alone (their characters are not open to a "fix").
        taken = [False] * len(text)
        exact = [exact_sound(ch) for ch in text]  # (each character's sound once, not once per window)
        fuzzy = [sound(ch) for ch in text]
        windows: list[tuple[int, int, str]] = []  # (−length, start, sound key) of windows words sound like
        vocabulary, word_starts, by_sound, sound_starts = (
            self.vocabulary,
            self.word_starts,
            self.by_sound,
            self.sound_starts,
        )
        size = len(text)
        right, right_starts = self.written_right, self.right_starts
        for start in range(size):
            if text[start : start + 2] in right_starts:
                for stop in range(start + 3, min(start + MAX_TYPO_WINDOW, size) + 1):
                    if text[start:stop] in right:
                        taken[start:stop] = [True] * (stop - start)
                    elif text[start:stop] not in right_starts:
                        break
            if text[start : start + 2] in word_starts:  # (a word of three or more may start here)
                for stop in range(start + 3, min(start + MAX_TYPO_WINDOW, size) + 1):
                    if text[start:stop] in vocabulary:
                        taken[start:stop] = [True] * (stop - start)
                    elif text[start:stop] not in word_starts:
                        break
            key = exact[start]
            if key and start + 1 < size and exact[start + 1]:  # two characters: exact sounds
                key = f"{key} {exact[start + 1]}"
                if key in by_sound:
                    windows.append((-2, start, key))
            key = fuzzy[start]
            if key not in sound_starts:
                continue
            for stop in range(start + 2, min(start + MAX_TYPO_WINDOW, size) + 1):
                if key not in sound_starts or not fuzzy[stop - 1]:
                    break
                key = f"{key} {fuzzy[stop - 1]}"
                if stop - start >= 3 and key in by_sound:
                    windows.append((start - stop, start, key))
        fixes: list[tuple[int, int, str]] = []
        owner: list[tuple[int, int]] | None = None  # per character: the word of the text it belongs to
        for negative, start, key in sorted(windows):  # longest first, then from the left
            length = -negative
            words = self.by_sound[key]  # (never empty: a window's key is one of the words' sounds)
            window = text[start : start + length]
            if self.is_word(window):
                continue
            for word in words:
                changed = [i for i, (x, y) in enumerate(zip(word, window, strict=True)) if x != y]
                if len(changed) != 1 or taken[start + changed[0]]:
                    continue  # (a name written right may end in a typo: 残疾人 + 正 → 残疾人证, never 残疾→…)
                if window[changed[0]] in PARTICLES or (window[changed[0]], word[changed[0]]) in OPPOSITES:
                    continue  # 场所的 is no typo of 所得: a particle is written as meant; 买 is no slip of 卖
                if window[changed[0]] in FUNCTION_WORDS and self._rest_is_a_word(window, changed[0]):
                    continue  # 户口也在 is no typo of 户口页, 菏泽十来年 of 菏泽市 (毕也 still is of 毕业)
                if length == 2 and changed[0] == 0 and word[1] in HEADS:
                    continue  # 犬证 is no typo of 权证: the character before 证/卡 says which licence
                if owner is None:
                    owner = self._owners(text)
                first, last = owner[start + changed[0]]
                # (a proof's last character typed by its sound, which the question's verb after it took:
                # 资格认正要 → 认证 though jieba reads 正要 — not 身份正在审核)
                head_typed = (
                    changed[0] == length - 1
                    and word[-1] in HEADS
                    and first == start + changed[0]
                    and text.startswith(ASKING, start + length)
                )
                if last - first >= 2 and (first < start or last > start + length) and not head_typed:
                    continue  # 孩子住 → 孩自住: the character belongs to a real word (孩子) of the text
                if (
                    length == 2
                    and not head_typed
                    and (owner[start][0] < start or owner[start + 1][1] > start + 2)
                ):
                    continue  # 低保户 ↛ 低保护: a window of two (保户) cutting a word of the text (低保)
                fixes.append((start, start + length, word))
                break
        fixes += self._shape_fixes(text, taken)
        fixes += self._slip_fixes(text, taken)
        if not fixes:
            return text
        fixes.sort(key=lambda fix: fix[0] - fix[1])  # (longest first)
        chars = list(text)
        fixed = [False] * len(text)
        for start, end, word in fixes:  # longest first
            if not any(fixed[start:end]):
                fixed[start:end] = [True] * (end - start)
                chars[start:end] = list(word)
        return "".join(chars)

    def _rest_is_a_word(self, window: str, changed: int) -> bool:
        """The window's characters before or after the changed one, where it is at an end, are a word."""
        rest = window[1:] if changed == 0 else window[:-1] if changed == len(window) - 1 else ""
        return len(rest) >= 2 and (self.is_word(rest) or rest in self.vocabulary)

    def _shape_fixes(self, text: str, taken: list[bool]) -> list[tuple[int, int, str]]:
        """Windows that become a known name of three or more characters when one character is swapped for
        the one it looks like (收人证明 → 收入证明): typed by shape, not by sound."""
        fixes: list[tuple[int, int, str]] = []
        for position, ch in enumerate(text):
            other = LOOKALIKE.get(ch)
            if other is None or taken[position]:
                continue
            for start in range(max(0, position - MAX_TYPO_WINDOW + 1), position + 1):
                for stop in range(max(position + 1, start + 3), min(len(text), start + MAX_TYPO_WINDOW) + 1):
                    window = text[start:stop]
                    swapped = window[: position - start] + other + window[position - start + 1 :]
                    if swapped in self.vocabulary and not self.is_word(window):
                        fixes.append((start, stop, swapped))
        return fixes

    def _slip_fixes(self, text: str, taken: list[bool]) -> list[tuple[int, int, str]]:
        """Windows of three or more characters that become a known name when one character is swapped for
        the one whose pinyin is a keyboard slip away (one letter, the key beside it: 清说证明 → 清税证明)."""
        fixes: list[tuple[int, int, str]] = []
        size = len(text)
        owner: list[tuple[int, int]] | None = None
        for start in range(size):
            for slipped in range(start, min(size, start + MAX_TYPO_WINDOW)):
                if slipped > start and text[start:slipped] not in self.word_starts:
                    break  # (no name starts with what is before the slip)
                typed = text[slipped]
                if taken[slipped] or typed in PARTICLES or typed in FUNCTION_WORDS or not exact_sound(typed):
                    continue
                before = text[start:slipped] + "?"
                for stop in range(
                    max(start + MIN_SLIP_WINDOW, slipped + 1), min(size, start + MAX_TYPO_WINDOW) + 1
                ):
                    offset, window = slipped - start, text[start:stop]
                    for word in self.by_pattern.get(before + text[slipped + 1 : stop], ()):
                        if not _slip(exact_sound(typed), exact_sound(word[offset])) or self.is_word(window):
                            continue
                        if self._rest_is_a_word(window, offset):
                            continue  # 考出租车 is no slip of 开出租车: a word (出租车) and a verb to it
                        if owner is None:
                            owner = self._owners(text)
                        first, last = owner[slipped]
                        # the typed character is no real word's, and the window cuts none of the text's words
                        # in two (二手房去过户 is no slip of 房屋过户: 房 is 二手房's)
                        if last - first == 1 and owner[start][0] >= start and owner[stop - 1][1] <= stop:
                            fixes.append((start, stop, word))
        return fixes

    def _owners(self, text: str) -> list[tuple[int, int]]:
        """Per character, the (start, end) of the real word of the text it is part of (itself if none)."""
        owners = [(i, i + 1) for i in range(len(text))]
        if self.segment is None:
            return owners
        position = 0
        for word in self.segment(text):
            end = position + len(word)
            if len(word) >= 2 and self.is_word(word):
                owners[position:end] = [(position, end)] * len(word)
            position = end
        return owners

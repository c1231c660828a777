"""Chinese text analysis with jieba: a private tokenizer, set up lazily and quietly.

We use our own `jieba.Tokenizer` (not the global one) so the words we add — unit names, aliases and a
small lexicon of complaint words — never change how other code segments text. Nothing is downloaded:
jieba's bundled dictionary is loaded once per process (nocert_core/jieba_dictionary.py), on first use.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from nocert_core.jieba_dictionary import private_tokenizer

if TYPE_CHECKING:
    import jieba

from nocert_core.textnorm import compact

# Words that jieba's general dictionary splits badly in complaint texts. Kept short and readable;
# unit names and aliases are added from the data at run time (see `add_words`).
# fmt: off
COMPLAINT_LEXICON: tuple[str, ...] = (
    # proofs, certificates, materials
    "无犯罪记录证明", "无犯罪证明", "户籍证明", "亲属关系证明", "居住证明", "收入证明", "在职证明",
    "婚姻状况证明", "未婚证明", "死亡证明", "出生医学证明", "出生证明", "学历证明", "房产证明", "无房证明",
    "完税证明", "社保缴费证明", "参保证明", "退休证明", "健康证明", "电子证照", "电子营业执照", "复印件",
    "户口本", "户口簿", "身份证", "营业执照", "结婚证", "离婚证", "不动产权证", "不动产权证书", "房产证",
    "社保卡", "驾驶证", "行驶证", "毕业证", "学位证", "准生证", "独生子女证", "残疾证", "证明直通车",
    "用证事项清单", "免提交", "告知承诺", "部门核验", "协查", "核验", "事项清单", "证明事项",
    # services
    "公积金提取", "公积金贷款", "不动产登记", "婚姻登记", "户口迁移", "落户", "出入境", "护照", "港澳通行证",
    "新生儿落户", "医保报销", "异地就医", "社保转移", "退休审批", "营业执照变更", "食品经营许可",
    "二手房过户", "过户", "入学报名", "车辆年检", "驾驶证换证",
    # agency shorthand people use
    "车管所", "审批局", "社保中心", "社保局", "人社局", "医保局", "医保中心", "公积金中心", "不动产中心",
    "不动产登记中心", "婚姻登记处", "出入境管理", "派出所", "户籍科", "户政", "交警支队", "交警大队",
    "便民服务中心", "政务服务中心", "市场监管局", "卫健委", "住建局", "税务局", "民政局", "教育局",
    # proceedings
    "行政复议", "行政诉讼", "打官司", "仲裁委", "劳动仲裁",
)
# fmt: on

_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """The shared normaliser (`nocert_core.textnorm.compact`): NFKC, traditional → simplified, numbers,
    lower case, no spaces or punctuation: for comparing names and texts."""
    return compact(text)


class Segmenter:
    """A lazily initialised jieba tokenizer with our words added."""

    def __init__(self, lexicon: Iterable[str] = COMPLAINT_LEXICON) -> None:
        self._lexicon = tuple(lexicon)
        self._tokenizer: jieba.Tokenizer | None = None
        self._added: set[str] = set()
        self._lock = threading.Lock()

    def _ready(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    # a private word table built from the process's one loaded dictionary
                    tokenizer = private_tokenizer()
                    for word in self._lexicon:
                        tokenizer.add_word(word, freq=None)
                        self._added.add(word)
                    self._tokenizer = tokenizer
        return self._tokenizer

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None

    def load(self) -> None:
        """Load the tokenizer now (jieba's dictionary: seconds of CPU the first time in a process)."""
        self._ready()

    def add_words(self, words: Iterable[str]) -> None:
        """Teach the tokenizer domain words (unit names, aliases); adding a word twice is a no-op."""
        tokenizer = self._ready()
        for word in words:
            word = word.strip()
            if len(word) >= 2 and word not in self._added:
                tokenizer.add_word(word, freq=None)
                self._added.add(word)

    def cut(self, text: str) -> list[str]:
        """Precise-mode tokens without spaces and punctuation."""
        tokens = self._ready().lcut(text or "", HMM=False)
        return [token for token in (normalise(t) for t in tokens) if token]

    def cut_for_search(self, text: str) -> list[str]:
        """Tokens plus their shorter dictionary words ("不动产登记中心" → 不动产, 登记, 中心, …)."""
        tokens = self._ready().lcut_for_search(text or "", HMM=False)
        return [token for token in (normalise(t) for t in tokens) if token]


_shared: Segmenter | None = None


def segmenter() -> Segmenter:
    """The process-wide segmenter (created on first use)."""
    global _shared
    if _shared is None:
        _shared = Segmenter()
    return _shared


async def load_segmenter_off_loop() -> None:
    """Make sure the shared segmenter is loaded without blocking the event loop: loading it (or waiting
    for the start-up thread that is loading it: `_ready` holds a threading lock meanwhile) happens in a
    worker thread. A chat update calls this before it uses the segmenter synchronously (the agency
    resolver, the screening): an event loop that waited on that lock for the seconds a loaded machine
    needs stopped everything else too — the renewal of the per-user locks of several instances, the
    webhook's answers (issue 11)."""
    shared = segmenter()
    if not shared.loaded:
        await asyncio.to_thread(shared.load)

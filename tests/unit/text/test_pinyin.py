"""pypinyin's phrase table, held compactly, reads exactly as pypinyin's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

from nocert_core.pinyin import PhraseTable, PrefixSet, phrase_table_bytes, pypinyin, read_phrases, snapshot


def test_every_phrase_reads_as_in_pypinyins_own_table() -> None:
    p = pypinyin()
    path = Path(p.__file__).parent / "phrases_dict.json"
    own = json.loads(path.read_text(encoding="utf-8"))
    table = p.converter.PHRASES_DICT
    assert isinstance(table, PhraseTable) or table == own  # compact unless pypinyin came first
    assert len(table) == len(own)
    for phrase, readings in own.items():
        assert table[phrase] == readings


def test_the_table_hands_out_lists_pypinyin_may_change() -> None:
    phrases = {"重庆": [["chóng"], ["qìng"]], "长沙": [["cháng", "zhǎng"], ["shā"]]}
    table = read_phrases(phrase_table_bytes(phrases))
    first = table["重庆"]
    first[0] = ["x"]
    assert table["重庆"] == [["chóng"], ["qìng"]]
    assert table.get("长沙") == [["cháng", "zhǎng"], ["shā"]]


def test_a_prefix_of_a_phrase_is_no_phrase_but_starts_one() -> None:
    table = read_phrases(phrase_table_bytes({"重庆市": [["chóng"], ["qìng"], ["shì"]]}))
    assert "重庆" not in table and "重庆市" in table and len(table) == 1
    assert table.get("重庆") is None
    assert "重庆" in PrefixSet(table.trie) and "庆" not in PrefixSet(table.trie)


def test_pypinyins_segmenter_uses_the_tables_prefixes() -> None:
    p = pypinyin()
    assert isinstance(p.seg.mmseg.seg._prefix_set, PrefixSet)
    assert list(p.seg.mmseg.seg.cut("重庆银行")) == ["重庆", "银行"]


SAMPLE = ["重庆", "长沙", "银行", "行长", "寿光", "潍坊", "历城区", "单县", "朝阳", "莘县", "乐陵", "蚌埠"]
SAMPLE += ["会计", "社保卡", "重新", "长大", "调查", "东阿", "六安"]


def test_place_names_and_characters_sound_as_with_plain_pypinyin() -> None:
    p = pypinyin()
    ours = [p.lazy_pinyin(word) for word in SAMPLE] + [
        p.lazy_pinyin(chr(code)) for code in range(0x4E00, 0x9FA6, 7)
    ]
    script = (
        "import json,sys; from pypinyin import lazy_pinyin; "
        f"words={SAMPLE!r}; "
        "print(json.dumps([lazy_pinyin(w) for w in words] + "
        "[lazy_pinyin(chr(c)) for c in range(0x4E00, 0x9FA6, 7)]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN")}
    plain = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert ours == json.loads(plain.stdout)
    assert "PYPINYIN_NO_PHRASES" not in os.environ  # the switches do not leak to child processes


def test_the_module_snapshot_copies_again_when_another_thread_imports_meanwhile() -> None:
    # the bot's warm-up loads pypinyin in a thread while the main thread imports (the web console)
    class ImportingMeanwhile(dict[str, types.ModuleType]):
        tries = 0

        def items(self):  # type: ignore[override]
            self.tries += 1
            if self.tries == 1:
                raise RuntimeError("dictionary changed size during iteration")
            return super().items()

    module = types.ModuleType("pypinyin.fake")
    modules = ImportingMeanwhile({"pypinyin.fake": module})
    assert snapshot(modules) == [("pypinyin.fake", module)]
    assert modules.tries == 2

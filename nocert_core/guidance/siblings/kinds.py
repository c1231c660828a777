"""What is done with a licence or certificate: first application, renewal, replacement, change, cancellation.

Sibling services often differ only in this (驾驶证初次申领 / 有效期满换证 / 遗失补证), and citizens word it
their own way (补办, 丢了, 第一次, 到期了). The classes are domain-wide, not any catalogue's: a question's
word of one class counts as the class, and every service name's classes are in the index's forward map as
`@class` pseudo-words, so the person's 补办 tells 遗失补证 from 换证 like any other distinguishing word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nocert_core.guidance.search.text import normalise

# What is done with a licence or certificate, in the words of service names and of citizens (domain-wide,
# not any catalogue's): a question's word of one class counts as every word of it, so 补办 tells
# 驾驶证遗失补证 from 驾驶证有效期满换证, and 第一次 picks 首次申领.
ACTION_CLASSES = {
    "new": "首次 初次 第一次 头一次 新办 新申领 初领 新领 首办 初办 新申请 新开",
    "renew": "换领 换证 换发 到期 期满 有效期满 过期 届满 延续 续期 续证 续办 换新 签注 破损 损坏 换本",
    "replace": "补领 补办 补证 补发 补换 遗失 丢失 丢了 弄丢 掉了 找不到 补卡",
    "change": "变更 更改 更正",
    "cancel": "注销",
    # Two reasons to renew, told apart when both are listed (有效期满换证 / 损毁换证): date or damage.
    "expiry": "到期 期满 有效期满 过期 届满",
    "damage": "破损 损坏 损毁 污损 毁损 坏了 弄坏 磨损 破了 烂了",
    # A periodic check of something held (a benefit's 资格认证, a licence's 年审): not applying for it.
    "check": "认证 年审 年检 年度确认 资格确认",
}
AGAIN = ("重新", "再办")  # renewing or replacing, never the first one
# A bare 换/补 right before a licence's name (换残疾证, 补个身份证).
SHORT_ACTIONS = {
    # Opening a shop (开个小饭馆, 开家店) is the first issue of its licences.
    "new": re.compile(r"(?:新开|开)(个|家|间|一家|一个)?[\u4e00-\u9fff]{0,3}(店|馆|铺|超市|诊所|药房)"),
    "renew": re.compile(r"换(个|张|本)?新?[\u4e00-\u9fff]{0,4}(证|卡|照|本)"),
    # (not 补贴, 补助, 补偿, 补缴 …: a subsidy's or a payment's word, "补贴年度认证" is no replacement)
    "replace": re.compile(r"补(?!贴|助|偿|充|缴|交|录|正)(个|张|本)?[\u4e00-\u9fff]{0,4}(证|卡|照|本)"),
}
CLASS_MARK = "@"
CLASS_WEIGHT = 3.0  # the weight of a service name's action class in the forward map (like a rare word)


@lru_cache(maxsize=1)
def _class_words() -> dict[str, tuple[str, ...]]:
    return {name: tuple(normalise(word) for word in words.split()) for name, words in ACTION_CLASSES.items()}


@lru_cache(maxsize=65536)
def classes_of(text: str) -> frozenset[str]:
    """The action classes whose words are in the (normalised) text (重新办: renewing or replacing)."""
    again = any(word in text for word in AGAIN)
    for word in AGAIN:
        text = text.replace(word, " ")
    found = {name for name, words in _class_words().items() if any(word in text for word in words)}
    for name, pattern in SHORT_ACTIONS.items():  # 换残疾证, 补个驾照: one character before the licence
        if pattern.search(text):
            found.add(name)
    return frozenset(found or ({"renew", "replace"} if again else set()))


__all__ = ["ACTION_CLASSES", "CLASS_MARK", "CLASS_WEIGHT", "classes_of"]

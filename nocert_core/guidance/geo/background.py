"""Where a place named in a question is the story's background, not where the matter is handled: where the
person comes from, used to live, work or study (我老家是河北…, 在济南上的大学, 在徐州工地上干活), an
institution there (济南一所大学), an office "over there" (深圳那边让我先打…凭证)."""

from __future__ import annotations

import re

# Said in the same clause as a place, these tell where the person comes from or used to be (我老家是河北…,
# 我是江苏宿迁人, 以前在青岛打了八年工, 户口还在太原, 结婚证放沧州娘家了): background, not the place.
# A clause telling a stretch of life spent there (在杭州跑了8年快递, 在深圳干了十来年, 在济南上的大学,
# 在徐州工地上干活) is background too, and so is an office "over there" (深圳那边让我先打…凭证) beside the
# place of the matter.
ORIGIN = re.compile(
    r"老家|娘家|原籍|籍贯|(?:户口|户籍).{0,2}在|[我他她]是.{0,8}人|来自|打[了过].{0,3}工|以前|原来|之前"
    r"|[了过](?:[0-9]+|[一二两三四五六七八九十几好多]{1,3})来?(?:年|个月)|(?:上|读|念)的?(?:大学|书)|干活|务工|那边"
    r"|是.{2,8}的$"  # (我和老婆都是张家口蔚县的: where they are from)
    r"|(?:放|留|落|压|锁)在"  # (毕业证放在成都租的房子里: where a paper is kept, not where one applies)
)
# China's provinces, autonomous regions and municipalities, as people name them (安徽, 内蒙古, 北京)
_PROVINCE_NAMES = (
    "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南"
    " 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 北京 天津 上海 重庆 香港 澳门"
)
PROVINCES = frozenset(_PROVINCE_NAMES.split())
# Words around a place that say it is where the person comes from, not where the matter is handled.
_FROM_BEFORE = ("从", "老家", "户口在", "户籍在", "原籍", "我是", "她是", "他是", "老家在")
_BELONGS = ("我是", "她是", "他是", "我们是", "俺是")
_DIED = ("去世", "过世", "走了", "病故", "离世", "死亡", "没了")
_FROM_AFTER = (
    "过来",
    "来的",
    "老家",
    "户口",
    "本地人",
    "打工",
    "工作",
    "上班",
    "定居",
    "看病",
    "住院",
    "就医",
    "出差",
)
# A place before an institution there (济南一所大学, 徐州工地上, 深圳的厂里) is where that institution
# is — the story's background — not where the matter is handled.
_INSTITUTION = re.compile(r"(?:一所|一家|的)?(?:大学|学校|工地|工厂|厂里|公司|医院)")


def elsewhere(text: str, start: int, end: int) -> bool:
    if text.startswith(_DIED, end + len("老家")) and text.startswith("老家", end):
        return False  # "在X老家去世了": where a death happened is where its matters are handled
    if text[:start].endswith("到"):
        return False  # "嫁到X来的", "调到X工作": where one went is where one is
    return (
        text[max(0, start - 3) : start].endswith(_FROM_BEFORE)
        or text.startswith(_FROM_AFTER, end)
        or _INSTITUTION.match(text, end) is not None
    )


def belongs(text: str, start: int, end: int) -> bool:
    """Whether the place is told as where one belongs (我是丰县的), unlike where one comes from (我是丰县人);
    a province so told (我是河北的) stays where one comes from."""
    return text[:start].endswith(_BELONGS) and text.startswith("的", end) and text[start:end] not in PROVINCES


__all__ = ["ORIGIN", "PROVINCES", "belongs", "elsewhere"]

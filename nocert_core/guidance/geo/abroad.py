"""Places abroad: a place named by a country (美国德州) or written in English as no Chinese place is written.

A city name can be another country's too (德州 is Texas in Chinese, 华盛顿 both a city and a state): written
right after a country's name, the covered form is that country's place, never the catalogue's. In English,
Chinese places are written in pinyin ("Dezhou", "Lanshan District"); the name of where the person lives or is
("I live in Austin, Texas") that cannot be read as pinyin is a place abroad. Either way the catalogue has
no entry for it (R1 scope): the answer says so rather than give the covered place's rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Countries and regions abroad people name before one of their places (domain-wide, not any catalogue's).
_COUNTRIES = (
    "美国 英国 法国 德国 日本 韩国 朝鲜 俄罗斯 加拿大 澳大利亚 澳洲 新西兰 新加坡 马来西亚 泰国 越南 印度 "
    "意大利 西班牙 葡萄牙 荷兰 瑞士 瑞典 挪威 丹麦 芬兰 爱尔兰 比利时 奥地利 希腊 波兰 巴西 阿根廷 墨西哥 "
    "南非 埃及 迪拜 阿联酋 菲律宾 印尼 印度尼西亚 柬埔寨 蒙古国 以色列 土耳其 国外 海外"
)
COUNTRIES = tuple(_COUNTRIES.split())
# Where the person is: "I live in X", "I'm in X", "based in X" (not "in English", "in March").
_WHERE = re.compile(
    r"\b(?:live|lives|living|reside|resides|residing|stay|stays|staying|based|located|settled|i'm|i am|"
    r"we're|we are|now)\s+in\s+([A-Z][A-Za-z'-]+(?:[ ,]+[A-Z][A-Za-z'-]+)*)"
)
_NOT_PLACES = (
    "english chinese mandarin china january february march april may june july august september october "
    "november december monday tuesday wednesday thursday friday saturday sunday the"
)
NOT_PLACES = frozenset([*_NOT_PLACES.split(), "district", "county", "city"])
# Pinyin syllables (a Chinese place in English is a run of them); m/n/ng alone are left out.
_PINYIN = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce
    cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun
    chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu
    dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei
    gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua
    huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan
    kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia
    lian liang liao lie lin ling liu lo long lou lu luan lue lun luo lv ma mai man mang mao me mei men meng
    mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin
    ning niu nong nou nu nuan nue nuo nv o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po
    pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong
    rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng
    shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao
    te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia
    xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu
    yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong
    zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo"""
_SYLLABLES = frozenset(_PINYIN.split())
LONGEST = 6  # letters of the longest syllable (zhuang)


def country_before(text: str, start: int) -> str | None:
    """The country named right before position `start` of a (normalised) question (美国 + 德州), if any."""
    before = text[:start]
    return next((country for country in COUNTRIES if before.endswith(country)), None)


@lru_cache(maxsize=1024)
def is_pinyin(word: str) -> bool:
    """Whether a word splits into pinyin syllables (Lanshan, Dezhou, Xi'an), as a Chinese place is written."""
    letters = word.lower().replace("'", "")
    if not letters.isalpha():
        return False
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reachable[end] = any(
            reachable[start] and letters[start:end] in _SYLLABLES
            for start in range(max(0, end - LONGEST), end)
        )
    return reachable[-1]


def english_place_abroad(question: str) -> str | None:
    """The place an English question says the person lives or is in, when no word of it reads as pinyin
    ("Austin, Texas"); None for a Chinese place ("Dezhou", "Lanshan District") or no such place."""
    for found in _WHERE.finditer(question.replace("’", "'")):
        words = re.findall(r"[A-Za-z'-]+", found.group(1))
        names = [w for w in words if w.lower() not in NOT_PLACES]  # (district, county, city among them)
        if names and not any(is_pinyin(word) for word in names):
            return found.group(1).strip(" ,")
    return None


__all__ = ["COUNTRIES", "country_before", "english_place_abroad", "is_pinyin"]

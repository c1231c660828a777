"""What the name of an agency says, as the unit resolver (`services/units/resolver.py`) reads it: the
districts it names (Weifang's, with their short spellings), whether it names the city, the rest of it
(its *core*), the agency concepts in that core (社保 ~ 社会保险, 车管所 ~ 车辆管理所) and its features
(jieba tokens plus concepts) that units are scored on."""

from __future__ import annotations

from nocert_core.adapters.text import normalise, segmenter

# Weifang's districts, county-level cities and counties, longest spelling first within each.
DISTRICTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("奎文区", ("奎文区", "奎文")),
    ("潍城区", ("潍城区", "潍城")),
    ("寒亭区", ("寒亭区", "寒亭")),
    ("坊子区", ("坊子区", "坊子")),
    ("高新区", ("潍坊高新技术产业开发区", "高新技术产业开发区", "高新开发区", "高新区", "高新")),
    ("滨海区", ("潍坊滨海经济技术开发区", "滨海经济技术开发区", "滨海开发区", "滨海区", "滨海")),
    ("峡山区", ("峡山生态经济开发区", "峡山区", "峡山")),
    ("经济区", ("潍坊经济开发区", "经济开发区", "经开区", "经济区")),
    ("青州市", ("青州市", "青州")),
    ("诸城市", ("诸城市", "诸城")),
    ("寿光市", ("寿光市", "寿光")),
    ("安丘市", ("安丘市", "安丘")),
    ("高密市", ("高密市", "高密")),
    ("昌邑市", ("昌邑市", "昌邑")),
    ("临朐县", ("临朐县", "临朐")),
    ("昌乐县", ("昌乐县", "昌乐")),
)
_DISTRICT_SPELLINGS = sorted(
    ((spelling, name) for name, spellings in DISTRICTS for spelling in spellings),
    key=lambda item: -len(item[0]),
)
CITY_SPELLINGS = ("潍坊市", "潍坊")
_NOT_CITY_PREFIXES = ("市场", "市民", "市政公用")

# Agency concepts: one key, the ways people and official names say it. A concept is one feature, so
# "社保" in the text meets "社会保险" in a unit name.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "审批": ("审批",),
    "政务服务": ("政务服务", "政务中心", "政务大厅", "市民之家"),
    "便民服务": ("便民服务", "便民中心"),
    "公安": ("公安", "派出所", "警"),
    "交通警察": ("交警", "交通警察", "交管"),
    "车辆管理": ("车管", "车辆管理", "驾驶证", "驾照", "监理"),  # 监理站/所: Taiwan's vehicle offices
    "出入境": ("出入境", "护照", "签证", "通行证"),
    "户籍": ("户籍", "户政", "户口"),
    "不动产": ("不动产", "房产登记", "房产证", "地政"),
    "自然资源": ("自然资源", "国土", "规划"),
    "人社": ("人社", "人力资源", "社会保障局"),
    "社会保险": ("社保", "社会保险", "社险", "劳保"),
    "医疗保障": ("医保", "医疗保障", "医疗保险"),
    "公积金": ("公积金",),
    "住建": ("住建", "住房和城乡建设", "住房城乡建设", "建设局", "房管"),
    "民政": ("民政", "社会局", "社会处"),
    "婚姻登记": ("婚姻登记", "婚登", "结婚登记", "离婚登记", "结婚证", "离婚证"),
    "市场监管": ("市场监管", "市场监督", "市监", "工商", "食药监"),
    "卫生健康": ("卫健", "卫生健康", "卫生局", "卫计"),
    "教育": ("教育", "教体"),
    "税务": ("税务", "税局", "地税", "国税", "办税"),
    "街道": ("街道", "街办"),
    "司法": ("司法", "公证"),
    "人民政府": ("人民政府", "政府", "公所"),
}
# A concept always served by another's unit: a marriage office is the civil-affairs bureau's (a register
# without its own 婚姻登记处 unit routes "婚姻登记处" to the 民政局, not to a 不动产登记中心 by "登记").
CONCEPT_PARENTS = {"婚姻登记": "民政"}
_CONCEPT_SPELLINGS = sorted(
    ((spelling, key) for key, spellings in CONCEPTS.items() for spelling in spellings),
    key=lambda item: -len(item[0]),
)
# The last character of an office's name says what kind of office it is (中心, 局/分局, 所, 处, 部 …).
OFFICE_HEADS = frozenset("心局所处站部队院室办委科厅馆会")
# Tokens too generic to tell units apart (IDF damps the rest).
_GENERIC = frozenset({"服务", "管理", "中心", "事业", "办公室", "机构", "部门", "单位", "窗口", "大厅"})


def find_districts(text: str) -> tuple[set[str], str]:
    """The districts a (normalised) text names, and the text with them cut out."""
    found: set[str] = set()
    rest = text
    for spelling, name in _DISTRICT_SPELLINGS:
        if spelling in rest:
            found.add(name)
            rest = rest.replace(spelling, " ")
    return found, rest.replace(" ", "")


def core_of(text: str) -> tuple[set[str], bool, str]:
    """(districts named, city named, the rest): "潍坊市奎文区审批局" → ({奎文区}, True, "审批局")."""
    districts, rest = find_districts(normalise(text))
    names_city = any(spelling in rest for spelling in CITY_SPELLINGS)
    for spelling in CITY_SPELLINGS:
        rest = rest.replace(spelling, "")
    if rest.startswith("市") and len(rest) > 1 and not rest.startswith(_NOT_CITY_PREFIXES):
        # "市社保", "市审批局": the city's own unit (but 市场监管局, 市民之家 are words of their own)
        names_city = True
        rest = rest[1:]
    return districts, names_city, rest


def concepts_in(core: str) -> set[str]:
    found = set()
    rest = core
    for spelling, key in _CONCEPT_SPELLINGS:
        if spelling in rest:
            found.add(key)
            rest = rest.replace(spelling, " ")
    return found | {CONCEPT_PARENTS[key] for key in found if key in CONCEPT_PARENTS}


def features_of(core: str) -> set[str]:
    tokens = {t for t in segmenter().cut_for_search(core) if len(t) >= 2 and t not in _GENERIC}
    # the words inside a marriage office's name are that concept, not another office's (登记 ≠ 不动产登记)
    inside = {
        t
        for key in CONCEPT_PARENTS
        for spelling in CONCEPTS[key]
        if spelling in core
        for t in tokens
        if t in spelling
    }
    return (tokens - inside) | {f"@{concept}" for concept in concepts_in(core)}

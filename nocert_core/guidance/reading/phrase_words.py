"""The words phrase.py reads a service phrase by: service heads, apply and pair verbs, words that never name
a kind of service (who, when, how the question is asked), clause openings, offices."""

from __future__ import annotations

import re

# Words that end a service's name in a question; the specific ones also name it (登记 is not 申领).
GENERIC_HEADS = frozenset(["办理", "申请", "申领"])
SPECIFIC_HEADS = "登记 认定 注册 许可 备案 补贴 提取 报名 审批 签发 年审 注销 变更 核发"
SPECIFIC = frozenset(SPECIFIC_HEADS.split())
SERVICE_HEADS = SPECIFIC | GENERIC_HEADS
GENERIC = (
    "领取 一个 一下 这个 那个 那边 这边 窗口 中心 到底 孩子 小孩 老人 家里 家里人 家人 我家 俺家 办证 办事"
    " 一家 一间"
    " 新证 新卡 新本 新照 新的"  # (换个新证: what a renewal gives, not a kind of it)
    " 那种 这种 那样 这样"  # (换新的那种: which one is meant, told by the words before it)
    " 是不是 是否 一定 必须"  # (…劳动合同是不是要交: how the question is asked)
)
GENERIC_WORDS = frozenset(GENERIC.split())  # words that are never what names a service


APPLY_VERBS = frozenset(["办", "办理", "申请", "申领", "补办", "补领", "办个", "想办", "领"])
PAIR_VERBS = frozenset(["要", "需要", "还要", "还用", "还需要", "还得", "要不要", "需不需要", "用不用"])


PROOF_HEADS = ("证", "卡", "照", "证书")  # what an apply verb before it obtains: a licence, a card


# Who and when (宝宝参加医保, 每年领养老金): never a kind of service the catalogue lacks.
_WHO_AND_WHEN = (
    "宝宝 宝贝 儿子 女儿 闺女 老婆 老公 爱人 媳妇 丈夫 妻子 父亲 母亲 爸爸 妈妈 爷爷 奶奶 老人家 老母亲 "
    "老父亲 我们 咱们 每年 今年 去年 明年 现在 目前 马上 刚刚 已经 每月 本人 自己 每次 这次 上次 下次 "
    "对象 男朋友 女朋友 男友 女友 未婚妻 未婚夫 朋友 同事 老乡 家人 亲戚 孩子 儿女 子女 "
    "家母 家父 老母 老父 我妈 我爸 婆婆 公公 岳父 岳母 外公 外婆 姥姥 姥爷 "
    "爸妈 老爸 老妈 爹妈 爹娘 父母亲 小朋友 小孩儿 娃娃 "
    "司机 员工 老板 店主 房东 师傅 "  # (出租车 + 司机 + 从业资格证: whose licence, not a kind of it)
    # (how people across China name their family: 娃儿读小学 is who, not a kind of school enrolment)
    "娃儿 娃子 小娃 伢子 伢儿 伢崽 细伢子 崽崽 幺儿 老汉 老伴 老伴儿 婆娘 堂客 孃孃 嬢嬢 俺娘 俺爹 俺爸 俺妈 "
    "我娘 我爹 大伯 叔叔 侄子 侄女 外孙 孙子 孙女 舅舅 姑姑 兄弟 姐妹 哥哥 姐姐 弟弟 妹妹 "
    "两口子 老两口 小两口 夫妻俩 我俩 俺俩 咱俩 我们俩 他俩 "
    "刚出生 刚生 刚满月 "  # (宝宝刚出生: who, a newborn — not a kind of service)
    "真的 确实 究竟 肯定 下来 起来 出来 过来 回来"  # (是真的要吗, 刚生下来要上户口: how, not what)
)
NOT_KINDS = frozenset(_WHO_AND_WHEN.split())


CLAUSE_OPENINGS = frozenset(
    [
        *("", "办", "办理", "申请", "想办", "我想办", "我要办", "请问", "请问办", "我想", "想"),
        *("跟", "和", "与", "同", "我跟", "我和", "想跟", "想和", "要跟", "要和"),  # (跟外国人 + 结婚登记)
    ]
)
PARTNERS = ("跟", "和", "与", "同")


# Who the person is (我们是外地户口, 本地人): never a kind of service, though 户口 is a word services use.
STATUS = re.compile(r"(?:是|属于)?(?:外地|本地|外省|外市|外县|非本地|本市|本县|农村|城镇)(?:户口|户籍|人)")
OFFICES = ("局", "所", "中心", "大厅", "窗口", "办事处", "分局", "站")  # the ends of an office's name


PROCEDURE_WORDS = frozenset(["转移", "接续", "申请", "办理", "确认", "审核", "核准", "发放", "检验"])

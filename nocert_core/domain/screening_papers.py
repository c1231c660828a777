"""Papers demanded by grammar rather than by name, for complaint screening (beside the word lists of
`nocert_core.domain.screening_rules`): a citizen names the paper the way the counter did ("施工图纸",
"入住协议", "一份在职的介绍", "证明我没有再婚"), and no word list holds them all — what follows a demand is
the paper.
Matched on the canonical text with its punctuation (`nocert_core.services.screening.findings`).
"""

from __future__ import annotations

import re

# fmt: off
# A proof named by what it says, told after it: a proof issued "证明我没有再婚" (开一张证明我没有再婚,
# 出个证明人还活着) is the proof of that (the words after the person, up to where the phrase ends).
PROOF_OF_WHAT_PATTERN = re.compile(
    r"(?:开|出具|开具|出|提供|交)(?:[一1]?[个张份])?证明((?:我|我们|他|她|本人|孩子|老人|父母|我爸|我妈|人|家里)"
    r"[\u4e00-\u9fff]{2,10}?)(?=[,.;!?，。；！？\s]|$)"
)
# Any paper someone was told to provide, issue or bring ("要求提交施工图纸", "让我交消防验收意见", "非要我拿
# 保险单", "还要我的离职单"): what follows a demand (and a verb of handing over), up to where the phrase ends,
# is a document when it ends like a paper (图纸, 意见, 协议, 截图, 单, 表, 书, 报告, 记录 …) or is counted in
# sheets ("开一份在职的介绍") — a name no word list holds.
_DEMAND = r"(?:要求|让|叫|非要|非让|硬要|必须|得先|还得|还要|又要|要(?=我|俺|咱)|逼着?)"
_WHO = (
    r"(?:我们?俩?|咱们?俩?|俺们?俩?|申请人|老人|孩子|家属|当事人)?(?:先|再|另外|额外|重新|自己|还|又)?"
)
_HAND_OVER = (
    r"[^,.;!?，。；！？、]{0,10}?(?:提供|提交|出具|开具|开|交|补交|递交|上交|带|拿|打印|打|填写?|出示|上传|复印)"
    r"(?:了|上|来|齐)?"
)
_PAPER_HEAD = (
    r"(?:图纸|平面图|示意图|截图|意见书?|协议书?|决议|批复|批文|批件|单据?|表格?|书|证书?|本子?|卡|件|函|信|记录"
    r"|报告|合同|发票|收据|凭证|凭据|明细|流水|结果|说明|声明|鉴定|回执|台账|日志|存根|票据|账单|档案|文书|介绍"
    r"|条子|材料|资料)"
)
_PAPER_END = r"(?=[和及与并或、,.;!?，。；！？\s]|以及|才|再|后|给|来|去|$)"
_PAPER_STATE = r"(?:纸质版?的?|原件的?|盖章的?|盖了章的)?"
DEMANDED_PAPER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        _DEMAND + _WHO + _HAND_OVER + r"(?:[一1两2三3]?[份张个本套])?" + _PAPER_STATE
        + r"([\u4e00-\u9fff]{1,12}?" + _PAPER_HEAD + ")" + _PAPER_END
    ),
    # counted in sheets: whatever it is called, a paper (not a photo)
    re.compile(
        _DEMAND + _WHO + _HAND_OVER + r"[一1两2]?[份张]" + _PAPER_STATE
        + r"([\u4e00-\u9fff]{2,10}?)(?<!照片)(?<!相片)(?=再来|才能|才给|[和及与并或、,.;!?，。；！？\s]|$)"
    ),
    # a paper issued, told by what it says: "要我回老家开一个无违章的东西", "要村里出个意见"
    re.compile(
        r"(?:要|让|叫|非要|非让|硬要|必须|得先|还得|还要|又要|逼着?)[^,.;!?，。；！？、]{0,10}?"
        r"(?:开具|出具|开|出)[一1]?[个份张]((?:[\u4e00-\u9fff]{1,10}?的)?(?:书面的?)?(?:东西|条子|单子|意见|证明|证(?!明)))"
        + _PAPER_END
    ),
    # what is to be made good: "要我把档案里缺的招工表补上"
    re.compile(
        _DEMAND + _WHO + r"[^,.;!?，。；！？、]{0,6}?把([\u4e00-\u9fff]{1,12}?" + _PAPER_HEAD + ")"
        r"(?:补上|补齐|补全|交上|交来|拿来|带来|开来|补交|送来)"
    ),
    # the paper right after the demand: "还要我的离职单", "非要单位的退工单"
    re.compile(
        r"(?:还要|非要|又要|硬要|就要|得要)(?:我们?的|俺的|你的|他的|她的|老人的|孩子的|单位的|原单位的)?"
        + _PAPER_STATE + r"([\u4e00-\u9fff]{1,10}?" + _PAPER_HEAD + ")" + _PAPER_END
    ),
)
# … unless it names no paper in particular ("让我交了一些材料", "让开各种证明": generic, see DEMAND_HINTS).
GENERIC_PAPER_WORDS: tuple[str, ...] = (
    "材料", "资料", "证明", "文件", "手续", "证件", "东西", "表", "表格", "单子", "本子", "件", "书", "卡",
    "信",
)
GENERIC_PAPER_MODIFIERS = re.compile(
    r"^(?:各种|各类|一些|一堆|一大堆|好多|很多|这些|那些|相关|其他|其它|所有|全部|别的|啥子?|什么|这个|那个|新的?|别)+"
)

# fmt: on

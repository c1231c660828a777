"""The word lists behind complaint screening (see `nocert_core.services.screening.advice` for how they
combine).

Plain data so a reviewer can read and change them without touching the logic. Texts are compared after
`normalise` (NFKC, no spaces or punctuation); times are matched on the NFKC text with punctuation kept.
"""

from __future__ import annotations

import re

# fmt: off
# R5 Art.8(3): should be resolved by litigation, arbitration or administrative reconsideration.
LITIGATION_CUES: tuple[str, ...] = (
    "起诉", "诉讼", "打官司", "告上法庭", "法庭", "向法院", "到法院", "去法院", "法院立案", "法院判",
    "仲裁", "行政复议", "复议", "上诉",
    "lawsuit", "litigation", "arbitration", "administrativereconsideration",
    "劳动争议", "经济补偿", "判公司", "赔偿金", "法院", "court", "sue ",
)
# A court's or an arbitration body's document demanded as a proof (要求提供法院离婚判决书, "demanded the
# court's divorce judgment") is a document, not litigation the complainant started: such phrases are taken
# out before litigation cues are looked for (and count as documents).
COURT_DOCUMENT_PATTERN = re.compile(
    r"(?:法院|仲裁委员会|仲裁委|劳动仲裁|仲裁)[^,.;!?，。；！？]{0,8}?(?:判决书|裁定书|调解书|裁决书|生效证明|文书)"
    r"|(?:要求|让我?们?|叫我|非要|还要|需要|要|提供|提交|交|出具|开具|拿)[^,.;!?，。；！？]{0,6}?"
    r"(?:法院|仲裁委员会|仲裁委|劳动仲裁|仲裁)[^,.;!?，。；！？]{0,8}?(?:判决|裁定|裁决)"
    r"|(?i:\bcourt(?:'s)?\s+(?:[a-z]+\s+){0,2}?(?:judg(?:e)?ment|ruling|order|decision|verdict|mediation)s?\b)"
)
# A clause that only threatens or weighs a lawsuit ("不解决的话我就去法院起诉", "我保留起诉的权利", "可以申请
# 行政复议，但我还是想先投诉", "if … I will take them to court") is not one started: its cues do not count.
LITIGATION_THREAT_PATTERN = re.compile(
    r"如果|要是|若是|的话|不解决|否则|再不|保留|可以申请|可以起诉|只能|大不了|"
    r"(?i:\bif\b|\bwill\b|\bwould\b|\bunless\b|\bcould\b|\bmight\b|\breserve)"
)
# … nor one that is over, its award or judgment now a paper demanded ("劳动仲裁结束后申领失业金"): a clause
# telling it ended.
LITIGATION_ENDED_PATTERN = re.compile(
    r"(?:仲裁|诉讼|官司|复议|判决|裁决)(?:已经?|早就?|都)?(?:结束|结案|打完|判完|了结|生效)"
    r"|(?:胜诉|判决|裁决|结案)(?:以?后|之后)|(?i:\b(?:after|once)\s+the\s+(?:case|arbitration|lawsuit)\s+(?:ended|was))"
)
# With a court's document demanded, a court named alone (法院, "the court sent it") is where the paper comes
# from, not a lawsuit: only the words that start one count then.
BARE_COURT_CUES: tuple[str, ...] = ("法院", "法庭", "court")
NEGATIONS: tuple[str, ...] = ("不", "没", "未", "无需", "无意", "别")
NEGATION_WINDOW = 4  # characters before a cue searched for a negation ("不想打官司")

# Anything about proofs, certificates or materials at all (otherwise: out of scope, R5 Art.8(4)).
PROOF_RELATED_WORDS: tuple[str, ...] = (
    "证明", "证件", "证书", "证照", "材料", "复印", "原件", "盖章", "公章", "开具", "出具", "免提交",
    "核验", "审核", "协查", "告知承诺", "证明直通车", "电子证照", "执照", "户口本", "户口簿", "身份证",
    # English (compared without spaces, lower case)
    "proof", "certificate", "document", "paper", "stamp", "evidence", "licence", "license", "record",
    "idcard", "hukou", "copy", "copies",
    "要这要那", "开这开那", "要的东西多", "一堆东西", "一堆材料", "报告", "申请表", "登记表", "审批表",
    "情况说明", "paper copy", "booklet", "stamped", "form",
    "公证",  # a notarial deed demanded is a proof (继承权公证)
    "report", "original", "payslip", "receipt", "invoice", "diploma", "letter", "notari", "transcript",
    "paperwork", "red tape",
    "鉴定",  # an appraisal or assessment demanded (伤残鉴定, 思想品德鉴定) is a proof like a report
)
# Words that say proofs were demanded even when none is named ("到处要证明", "要这要那"): demanded_proof.
DEMAND_HINTS: tuple[str, ...] = (
    "证明", "证件", "要这要那", "开这开那", "要的东西多", "一堆东西", "一堆材料", "复印", "盖章", "原件",
    "proof", "certificate", "paperwork", "red tape", "paper",
)
# A proof-related word within this many characters after a negation does not count ("没有要什么证明").
PROOF_NEGATION_WINDOW = 5
# … unless a refusal follows it: the negation is then a condition, "不交证明就不给认证" is a demand.
CONDITIONAL_REFUSAL_PATTERN = re.compile(
    r".{0,4}?(?:就|便|则)?(?:不给|不能|不让|不予|不可以|没法|无法|办不|不受理|不办|不收)"
)
# Proof-related phrasings that a word list cannot hold ("盖个章的东西", "要的东西太多了").
PROOF_RELATED_PATTERN = re.compile(
    r"盖[个了一过]{1,2}章|要的东西(?:太|特别|非常|很)?多|(?:一|好)大?堆(?:东西|材料|资料|证明|手续)"
    r"|[要交开攞](?:呢|嗰)样"  # Cantonese 要呢样要嗰样: 要这要那
    # 让我开个东西
    r"|(?:让|叫|要)(?:我们?|咱们?|俺们?|人)?(?:回去|去|再|先|又)?开(?:个|一个|张|份|些|点)?(?:东西|啥|什么)"
    r"|开[^,.;!?，。；！？]{0,10}?(?:单子|条子|字据)"  # 去火葬场开个单子, 开个…的条子: a slip, some paper
    # a paper issued, told by what it says (开一个无违章的东西, 要村里出个意见, 要原学校出个证)
    r"|(?:开|出)(?:个|[一1]个|张|[一1]张|份|[一1]份)(?:[^,.;!?，。；！？]{1,10}?的)?(?:书面的?)?(?:东西|意见|证(?!明))"
    r"|书面(?:的)?(?:东西|材料|证明|说明|意见)"  # something in writing demanded
    r"|写(?:个|[一1]个|份|[一1]份|张|[一1]张)(?:情况|说明|保证|声明)"  # 要求村里写个情况: a statement
)

# An ID photo (证件照, taken at the hall for a fee) is a photo, not a 证件 (a certificate).
ID_PHOTO_PATTERN = re.compile(r"证件照片?")

# Statements that NO proof was demanded: removed before proof words are looked for, so a complaint about
# queues or manners that says "the materials were fine" is judged on what it is about (R5 Art.8(4)), and
# the programme's own name (无证明城市) is not a proof either. A statement followed in its sentence by a
# turn (但, 却, 还是 …) is kept: "没有要求提交证明，结果还是要" is a demand.
NOTHING_DEMANDED_PATTERN = re.compile(
    r"无证明(?:城市)?"
    r"|(?:没有|没|并未|未|并没有|也没有|也没)(?:要求|让|叫|要|多要|跟我要|向我要)(?:我们?|咱们?)?"
    r"(?:额外|多|另外|再)?(?:交|提交|开具?|出具|提供|补)?(?:任何|什么|额外的?|其他的?|别的)?"
    r"(?:证明|材料|证件|证照|东西)"
    r"|(?:材料|证明|东西|资料)(?:倒是|也|都)?没(?:有)?让(?:我们?)?多交"
    r"|(?:材料|证明|手续|资料|证件)(?:都|也|倒是|全都|已经|均)?(?:齐全?了?|没问题|没有问题|符合要求)"
    r"|(?:材料|证明|资料|证件)(?:都|也|已经|现在)?(?:不用|不需要|无需|免)(?:再)?(?:交|提交|开|带)?了?"
    r"|(?:未|没有?|不|并未|并不|并没有?)涉及(?:到)?(?:任何)?(?:证明|材料|证件|证照|资料)(?:材料)?"
    r"|(?i:\bno (?:certificate|proof|document|paper|extra document)s? (?:was|were) "
    r"(?:demanded|asked for|required|requested|needed)"
    r"|\b(?:all )?(?:our|my|the) (?:documents|papers|materials) (?:were|was) "
    r"(?:accepted|complete|in order|fine)"
    r"|\bdid(?:n't| not) ask (?:me |us )?for any (?:certificate|proof|document|paper)s?)"
)
# Materials thrown or tossed about are a complaint about manners, not a proof demanded ("还摔材料").
ROUGH_HANDLING_PATTERN = re.compile(
    r"[摔扔甩丢砸撕](?:了|掉|回|给|出)?(?:我们?的?|一下)?(?:材料|资料|证件|文件|本子|东西)"
    r"|把(?:我们?的?)?(?:材料|资料|证件|文件|本子|东西)[^,.;!?，。；！？]{0,3}?[摔扔甩丢砸撕]"
    r"|(?i:\b(?:threw|throws|throwing|tossed|flung)\s+(?:my|our|the)?\s*(?:papers|documents|materials))"
)
TURN_WORDS: tuple[str, ...] = (
    "但", "却", "还是", "仍", "可是", "结果", "非要", "硬要", "非让", "偏要", "又要", "又让", "后来",
    "but ", "still", "later", "then ",
)
# … and after the turn a demand: "没有要求提交证明，结果还是要" (not "but we waited two hours").
TURN_DEMAND_WORDS: tuple[str, ...] = ("要", "让", "交", "开", "ask", "want", "demand", "requir", "insist")
# A grumble about being sent back and forth, with nothing concrete and no proof named, may well be about
# proofs: it is vague (ask for the specifics, R5 Art.8(1)), not out of scope.
RUNAROUND_WORDS: tuple[str, ...] = (
    "跑了", "跑断腿", "来回跑", "跑来跑去", "好几趟", "几趟", "刁难", "办不成", "没办成", "没给我办",
    "不给办", "办事难", "办事太难", "推来推去", "踢皮球", "runaround", "sent me back", "back and forth",
)
# An English certificate right after a verb of applying is what was applied for, not a proof demanded
# ("went to renew my social security card").
APPLIED_FOR_PATTERN = re.compile(
    r"(?i)\b(?:renew|renewing|replace|replacing|reissue|apply for|applied for|applying for)\s+"
    r"(?:(?:my|a|the|our|his|her|their)\s+)?(?:[a-z]+\s+){0,3}?(?:card|licence|license|passport|permit)\b"
)
# A document followed by a penalty is the matter of the complaint, not a proof demanded (营业执照被吊销).
PENALISED_PATTERN = re.compile(r"^[^,.，。]{0,3}?被(?:吊销|注销|撤销|扣押|扣留|没收|收回)")
PENALISED_BEFORE_PATTERN = re.compile(r"(?:吊销|注销|扣押|扣留|没收|收回)(?:了|我的|我们的|我)?$")
# … and so is one the unit would not give (收费不给发票, 开个发票都不给开: a fee's matter), or a survey of
# the service (满意度调查表): no proof of the person's.
NOT_GIVEN_PATTERN = re.compile(r"^(?:都|也|就|还)?(?:不给开|不给我开|不开|没给开|没开|拒开|不肯开)")
NOT_GIVEN_BEFORE_PATTERN = re.compile(
    r"(?:不给|不开|没给|没开|拒开|不肯开|不愿开)(?:开)?(?:个|张|1张)?(?:发票?)?$"  # (+ the word's start)
)
NOT_A_PROOF_PAPER: tuple[str, ...] = ("满意度", "问卷", "评价表", "投诉")
# A named paper ending like a proof's name (体检报告, 评估报告, 情况说明, 申请表) is a document demanded.
DOCUMENT_PATTERN = re.compile(
    r"[\u4e00-\u9fff]{1,4}(?:报告|情况说明|申请表|登记表|审批表|体检表|鉴定书|意见书|查询结果|回执|复印件|证明书"
    r"|调查表|评估表|情况表|申报表|核实表|鉴定表|信息表|确认表|鉴定结论|鉴定|判决书|裁定书|调解书|裁决书"
    r"|审核表|推荐表|考核表|明细表|一览表|保证书|申请书|说明书|声明书|同意书|委托书|确认书|推荐信|介绍信|证明信"
    # papers handed in that prove a payment or a cover (交强险保单, 完税凭证, 契税票, 购房发票)
    r"|保单|保险单|凭证|凭据|票据|发票|收据|单据|税票)"
    # a paper named in title marks (《职工住房情况审核表》) that is not a law or a notice
    r"|《[^》]{2,20}(?:表|书|单|报告|证明|说明|函|信|册)》"
    # a contract handed in (劳动合同), not one ended or signed (解除劳动合同 is the matter of a dispute)
    r"|(?<!解除)(?<!终止)(?<![签订])(?:劳动|购房|租房|买卖|聘用)合同"
)

# A proof named by what it proves ("印鉴证明", "让我开户籍证明" → 户籍证明): the two to four characters before
# 证明, cut after the last of these (verbs, measure words, particles), are its name when two or more are left
# ("到处要证明", "各种证明", "开个啥证明" name none).
NAMED_PROOF_PATTERN = re.compile(r"([\u4e00-\u9fff]{1,4})证明")
NOT_A_PROOF_NAME = (
    "开要交个些的种点张份啥么什让叫去来给出具提供补办写盖还都也就再又无免没不说是和或与及这那哪各堆多证"
)
# A certificate, licence, card or booklet someone was told to bring or show ("非要我带土地证", "出示船员证"):
# any name, as long as a verb of handing over comes right before it (not 证明: see above; not 拿到卡).
HANDED_OVER_PATTERN = re.compile(
    r"(?:带|交|拿|攞|提供|提交|出示|复印|缺|补交|递交|上交)(?:了|上|着|齐|来|去|回|返|过来)?"
    r"(?:[一1两2三3]?[个张本份]|我的|家里的|你的|他的|她的|孩子的|父母的|老人的|原来的|之前的)?"
    # (not 交工本费, 提供银行卡号)
    r"(?![到得])([\u4e00-\u9fff]{1,5}?(?:证书|证(?!明)|执照|本子|本|卡))(?![费钱号])"
)
# Shown to staff, a paper's name starts after these ("还要存折复印件" → 存折复印件, "出具的体检报告" →
# 体检报告); 交/出/开/提/补 are kept, as they begin names too (交通事故情况说明, 出生医学证明).
DOCUMENT_CUE_TRIM = "要求个些的种点张份啥么让叫去来给具写还都也就再又和或与及这那哪各我你他她们非得先须需做"
# A concrete document someone was asked for (the generic "证明"/"材料" alone is not concrete).
DOCUMENT_WORDS: tuple[str, ...] = (
    "无犯罪记录证明", "无犯罪证明", "户籍证明", "亲属关系证明", "居住证明", "收入证明", "在职证明",
    "工作证明", "婚姻状况证明", "未婚证明", "单身证明", "死亡证明", "出生医学证明", "出生证明",
    "学历证明", "无房证明", "房产证明", "完税证明", "纳税证明", "社保缴费证明", "参保证明", "缴费证明",
    "退休证明", "健康证明", "贫困证明", "低保证明", "经营场所证明", "住所证明", "租赁合同", "营业执照",
    "离职证明", "体检证明", "诊断证明", "婚育证明", "火化证明", "村委会证明", "居委会证明", "社区证明",
    "派出所证明", "银行流水", "资信证明", "行驶证", "公证书", "公证", "生存证明", "活着的证明",
    "无犯罪记录",
    # what people call them (房本 for the property certificate, 结婚本, 驾照 …)
    "房本", "红本", "绿本", "结婚本", "离婚本", "户口页", "驾照", "行驶本", "车本", "毕业本",
    "月结单", "结单", "雇主信", "行车证",  # Hong Kong and Taiwan names
    "身份证", "户口本", "户口簿", "结婚证", "离婚证", "房产证", "不动产权证", "社保卡", "驾驶证",
    "毕业证", "学位证", "准生证", "残疾证", "独生子女证", "复印件", "原件", "盖章", "公章",
    "certificate", "licence", "license", "permit", "copy", "copies", "card", "record",
    "proofof", "criminalrecord", "householdregister", "birthcertificate", "marriagecertificate",
    "statement", "declaration", "affidavit", "slip", "sheet", "lease", "power of attorney",
    "hukou", "judgment", "judgement", "ruling", "report", "payslip", "receipt", "invoice",
    "diploma", "letter", "transcript", "stamp", "form", "deed", "agreement", "contract",
)

# R1 Art.8: refusing an e-licence is demanding a proof.
E_LICENCE_WORDS: tuple[str, ...] = (
    "电子证照", "电子营业执照", "电子版", "电子身份证", "电子驾驶证", "电子社保卡", "电子结婚证",
    "手机上", "爱山东", "证明直通车",
)
REFUSAL_WORDS: tuple[str, ...] = (
    "不认", "不接受", "不承认", "拒绝", "不行", "不能用", "不予", "只认", "只要纸质", "必须纸质",
    "不给办", "不让用", "无效",
)

# The service the complainant was applying for.
SERVICE_WORDS: tuple[str, ...] = (
    "办理", "申请", "登记", "许可", "报销", "落户", "迁户", "户口迁移", "过户", "开户",
    "补办", "换证", "入学", "退休", "注册", "变更", "提取", "贷款", "备案", "年检", "审验", "领取",
    "认定", "缴费", "参保", "转移", "结婚", "离婚", "护照", "签证", "通行证", "上户", "上牌", "开办",
    "资质", "低保", "救助", "补贴", "报名", "办证", "审批", "认证", "养老金", "公积金", "津贴", "抚恤",
    "申领", "补助", "招生", "转学", "验车",
    "apply", "applied", "application", "licence", "license", "permit", "register", "enrol", "account",
    "registration", "registry", "pension", "allowance", "benefit", "passport",
    "withdraw", "reimburs", "subsid", "inherit", "marriage", "marry", "renew", "replace", "transfer",
    "retire", "enrolment", "enrollment", "settlement",
)

TIME_PATTERN = re.compile(
    r"\d{4}\s*年|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"
    r"|\d{1,2}\s*[日号](?![窗楼柜台])|\d{1,2}\s*[:：]\s*\d{2}|[一二三四五六七八九十]{1,3}月"
    r"|上午|下午|中午|早上|晚上|昨天|前天|今天|上周|本周|这周|上个月|本月|这个月|今年|去年|年初|年底|月初|月底"
    r"|前几天|前[2两]天|这[2两]天|大前天|昨儿|上礼拜|上星期|上个礼拜|上个星期"
    r"|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|\d+\s*(?:天|日|周)前"
    r"|(?i:\b(?:yesterday|today|last\s+week|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?|morning|afternoon|(?:19|20)\d{2}|\d{1,2}\s+may|may\s+\d{1,2})\b)"
)

# Where it happened: the intake asks for it (a hall, a counter, a website); the screening does not judge it.
PLACE_PATTERN = re.compile(
    r"窗口|中心|大厅|柜台|局|所|站|处|科|银行|医院|学校|街道|社区|村|路|街|网上|线上|app|"
    r"window|counter|office|centre|center|hall|bureau|station|branch|online|street|road",
    re.IGNORECASE,
)

# R5 Art.4(2): the catalogue (用证事项清单) is named.
CATALOGUE_WORDS: tuple[str, ...] = (
    "清单", "事项目录", "证明目录", "exemption list", "published list", "the list", "catalogue", "catalog",
    "免提交", "免于提交",
    "用证事项",
    "exemptionlist", "exemptlist", "exempt",
    "no-proof list", " list ", " list,", " list.",
)

# The list named is `list_not_followed` only when the complaint is about the list itself, not when it only
# cites the list as the reason a named proof should not have been demanded (that is `demanded_proof`:
# "still demanded a proof … directly or indirectly"): the unit does not apply the list at all (不执行清单,
# 没有按清单执行, the complainant asks it to 按清单办理, an old list/rule/guide still used, the list never
# received, a system not connected) …
LIST_IGNORED_PATTERN = re.compile(
    # asked for, or said not done ("请按清单办理", "没有按清单执行") — not "按清单是部门核验" (citing it)
    r"(?:要求|(?<![申邀提聘])请|希望|应当|应该|没有|没|不|未)[^,.;!?，。；！？]{0,6}?(?:按|依|按照|依照|遵照)"
    r"[^\s,.;!?，。；！？]{0,10}?(?:清单|事项目录|证明目录)"
    r"|(?:按|依|按照|依照|遵照)(?:新出的?|新的|公布的|免证明的?|无证明(?:城市)?的?)?[^\s,.;!?，。；！？]{0,4}?"
    r"(?:清单|事项目录|证明目录)(?:来|执行|办理|办|落实|操作|受理|处理|用|通过)"
    r"|(?:执行|落实|遵守|更新)[^\s,.;!?，。；！？]{0,8}?(?:清单|事项目录|证明目录)"
    # (清单是清单，我们是我们)
    r"|(?:清单|目录)(?:形同虚设|白写|成了摆设|是摆设|没用|不管用|不算数|是清单|归清单)"
    r"|(?:老|旧)的?(?:版的?)?(?:材料)?(?:清单|规定|办法|目录|办事指南|规矩|做法|那一?套|流程)"
    # a guide still asking for it (not one cited as lacking it too: "清单和办事指南里都没有这个报告")
    r"|(?:办事指南|服务指南|招生简章)(?![里上中内]?(?:也|都|均|根本|压根)?(?:没有|没|未|不含|不包括|找不到))"
    # the way things were done before the list (按原来的要房产证, 照以前的规矩来)
    r"|(?:按|照|依|沿用|还是|仍)(?:着|照)?(?:原来|以前|过去|之前|从前)的?(?:规矩|规定|办法|做法|那一?套|流程|老路)"
    r"|(?:按|照)(?:着|照)?(?:原来|以前|过去|之前|从前)的(?=要|来|收|办)"
    r"|(?:还是?|仍然?|照样)按(?:原来|以前|过去)的?"  # (还按原来的要房产证: the old way)
    r"|(?:根本|就是|压根)?不执行"
    r"|(?:没|未|没有)(?:对接|联网)"
    r"|(?:未|没|没有)(?:收到|接到)[^,.;!?，。；！？]{0,8}?(?:清单|通知|文件)"
    r"|(?:没|未|没有)(?:有)?落实|不知道(?:有)?(?:这个|这份)?(?:清单|目录)|照旧|老一套|还是老样子"
    r"|(?:清单|目录)[^,.;!?，。；！？]{0,10}?(?:不管|不归|不适用|管不着)"
    r"|不适用[^,.;!?，。；！？]{0,8}?(?:清单|事项目录|证明目录)"  # 今年不适用免提交清单
    # the list's commitment asked to be applied (收入情况按承诺办理, 请按告知承诺受理)
    r"|(?:按|依|按照|依照)(?:告知|信用|个人)?承诺制?(?:办理|受理|办|来|执行|处理)"
    # the list never sent down or not applied, told after it (清单没下来, 清单没通知到他们, 清单…还不执行)
    r"|(?:清单|目录)[^,.;!?，。；！？]{0,6}?(?:还)?(?:没|没有|未)(?:下来|下发|下达|传达|通知|到)"
    r"|(?:清单|目录)[^,.;!?，。；！？]{0,12}?(?:不执行|没执行|没有执行|未执行|不落实|没人执行)"
    r"|(?i:never\s+heard\s+of\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}(?:list|catalogue)"
    r"|(?:list|catalogue)\s+(?:does\s+not|doesn't|did\s+not|didn't)\s+apply|not\s+apply\s+it)"
    r"|(?i:\b(?:follow|apply|implement|ignor)\w*\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:published\s+|exemption\s+|no-proof\s+)?(?:list|catalogue))"
)
# … or the list's own way for the proof, the applicant's commitment, was refused (告知承诺, 签了承诺书).
# A commitment refused or made, in the clause that names it: the list's way not followed, whoever cites it.
COMMITMENT_REFUSED: tuple[str, ...] = ("拒绝", "不认", "不接受", "不采用", "不让", "签了", "已签", "愿意")
COMMITMENT_WORDS: tuple[str, ...] = (
    "告知承诺", "承诺制", "承诺替代", "承诺书", "改为承诺", "改成承诺", "个人承诺", "信用承诺", "承诺即办",
    "愿意承诺", "commitment", "signed declaration", "signeddeclaration",
)

# A certificate that is what the person applied for (办身份证, 补办社保卡, 驾驶证换证) is the service, not a
# proof demanded: a complaint whose only proof words are such certificates, that names a grievance of
# another kind (a fee, a queue, manners, opening hours) and demands nothing, is out of scope (R5 Art.8(4)).
APPLIED_FOR_CN_PATTERN = re.compile(
    r"(?:办理?|补办|补领|换领|申领|新办|续办|领取|换|补)(?![交开充齐上拿带提给])(?:个|张|本|了|新)?"
    r"[\u4e00-\u9fff]{0,4}?(?:证|执照|卡|护照|户口簿|户口本)"
    r"|[\u4e00-\u9fff]{1,5}?(?:证|执照|卡|护照)(?:换证|补证|补办|补卡|换卡|换领|到期|过期|年检|年审|续期)"
    # "咨询营业执照办理": the licence is the service — not one held to do something (凭身份证办理)
    r"|(?<![持凭带拿用携交供])[\u4e00-\u9fff]{1,8}?(?:证|执照|卡|护照)的?(?:办理|申办|申领)"
)
OTHER_GRIEVANCE_WORDS: tuple[str, ...] = (
    "收费", "费用", "工本费", "太贵", "贵了", "排队", "叫号", "取号", "态度", "玩手机", "不耐烦", "呵斥",
    "不上班", "不办公", "不开门", "空调", "停车", "座位", "打不通", "占线", "故障", "坏了", "网站", "利率",
    "太低", "太慢", "预约", "拍照", "照相", "热线", "打不进", "没人接", "厕所", "卫生间", "效率低", "服务差",
    "划片", "报销比例", "待遇", "说话难听", "大声",
    "fee", "queue", "rude", "waited", "parking", "air conditioning", "website", "closed", "opening hours",
)
# … unless something is demanded of the person: a demand verb before a thing to bring.
DEMAND_PATTERN = re.compile(
    r"(?:要求|让我|让我们|叫我|非要|非让|必须|得先|还得|还要)[^,.;!?，。；！？]{0,8}?"
    r"(?:提供|提交|交|开|出具|打印|带|拿|补|填|盖)"
    r"|(?i:\b(?:asked|required|demanded|wanted|told)\b)"
)

# The no-proof programme itself named ("说是无证明城市"): with nothing concrete, vague, not out of scope.
PROGRAMME_WORDS: tuple[str, ...] = ("无证明城市", "无证明", "no-proof city", "proof-free city")

# R5 Art.4(3): materials not checked in time.
VERIFICATION_WORDS: tuple[str, ...] = (
    "核验", "审核", "核查", "协查", "查验", "比对", "审查", "核实", "调查", "函询", "复核", "核对",
    "代查", "查完", "函查", "发函", "外调", "核定", "待核",
    "verify", "verified", "verification", "checking", "check with", "be checked", "investigat",
    "check of", "check on", "checks on", "been checked", "review of", "to check", "must check",
    "check my", "check our", "check his", "check her", "check the", "confirm", "confirmation",
)
DELAY_WORDS: tuple[str, ...] = (
    "超过", "超期", "逾期", "迟迟", "拖了", "拖着", "一直没", "一直不", "还没", "至今", "没有结果",
    "没结果", "没有回复", "没回复", "等了", "久拖", "好几天", "多天", "未完成", "没有完成",
    "时限", "不及时", "太慢", "没动静", "没有动静", "仍显示", "仍然", "还在等", "在等", "等待", "没下文",
    "没有下文", "石沉大海", "一直在", "好几周", "几个星期", "两个月", "几个月",
    "still", "no result", "no answer", "waiting", "nothing has happened", "weeks", "no reply", "not finished",
    "一直显示", "还显示", "还是显示", "pending",
    "没回音", "没有回音", "没消息", "没有消息", "没音信", "杳无音信", "no news", "no word", "heard nothing",
    "一等就是", "days ago", "weeks ago", "months ago", "days later", "weeks later", "months later",
    "days have passed", "not yet", "has not been", "have not been",
    "没信儿", "没个信", "没有信儿", "没音讯", "等到现在", "等到今天", "等到如今",
)
# "Not yet" said of the list being applied (区里还没有执行清单, 至今没落实) is not a check waited on.
NOT_YET_APPLIED_PATTERN = re.compile(
    r"(?:还|仍|仍然|至今|一直)(?:还)?(?:没有?|未|不)(?=(?:执行|落实|按|依照|照着?|对接|联网|收到|接到|下发|更新|实行))"
)
# Waiting told as a span ("两个多月", "1个月了", "过去了3周"): matched on the normalised text.
DELAY_PATTERN = re.compile(
    r"(?:\d+|[一二两三四五六七八九十几多])个多?(?:月|星期|礼拜|工作日)(?!以?内)|过去了?\d+(?:天|周)|\d+天了"
    r"|(?:[2-9]|\d{2,}|[二两三四五六七八九十几多])(?:周|个多?星期|个多?礼拜)(?!以?内)"  # not 折腾了一周
    r"|(?:its|ithas|ithad)been(?:a|an|one|two|three|four|five|six|several|many|few|over|almost|nearly|\d+)+"
    r"(?:day|week|month)"  # English "it's been a month" (normalised: no spaces)
)
# A check told by its verb alone ("档案要核，核了两个月"): 核 waited on or under way (not 核发, issuing).
VERIFICATION_PATTERN = re.compile(
    r"(?:要|在|还在|正在|等着?)核(?![发准定])|核(?:了|完|着|中|一下|一核|查一下|实一下)|(?:查|对)一下(?:我|他|她|家|名下)"
)
# The complainant says this very complaint was already filed and is being handled (R5 Art.8(2)).
REPEAT_CUES: tuple[str, ...] = (
    "已经投诉过", "已投诉过", "投诉过一次", "同一件事", "和上次一样", "与上次一样", "再投诉一次", "重复投诉",
    "同样内容", "同样的内容", "第二次投诉", "第三次投诉", "第五次提交", "每天都投诉", "每天提交",
    "已受理正在处理", "已受理,正在", "same complaint", "complained before", "already complained",
    "再次投诉", "同一事项", "上次投诉", "上回投诉", "再投一次", "已投诉", "天天投", "再投",
    "投了好几次", "投了几次", "你们已经受理",
)
# … nor one said to be about another matter ("上次投诉的…，这次是另一个事").
ANOTHER_MATTER_PATTERN = re.compile(
    r"另(?:一|外一?)(?:个|件)(?:事|问题)|不是同一(?:个|件)|新的事情|(?i:a different matter)"
)
# … not a threat to complain again later ("不解决我还会再投诉", "准备再投到热线"), nor the channel this very
# complaint came through ("已投诉到12345，转过来的"): R5 Art.8(2) is about one filed before.
REPEAT_FUTURE_WORDS: tuple[str, ...] = ("会", "准备", "打算", "将", "还要", "要", "想", "如果", "否则")
REPEAT_FUTURE_WINDOW = 4
REPEAT_CHANNEL_PATTERN = re.compile(r"已(?:经)?投诉(?:到|至|给)")
# "Same matter" is a repeat only with a complaint named near it ("同一事项已投诉"), not "邻居也遇到同一件事".
SAME_MATTER_CUES: tuple[str, ...] = ("同一件事", "同一事项", "同样内容", "同样的内容")
COMPLAINT_WORDS_PATTERN = re.compile(r"投诉|反映|举报|信访|投过|投了")
SAME_MATTER_WINDOW = 15
# fmt: on

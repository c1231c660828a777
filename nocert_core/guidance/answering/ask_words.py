"""How questions are put, as ask.py reads them: interrogative placeholders, a relative who passed away,
applying, an office that issues a proof, who told the person, which services or kinds are asked, where."""

from __future__ import annotations

import re

LEADING_VERBS = frozenset(["", "开", "去开", "想开", "要开", "办", "申请", "申请开"])
# Interrogative placeholders ("买房提公积金能少带啥证明"): they ask which proofs, they name none.
# (啥子, 么子, 么个: "what" in south-western and Hunan/Jiangxi speech; 单子: a paper, as people call one)
PLACEHOLDER = re.compile(
    r"(啥子|么子|么个|啥|什么|哪些|哪几样|哪几种|哪几个|哪样|哪种|几样|多少)(样|种|个|些)?的?"
    r"(证明|证件|证照|证书|材料|资料|东西|手续|文件|单子|证)"
)
# A relative who "went" or "is gone" (我爸上个月走了, 老伴没了) died: the death's services, not leaving.
PASSED_AWAY = re.compile(
    r"(爸|妈|父亲|母亲|爷爷|奶奶|姥姥|姥爷|外公|外婆|老伴|丈夫|妻子|老公|婆婆|公公|岳父|岳母|老人|老爷子|老太太"
    r"|对象|爱人|媳妇|老婆|爹|娘|儿子|女儿|闺女|孩子|哥哥|姐姐|弟弟|妹妹|大伯|叔叔|舅舅|姑姑)"
    # (…not one who went somewhere: 孩子去外地上学走了, 老公出差走了)
    r"((?:(?!去(?!年|世)|到|回|出差|出门|上学|打工|读书)[\u4e00-\u9fff]){0,12}?)(?:走了|没了|不在了)"
)
DEATH = "死亡"
SERVICE_CUES = ("办", "申请", "申领", "登记", "认定", "注册", "许可", "备案", "补贴", "提取", "报名", "审批")
# The person applies for what the service issues (注册公司 is setting one up; 建造师注册 names the service).
APPLYING = re.compile(
    r"办(?!事|公)|申请|申领|领取|考|注册(?=个?(?:有限|公司|企业|个体))|设立|开办"
    r"|开(?:个|家|间)?(?=个体|公司|企业|店|饭店|餐馆|超市|诊所|药店|网店|工作室)"  # (opening a business)
)
# Going to an office to have a proof issued (跑税务局开, 去派出所开, 到医院打印): the office names the proof's
# issuer, not the service — its words must not find (or fail to find) a service.
ISSUER = re.compile(
    r"(跑|去|到|找|回)(?:一?趟)?([\u4e00-\u9fff]{0,4}?(?:局|所|处|医院|中心|村委会|居委会|村里|社区|学校|小学|中学|单位))"
    r"去?(开|打印|盖章)"  # (回原来小学去开: the old school issues the proof)
)
# "Do I still have to go to the office and get X" (还要去公证处办公证书吗): 办 there is having X issued (开).
STILL_GET = re.compile(
    r"((?:还要|还得|还需要?|要不要|用不用|还用)(?:跑|去|到|找)(?:一?趟)?[\u4e00-\u9fff]{0,4}?(?:局|所|处|中心))办"
)
# An office or party "over there" (学校那边, 社区这边, 中介那边): who told the person, not a service.
VENUE = re.compile(
    r"(?:学校|社区|村里|村委会?|居委会|窗口|单位|中介|医院|派出所|[\u4e00-\u9fff]{0,4}?(?:局|中心|公司|厂|大厅))"
    r"(?:那边|这边|那儿|那里)"
    # (村里说…, 学校群里说…: who told the person)
    r"|(?:村里|村委会?|居委会|社区|镇上|街道|学校|单位|医院)(?:群里|老师|领导)?(?=说|讲|让|通知|要求)"
)
ASKS_WHICH = re.compile(r"什么|啥|么子|么个|哪些|哪几|哪样|多少")  # (能少带什么: the list is what is asked)
WHICH_KIND = re.compile(r"(哪些|哪个|什么|啥)(许可|审批|登记|业务|补贴|津贴|补助|待遇)")
WHICH_SERVICES = re.compile(r"(哪些|哪个|什么|啥)(地方|部门|单位|事项|业务|事|窗口|场合|服务)")
WHERE = re.compile(
    r"(哪些|哪里|哪儿|哪个|什么|啥)(地方|部门|单位|事项|业务|事|窗口|场合|情况|服务)|哪里|哪儿|哪些地方|在哪"
)

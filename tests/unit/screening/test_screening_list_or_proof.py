"""Screening, session 6 (issue 8): when a complaint that names the exemption list is about the list itself
(`list_not_followed`) and when it is about a proof still demanded (`demanded_proof`) — a made-up city,
worded unlike any evaluation set."""

from __future__ import annotations

import pytest

from tests.unit.screening.demo_register import screen


def test_a_named_proof_with_the_list_cited_as_the_reason_it_was_not_needed_is_a_demanded_proof() -> None:
    result = screen(
        "办个体户变更，窗口非要营业执照正本",
        "目录清单里执照是电子调取的，他们自己能查到",
        "2025年2月3日上午在奎文区审批局",
    )
    assert (result.admissible, result.category) == (True, "demanded_proof"), result
    assert "营业执照" in result.cues["demanded_proof"]


def test_an_english_proof_demanded_with_the_list_cited_is_a_demanded_proof() -> None:
    result = screen(
        "They wanted a paper copy of my divorce certificate to change the car owner",
        "According to the list it is read from shared data",
        "On 9 January 2025 at the vehicle office",
        agency="Weifang vehicle administration office",
    )
    assert result.category == "demanded_proof", result


@pytest.mark.parametrize(
    ("demand", "reasons", "cue"),
    [
        ("办低保时还是照老规定收一摞材料", "清单出来都快一年了", "老规定"),
        ("窗口说根本没收到清单", "所以户口本复印件照收不误", "没收到清单"),
        ("婚姻登记处的服务指南还写着要带户口本原件", "和公布的清单对不上", "服务指南"),
        ("请贵单位按清单给我们办", "孩子报名时让交户口本复印件", "按清单"),
        ("The counter ignored the exemption list", "they still wanted my hukou booklet", "ignored the"),
        # (session 8) the old way kept, the list not come down, not applying to them, not carried out
        ("学校还按原来的收房本复印件", "清单发了好久了", "按原来"),
        ("说清单还没下来，房本照收", "清单公布三个月了", "没下来"),
        ("窗口说今年不适用这个清单", "户口本复印件还是要", "不适用"),
        ("下面窗口根本不执行", "清单写着户口本不用交", "不执行"),
    ],
)
def test_a_unit_said_not_to_apply_the_list_at_all_is_list_not_followed(
    demand: str, reasons: str, cue: str
) -> None:
    result = screen(demand, reasons, "2025年3月10日在奎文区民政局")
    assert result.category == "list_not_followed", result
    assert any(cue in word for word in result.cues["list_not_followed"]), result.cues


def test_a_commitment_the_list_allows_refused_is_list_not_followed() -> None:
    result = screen(
        "领困难补助要社区开收入证明",
        "清单上这项改成告知承诺了，承诺书我都签好了，窗口不收",
        "2025年4月1日在奎文区民政局",
    )
    assert result.category == "list_not_followed"
    assert any("承诺书" in cue for cue in result.cues["list_not_followed"])  # 承诺书我都签好: signed, refused


@pytest.mark.parametrize(
    "reasons",
    [
        "清单上写了收入证明告知承诺就行",
        "目录清单里这项已经改为承诺制",
        "The list says a commitment is enough",
    ],
)
def test_a_commitment_the_list_provides_cited_as_the_reason_keeps_the_proof_demanded(reasons: str) -> None:
    # (session 8: the list's commitment is why the proof was not needed — R5 Art.4(1), not the list ignored)
    result = screen("领困难补助要社区开收入证明", reasons, "2025年4月1日在奎文区民政局")
    assert result.category == "demanded_proof", result


def test_a_commitment_without_the_list_named_keeps_the_proof_demanded() -> None:
    result = screen("领困难补助要社区开收入证明", "可以签承诺书的", "2025年4月1日在奎文区民政局")
    assert result.category == "demanded_proof"


def test_a_complaint_that_the_list_is_not_applied_names_its_matter_and_is_admissible() -> None:
    # no proof and no service named, but what it is about is concrete: the list itself, ignored
    result = screen(
        "窗口称没接到通知，不执行无证明城市清单", "清单公布半年了，还是按旧办法收东西", "2025年5月6日"
    )
    assert (result.admissible, result.category) == (True, "list_not_followed"), result
    assert "document" not in result.missing


# What is a proof demanded, and what is not (session 6).


def test_an_appraisal_demanded_again_is_a_proof_demanded_not_out_of_scope() -> None:
    result = screen(
        "领工伤待遇要我再去医院做一次伤残等级鉴定", "劳动能力鉴定结论早就有了", "2025年6月2日在市社保中心"
    )
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


def test_a_form_to_fill_in_and_have_stamped_is_a_document_demanded() -> None:
    result = screen("让我填《困难家庭收入申报表》再找村里盖章", facts="2025年2月17日申请临时救助")
    assert result.category == "demanded_proof"
    assert any("申报表" in word for word in result.cues["document"])


def test_an_english_cue_inside_another_word_is_not_a_cue() -> None:
    # "form" in "platform", "card" in "discard": a broken website is not about proofs
    result = screen(
        "none",
        "The booking platform keeps freezing and I discard every attempt. Please repair the website.",
        "Every night in the week of 3 November 2025.",
        agency="city social security centre",
    )
    assert result.grounds == ["out_of_scope"], result


def test_a_pile_of_things_demanded_with_nothing_concrete_is_vague_not_out_of_scope() -> None:
    result = screen("一大堆东西", "去年办点事要准备一大堆东西，太麻烦", "去年")
    assert (result.grounds, result.category) == (["vague"], "other"), result


@pytest.mark.parametrize("demand", ["工作人员把我的材料甩回来，说话很冲", "窗口那位嫌我问得多，直接扔材料"])
def test_a_clerk_throwing_the_materials_back_is_about_manners_not_proofs(demand: str) -> None:
    result = screen(demand, "要求批评教育", "2025年1月8日上午三号窗口")
    assert result.grounds == ["out_of_scope"], result
    assert any("材料" in word for word in result.cues["out_of_scope"])  # the words it set aside


def test_an_english_check_of_a_record_still_pending_is_late_verification() -> None:
    result = screen(
        "the check of my employment history for the transfer has not been done",
        "over 40 days have passed",
        "applied on 3 March 2025, still pending in April",
        agency="city social security centre",
    )
    assert result.category == "verification_late", result


def test_a_contract_handed_in_is_a_document_but_a_contract_ended_is_the_matter_of_a_dispute() -> None:
    handed_in = screen("办公积金贷款让我再交一份购房合同", facts="2025年4月9日")
    dispute = screen("要求单位赔钱", "公司违法解除劳动合同，我已申请劳动仲裁", "2025年4月")
    assert handed_in.category == "demanded_proof"
    assert (dispute.grounds, dispute.category) == (["litigation"], "other"), dispute


# Vague, out of scope or a late check (session 6).


def test_the_no_proof_programme_named_with_nothing_concrete_is_vague_not_out_of_scope() -> None:
    result = screen("", "这个无证明城市根本就是说说而已")
    assert result.grounds == ["vague"] and "无证明城市" in result.cues["vague"]


def test_a_generic_word_for_formalities_is_not_a_service_named() -> None:
    result = screen("一大堆手续", "手续多得很，折腾死人", "上个月")
    assert result.grounds == ["vague"] and "-service" in result.cues["vague"]


def test_a_check_with_no_answer_for_over_a_month_is_late_and_needs_no_proof_named() -> None:
    result = screen(
        "", "中心说要发函去外省核实我的缴存记录，一个多月没回音", "2025年7月", agency="市公积金中心"
    )
    assert (result.admissible, result.category) == (True, "verification_late"), result


@pytest.mark.parametrize(
    "reasons",
    ["补办居民身份证收的工本费比外地贵", "换驾驶证的窗口中午不办公，白跑一趟", "办社保卡排队排了一上午"],
)
def test_a_fee_queue_or_hours_for_the_certificate_applied_for_is_out_of_scope(reasons: str) -> None:
    result = screen("无", reasons, "2025年3月3日上午")
    assert result.grounds == ["out_of_scope"], result


def test_a_certificate_applied_for_with_a_proof_also_demanded_is_admissible_and_shows_that_proof() -> None:
    result = screen("", "补办身份证排队一上午，最后还让我回村里开户籍证明", "2025年3月3日上午")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result
    assert result.cues["demanded_proof"] == ["户籍证明"]


def test_an_inquiry_by_letter_unanswered_for_months_is_late_verification_in_traditional_script() -> None:
    result = screen("", "地政機關說要發函查證，等了三個多月", "2025年1月送件")
    assert (result.admissible, result.category) == (True, "verification_late"), result


@pytest.mark.parametrize(
    "demand",
    [
        "the original hospital report before they would pay me back",
        "three months of payslips and a stamped receipt",
        "a letter from my employer",
    ],
)
def test_an_english_report_payslip_or_letter_demanded_is_a_proof_demanded(demand: str) -> None:
    result = screen(
        demand, "", "On 4 June 2025 at the medical insurance counter", agency="medical insurance office"
    )
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


def test_english_red_tape_with_nothing_concrete_is_vague_not_out_of_scope() -> None:
    assert screen("", "So much red tape in this town, fix it.").grounds == ["vague"]


def test_an_english_check_the_unit_must_make_with_nothing_happening_is_late_verification() -> None:
    result = screen(
        "",
        "They had to check my work history with my former employer; five weeks on, nothing has happened",
        "applied 2 May 2025",
        agency="social insurance centre",
    )
    assert result.category == "verification_late", result


def test_an_out_of_scope_advice_carries_what_the_complaint_is_about_instead() -> None:
    result = screen("批评窗口", "排队两个小时，工作人员还玩手机", "2025年2月10日上午")
    assert result.grounds == ["out_of_scope"]
    assert {"排队", "玩手机", "-proof"} <= set(result.cues["out_of_scope"])  # -proof: no proof demanded


@pytest.mark.parametrize(
    ("demand", "agency"),
    [
        ("分户时民警非要法院的离婚判决书原件", "城关派出所"),
        ("离职提取让我交劳动仲裁委的裁决书", "市公积金中心"),
        ("to split our household they asked for the court's divorce ruling", "city police station"),
    ],
)
def test_a_court_or_arbitration_document_demanded_is_a_proof_not_litigation(demand: str, agency: str) -> None:
    result = screen(demand, "", "2025年5月6日上午", agency=agency)
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


def test_a_lawsuit_the_complainant_started_stays_litigation_when_its_judgment_is_mentioned() -> None:
    result = screen("继承登记要亲属关系证明", "我已经起诉了，法院判决书还没下来", "2025年5月")
    assert result.grounds == ["litigation"]


@pytest.mark.parametrize(
    "reasons",
    [
        "要我开户籍证明，这回不给解决，我还会再投诉",
        "要我开户籍证明，我准备再投到市长热线",
        "要我开户籍证明，我已投诉到12345，这是转过来的",
    ],
)
def test_a_threat_to_complain_again_or_the_channel_used_is_not_a_repeat(reasons: str) -> None:
    result = screen("户籍证明", reasons, "2025年6月3日在城关派出所")
    assert (result.admissible, result.grounds) == (True, []), result


@pytest.mark.parametrize(
    "reasons", ["不交证明就不给认证，老人腿脚不好", "窗口说没有盖章的材料就不受理我的申请"]
)
def test_a_proof_negated_as_a_condition_of_a_refusal_is_demanded(reasons: str) -> None:
    result = screen("", reasons, "2025年4月8日上午", agency="市社保中心")
    assert result.admissible and result.category == "demanded_proof", result


def test_saying_proofs_are_no_longer_needed_does_not_make_a_complaint_about_the_hall_a_proof_complaint() -> (
    None
):
    result = screen("", "现在证明都不用交了，挺好，就是大厅里冷得很", "2025年1月6日下午")
    assert result.grounds == ["out_of_scope"], result


@pytest.mark.parametrize(
    "reasons",
    [
        "退休手续说档案要核，核了快两个月",
        "说在等人社那边的核查结果，一等就是三周",
        "The office said it would verify my divorce with the registry; that was six weeks ago",
    ],
)
def test_a_check_told_by_its_verb_or_a_wait_in_weeks_is_late_verification(reasons: str) -> None:
    result = screen("", reasons, "2025年2月提交", agency="市人社局")
    assert (result.admissible, result.category) == (True, "verification_late"), result


def test_a_week_of_running_around_for_a_proof_is_not_a_late_check() -> None:
    result = screen("", "资格认定时说学历核验没通过，让我自己去开学历证明，折腾了一周", "2025年6月20日")
    assert result.category == "demanded_proof"


def test_a_unit_clearly_meant_and_the_proof_it_demanded_are_concrete_enough_without_a_date() -> None:
    named = screen("窗口非要户口本复印件", agency="奎文区民政局")
    unnamed = screen("窗口非要户口本复印件", agency="有个窗口")
    assert (named.admissible, named.category, named.missing) == (True, "demanded_proof", ["time", "service"])
    assert unnamed.grounds == ["vague"]


@pytest.mark.parametrize(
    "reasons",
    [
        "让我开亲属关系证明，再不给办我就去法院告他们",
        "让我开亲属关系证明，我保留起诉的权利",
        "让我开亲属关系证明，朋友说可以申请行政复议，我还是先来投诉",
        "They wanted a kinship certificate; if this goes on I will sue them",
    ],
)
def test_a_lawsuit_only_threatened_or_weighed_is_not_litigation(reasons: str) -> None:
    result = screen("", reasons, "2025年3月3日办理继承登记")
    assert (result.admissible, result.grounds) == (True, []), result


def test_a_lawsuit_already_filed_beside_a_threat_is_still_litigation() -> None:
    result = screen("", "让我开亲属关系证明，我已经向法院起诉了，不解决还会上诉", "2025年3月3日")
    assert result.grounds == ["litigation"]


def test_an_english_form_to_be_stamped_for_a_withdrawal_is_a_concrete_proof_complaint() -> None:
    result = screen(
        "an employer's stamp on the form",
        "No withdrawal unless the form carries my old employer's stamp, and that firm has closed.",
        "2 June 2025",
        agency="city housing provident fund centre",
    )
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


def test_short_english_cues_are_whole_words_not_letters_across_words() -> None:
    result = screen("", "For my shop they asked me to queue for two hours", "2 June 2025", agency="city hall")
    assert "form" not in result.cues.get("document", [])


@pytest.mark.parametrize("facts", ["前两天去的", "上个礼拜的事", "大前天上午"])
def test_a_recent_day_told_loosely_is_a_time(facts: str) -> None:
    assert "time" not in screen("", "要我开无犯罪记录证明", facts, agency="有个窗口").missing


def test_a_name_the_register_gives_a_unit_is_concrete_even_when_several_units_share_it() -> None:
    # 不动产中心 is the city centre's alias and fits 寿光's too: ambiguous, but a unit, not "some office"
    shared = screen("窗口非要户口本复印件", agency="不动产中心")
    assert (shared.unit, shared.admissible) == (None, True), shared
    assert screen("窗口非要户口本复印件", agency="政府部门").grounds == ["vague"]


@pytest.mark.parametrize(
    "reasons",
    [
        "清单出来半年了，这个窗口根本没落实，还是老一套",
        "窗口的人说不知道有这个清单",
        "They told me they had never heard of the exemption list",
        "窗口说没收到文件，照旧收材料，清单等于没有",
    ],
)
def test_more_ways_of_saying_the_list_is_not_applied_are_list_not_followed(reasons: str) -> None:
    # the certificate applied for (办理营业执照变更) names the service, not a proof demanded
    result = screen("", reasons, "2025年3月5日办理营业执照变更", agency="奎文区审批局")
    assert result.category == "list_not_followed", result


def test_citing_what_the_list_says_is_not_asking_for_it_to_be_followed() -> None:
    cited = screen("", "按清单说体检信息他们能查到，还是让我回医院拿纸质体检表", "2025年5月6日换驾驶证")
    asked = screen("", "请按清单办理，别再让我回医院拿纸质体检表", "2025年5月6日换驾驶证")
    assert (cited.category, asked.category) == ("demanded_proof", "list_not_followed")


def test_the_same_matter_without_a_complaint_named_is_not_a_repeat() -> None:
    other_people = screen("户籍证明", "要我开户籍证明，隔壁老王也碰到同一件事", "2025年5月6日办理落户")
    filed = screen("户籍证明", "同一件事我上个月投诉过，一直没答复", "2025年5月6日办理落户")
    assert (other_people.grounds, filed.grounds) == ([], ["repeat"])

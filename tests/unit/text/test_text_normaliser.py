"""The one normaliser: traditional, full-width and Chinese numerals compare equal; mode wordings parse."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode, certificate_key
from nocert_core.errors import ValidationFailed
from nocert_core.guidance.search.text import normalise
from nocert_core.services.screening.advice import missing_details
from nocert_core.textnorm import canonical, compact


def test_traditional_and_full_width_become_simplified_half_width() -> None:
    assert canonical("辦理駕駛證換證要帶戶口簿嗎？２０２４") == "办理驾驶证换证要带户口簿吗?2024"
    assert compact("結婚證 ＡＢ") == "结婚证ab"
    assert normalise("不動產權證書") == "不动产权证书"


def test_chinese_numerals_only_where_a_number_is_meant() -> None:
    assert canonical("等了三个月，第二次去，十五号") == "等了3个月,第2次去,15号"
    assert canonical("二〇二四年五月三日") == "2024年5月3日"
    assert canonical("问一下统一办理") == "问一下统一办理"


def test_the_traditional_particle_zhe_becomes_simplified_but_the_word_zhu_stays() -> None:
    assert canonical("每年交活著證明，帶著戶口本") == "每年交活着证明,带着户口本"
    assert canonical("著名的著作，效果顯著") == "著名的著作,效果显著"


def test_certificate_keys_agree_across_scripts() -> None:
    assert certificate_key("戶口簿") == certificate_key("户口簿")


@pytest.mark.parametrize(
    ("wording", "mode"),
    [
        ("数据共享", ExemptionMode.DATA_SHARING),
        ("信息共享", ExemptionMode.DATA_SHARING),
        ("數據查詢", ExemptionMode.DATA_SHARING),
        ("网络核验", ExemptionMode.VERIFICATION),
        ("部门间核验", ExemptionMode.VERIFICATION),
        ("电子证照调取", ExemptionMode.ASSOCIATION),
        ("容缺承诺", ExemptionMode.COMMITMENT),
        ("告知承诺制", ExemptionMode.COMMITMENT),
        ("免于提交", ExemptionMode.ABOLISHED),
        ("部门协查核验", ExemptionMode.VERIFICATION),  # compound wordings: core words of one mode
        ("个人书面承诺制", ExemptionMode.COMMITMENT),
        # "no longer submitted" added to a way names that way; alone it means abolished
        ("信息共享免于提交", ExemptionMode.DATA_SHARING),
        ("承诺后无需提交", ExemptionMode.COMMITMENT),
        ("协查核验不再提交", ExemptionMode.VERIFICATION),
        ("电子证照调用免提交", ExemptionMode.ASSOCIATION),
        ("取消该项证明", ExemptionMode.ABOLISHED),
        ("一律不需提交", ExemptionMode.ABOLISHED),
        ("免予提交", ExemptionMode.ABOLISHED),  # 免予 and 免于 are one word
        ("无需提供", ExemptionMode.ABOLISHED),
        ("共享数据比对免予提交", ExemptionMode.DATA_SHARING),
        ("属地代查", ExemptionMode.VERIFICATION),  # another office checks on the unit's behalf (R2)
        ("代为核查", ExemptionMode.VERIFICATION),
        # a fetch verb names no source: the source word beside it names the way
        ("共享库调取", ExemptionMode.DATA_SHARING),
        ("信息共享系统调用", ExemptionMode.DATA_SHARING),
        ("证照库调取", ExemptionMode.ASSOCIATION),
        ("系统调取", ExemptionMode.ASSOCIATION),
    ],
)
def test_mode_wordings_of_real_lists(wording: str, mode: ExemptionMode) -> None:
    assert ExemptionMode.parse(wording) is mode


def test_a_wording_naming_two_ways_is_refused_not_guessed() -> None:
    with pytest.raises(ValidationFailed):
        ExemptionMode.parse("电子证照或数据共享")


def test_unknown_mode_names_the_closest_known_wording() -> None:
    with pytest.raises(ValidationFailed) as caught:
        ExemptionMode.parse("数椐共亨")
    assert caught.value.params["closest"] == "数据共享"


def test_administrator_wording_is_accepted() -> None:
    extra = {compact("库表对接"): ExemptionMode.DATA_SHARING}
    assert ExemptionMode.parse("库表对接", extra) is ExemptionMode.DATA_SHARING
    with pytest.raises(ValidationFailed):
        ExemptionMode.parse("库表对接")


def test_screening_reads_traditional_dates() -> None:
    assert "time" not in missing_details("我十一月三號去辦理")
    assert "time" in missing_details("我去辦理")


@pytest.mark.parametrize(
    ("wording", "mode"),
    [
        ("证明销号", ExemptionMode.ABOLISHED),
        ("联办单位把关", ExemptionMode.VERIFICATION),
        ("守信即办", ExemptionMode.COMMITMENT),
        ("平台互通", ExemptionMode.DATA_SHARING),
        ("扫码用照", ExemptionMode.ASSOCIATION),
    ],
)
def test_an_unknown_city_coinage_is_suggested_the_way_its_words_hint_at(
    wording: str, mode: ExemptionMode
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ExemptionMode.parse(wording)
    assert ExemptionMode.parse(caught.value.params["closest"].split(" (")[0]) is mode


def test_one_off_stays_a_word_while_counts_become_digits() -> None:
    assert canonical("一次性补助") == "一次性补助"
    assert canonical("第一次办 跑了三次") == "第1次办 跑了3次"


def test_a_regional_word_is_never_replaced_into_a_doubled_character() -> None:
    # 税单 (Hong Kong: a tax slip) is 完税证明; met after 完 it is already the mainland word
    assert canonical("完税单") == "完税证明"
    assert canonical("买楼要税单吗") == "买房要完税证明吗"

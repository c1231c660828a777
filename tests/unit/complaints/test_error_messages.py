"""Domain errors reach the user in their language, with states and steps named by their labels."""

from __future__ import annotations

from nocert_core.domain.complaint_lifecycle import Action, ComplaintStatus
from nocert_core.domain.labels import error_text
from nocert_core.errors import IllegalTransition
from nocert_core.i18n import translator


def test_an_illegal_complaint_step_is_told_with_labels_not_code_values() -> None:
    t = translator("zh_Hans")
    error = IllegalTransition(status=ComplaintStatus.RESOLVED, action=Action.ACCEPT)
    text = error_text(error, t)
    assert "resolved" not in text and "accept" not in text
    assert t("accepted") in text


def test_the_english_message_reads_as_a_sentence() -> None:
    t = translator("en")
    error = IllegalTransition(status=ComplaintStatus.RESOLVED, action=Action.ACCEPT)
    text = error_text(error, t)
    assert text.startswith("Not possible while the complaint is “")
    assert "(step: accepted)" in text


def test_an_illegal_step_of_another_lifecycle_names_its_state_by_its_label() -> None:
    from nocert_core.domain.rectification import IllegalRectificationTransition, RectificationAction
    from nocert_core.domain.rectification import RectificationStatus as Notice

    t = translator("zh_Hans")
    error = IllegalRectificationTransition(status=Notice.CLOSED, action=RectificationAction.ACCEPT)
    text = error_text(error, t)
    assert "closed" not in text
    assert t("Closed after the follow-up check") in text

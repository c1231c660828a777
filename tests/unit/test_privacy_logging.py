"""Logs never carry a complainant's phone or ID number in clear text."""

from __future__ import annotations

import logging

import pytest

from nocert_core.logging import install_privacy_filter, mask_sensitive


def test_a_mobile_number_is_masked_in_text() -> None:
    assert mask_sensitive("call 13812345678 now") == "call 138****5678 now"


def test_a_landline_and_an_id_number_are_masked() -> None:
    masked = mask_sensitive("0536-8123456 / 370702199001011234")
    assert "8123456" not in masked
    assert "19900101" not in masked
    assert masked.endswith("1234")


def test_numbers_that_are_not_phones_stay_readable() -> None:
    assert mask_sensitive("TS-2026-000123 due 2026-12-02") == "TS-2026-000123 due 2026-12-02"


def test_a_log_record_from_any_logger_is_masked_before_a_handler_sees_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_privacy_filter()
    logger = logging.getLogger("nocert.some.feature")
    with caplog.at_level(logging.INFO):
        logger.info("complaint from %s about %s", "13912345678", "车管所")
    assert caplog.records, "the message was logged"
    assert "13912345678" not in caplog.text
    assert "139****5678" in caplog.text

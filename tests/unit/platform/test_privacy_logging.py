"""Logs never carry a complainant's phone or ID number in clear text."""

from __future__ import annotations

import io
import logging

import pytest

from nocert_core.logging import add_secrets, install_privacy_filter, mask_sensitive


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


def test_a_traceback_is_masked_as_well_as_the_message() -> None:
    install_privacy_filter()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("nocert.traceback.test")
    logger.addHandler(handler)
    try:
        raise ValueError("INSERT failed: parameters ('王芳', '13812345678', '370702199001011234')")
    except ValueError:
        logger.exception("could not save")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "Traceback" in logged and "could not save" in logged
    assert "13812345678" not in logged and "19900101" not in logged


def test_the_bot_token_is_redacted_from_request_urls() -> None:
    url = "POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getUpdates"
    assert mask_sensitive(url) == "POST https://api.telegram.org/bot<redacted>/getUpdates"
    add_secrets(["424242:SHORT-TEST-TOKEN"])
    assert "SHORT-TEST-TOKEN" not in mask_sensitive("GET /bot424242:SHORT-TEST-TOKEN/getMe")


def test_phones_with_a_country_code_or_spaces_and_numbers_in_json_escapes_are_masked() -> None:
    for sample in ("+8613812345678", "+86 138 1234 5678", "138-1234-5678", '"\\u53f713812345678"'):
        assert "12345678" not in mask_sensitive(sample).replace("-", "").replace(" ", ""), sample
    assert "199001011" not in mask_sensitive('"\\u53f7370702199001011234"')

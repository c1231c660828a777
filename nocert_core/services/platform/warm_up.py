"""Start-up work done once, in the background, when the bot starts (`nocert run`), so the first citizen
does not wait for it: the guidance index (with its jieba tokenizer and pinyin tables) and the complaint
text segmenter (jieba's dictionary). CLI commands never run this: each builds only what it needs."""

from __future__ import annotations

import asyncio
import logging
import time

from nocert_core.adapters.text import segmenter
from nocert_core.services.catalogue import guidance
from nocert_core.services.platform.uow import AppContext

log = logging.getLogger(__name__)
READY_MESSAGE = "start-up work done"  # bench/startup_bench.py waits for this line


def _warm_text_tools() -> None:
    from nocert_core.guidance.search.fuzzy import sound

    segmenter().cut("营业执照")  # loads jieba's dictionary into the complaint segmenter
    sound("证")  # imports the pinyin tables used for typo correction


async def warm_up(app: AppContext, reading: asyncio.Event | None = None) -> None:
    """`reading` is set while the index is read from the database: a stop should wait for that part (cut
    mid-statement, the connection pool logs an error) but may abandon the text tools' thread."""
    started = time.perf_counter()
    try:
        await asyncio.to_thread(_warm_text_tools)
        if reading is not None:
            reading.set()
        await guidance.load_index(app.uow())
    except Exception:  # a failure here only means the first question builds it instead
        log.exception("start-up work failed; it will be done on first use")
        return
    log.info("%s in %.1f s (guidance index, text segmenter)", READY_MESSAGE, time.perf_counter() - started)

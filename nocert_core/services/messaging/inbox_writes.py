"""Writing fetched updates to the inbox (bot/telegram/base.py `_ingest`): a getUpdates batch, or one webhook
update, before Telegram is told it was received."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from nocert_core.adapters.sql import inbox_batch
from nocert_core.services.platform.uow import UnitOfWorkFactory

Row = tuple[str, str, dict[str, Any]]  # update key, user ref, payload


async def receive_batch(uow_factory: UnitOfWorkFactory, rows: list[Row], now: datetime) -> list[int]:
    """The rows' inbox ids, in order. On PostgreSQL new keys (the usual case) go in one statement run in
    autocommit (no BEGIN and COMMIT round trips); a key stored already takes `receive_many`'s transaction,
    which tells a redelivery from an update id Telegram reused."""
    written: dict[str, int] = {}
    if uow_factory.dialect == "postgresql":
        engine = uow_factory.session_factory.kw["bind"]
        serialize = engine.dialect._json_serializer or json.dumps  # as the JSON column would
        parameters = inbox_batch.receive_parameters(rows, now, serialize)
        _, returned = await uow_factory.execute_alone(inbox_batch.RECEIVE_NEW_PG, parameters)
        written = {str(key): int(inbox_id) for inbox_id, key in returned}  # RETURNING id, update_key
    rest = [row for row in rows if row[0] not in written]
    if rest:
        async with uow_factory() as uow:
            received = await uow.chat.receive_many(rest, now)
            await uow.commit()
        for (key, _, _), (inbox_id, _) in zip(rest, received, strict=True):
            written.setdefault(key, inbox_id)
    return [written[key] for key, _, _ in rows]

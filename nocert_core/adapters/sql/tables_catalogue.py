"""Tables and repository of the catalogue feature: versioned entries, adjustments, opinions, lexicon terms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from nocert_core.adapters.sql.orm import UtcDateTime, enum_column, metadata
from nocert_core.domain.adjustments import Adjustment, AdjustmentTrigger, AdjustmentType, Opinion
from nocert_core.domain.catalogue import CatalogueEntry, ExemptionMode
from nocert_core.domain.lexicon import LexiconTerm as LexiconTerm

catalogue_adjustments = Table(
    "catalogue_adjustments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", enum_column(AdjustmentType), nullable=False),
    Column("trigger", enum_column(AdjustmentTrigger), nullable=False),
    Column("service_code", String(64), nullable=False, index=True),
    Column("service", String(300), nullable=False),
    Column("certificate", String(200), nullable=False),
    Column("unit_code", String(64), nullable=True, index=True),
    Column("unit_name", String(200), nullable=False),
    Column("basis", Text, nullable=False),
    Column("event_date", Date, nullable=False),
    Column("filed_at", UtcDateTime, nullable=False, index=True),
    Column("filed_by", String(100), nullable=False),
    Column("filed_by_role", String(32), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("late", Boolean, nullable=False, default=False),
    Column("source", String(16), nullable=False),
    Column("batch", String(64), nullable=True, index=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("note", Text, nullable=False, default=""),
)

catalogue_entries = Table(
    "catalogue_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("service_code", String(64), nullable=False),
    Column("service", String(300), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("unit_code", String(64), nullable=True, index=True),
    Column("certificate", String(200), nullable=False),
    Column("mode", enum_column(ExemptionMode), nullable=False),
    Column("basis", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime, nullable=True),
    Column("adjustment_id", Integer, ForeignKey("catalogue_adjustments.id"), nullable=True),
    Index("ix_catalogue_entries_valid", "valid_to", "valid_from"),
    Index("ix_catalogue_entries_service", "service_code"),
)

catalogue_opinions = Table(
    "catalogue_opinions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "adjustment_id",
        Integer,
        ForeignKey("catalogue_adjustments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("author_ref", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

guidance_lexicon = Table(
    "guidance_lexicon",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("colloquial", String(100), nullable=False),
    Column("official", String(200), nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Index("uq_guidance_lexicon_kind_colloquial", "kind", "colloquial", unique=True),
)


def map_tables(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(Adjustment, catalogue_adjustments)
    mapper_registry.map_imperatively(CatalogueEntry, catalogue_entries)
    mapper_registry.map_imperatively(Opinion, catalogue_opinions)
    mapper_registry.map_imperatively(LexiconTerm, guidance_lexicon)


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, unit_code: str | None = None) -> list[CatalogueEntry]:
        table = catalogue_entries
        query = select(CatalogueEntry).where(table.c.valid_to.is_(None))
        if unit_code is not None:
            query = query.where(table.c.unit_code == unit_code)
        result = await self.session.execute(query.order_by(table.c.service_code, table.c.id))
        return list(result.scalars().all())

    async def at(self, instant: datetime) -> list[CatalogueEntry]:
        """The entries in force at `instant`: recorded before it and not yet replaced or cancelled."""
        table = catalogue_entries
        query = select(CatalogueEntry).where(
            table.c.valid_from <= instant, (table.c.valid_to.is_(None)) | (table.c.valid_to > instant)
        )
        result = await self.session.execute(query.order_by(table.c.service_code, table.c.id))
        return list(result.scalars().all())

    async def for_service(self, service_code: str) -> list[CatalogueEntry]:
        table = catalogue_entries
        query = select(CatalogueEntry).where(table.c.valid_to.is_(None), table.c.service_code == service_code)
        return list((await self.session.execute(query.order_by(table.c.id))).scalars().all())

    def add_entry(self, entry: CatalogueEntry) -> None:
        self.session.add(entry)

    def add_adjustment(self, adjustment: Adjustment) -> None:
        self.session.add(adjustment)

    async def flush(self) -> None:
        await self.session.flush()

    async def adjustments(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        unit_code: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> Sequence[Adjustment]:
        table = catalogue_adjustments
        query = select(Adjustment)
        if since is not None:
            query = query.where(table.c.event_date >= since)
        if until is not None:
            query = query.where(table.c.event_date <= until)
        if unit_code is not None:
            query = query.where(table.c.unit_code == unit_code)
        order = (table.c.id.desc(),) if newest_first else (table.c.id,)
        query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        return (await self.session.execute(query)).scalars().all()

    async def get_adjustment(self, adjustment_id: int) -> Adjustment | None:
        return await self.session.get(Adjustment, adjustment_id)

    def add_opinion(self, opinion: Opinion) -> None:
        self.session.add(opinion)

    async def opinions(self, adjustment_id: int) -> Sequence[Opinion]:
        query = select(Opinion).where(catalogue_opinions.c.adjustment_id == adjustment_id)
        return (await self.session.execute(query.order_by(catalogue_opinions.c.id))).scalars().all()

    async def revision(self) -> tuple[Any, ...]:
        """Changes whenever the catalogue or the lexicon changes: the guidance index is rebuilt on change."""
        adjustments = await self.session.execute(select(func.max(catalogue_adjustments.c.id)))
        entries = await self.session.execute(
            select(func.count(), func.max(catalogue_entries.c.id)).where(
                catalogue_entries.c.valid_to.is_(None)
            )
        )
        lexicon = await self.session.execute(select(func.count(), func.max(guidance_lexicon.c.id)))
        return (adjustments.scalar(), *entries.one(), *lexicon.one())

    async def lexicon_terms(self) -> Sequence[LexiconTerm]:
        query = select(LexiconTerm).order_by(guidance_lexicon.c.kind, guidance_lexicon.c.colloquial)
        return (await self.session.execute(query)).scalars().all()

    async def lexicon_term(self, kind: str, colloquial: str) -> LexiconTerm | None:
        query = select(LexiconTerm).where(
            guidance_lexicon.c.kind == kind, guidance_lexicon.c.colloquial == colloquial
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    def add_lexicon_term(self, term: LexiconTerm) -> None:
        self.session.add(term)

    async def delete_lexicon_term(self, term: LexiconTerm) -> None:
        await self.session.delete(term)

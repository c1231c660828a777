"""oversight: rectification notices and audit, hotspot episodes, sweep indexes

Revision ID: 0004_oversight
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_oversight"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "issued", "reported", "returned", "accepted", "closed",
    name="rectificationstatus", native_enum=False, length=32,
)


def upgrade() -> None:
    op.create_table(
        "rectification_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("issue", sa.Text(), nullable=False),
        sa.Column("requirement", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_by", sa.String(length=100), nullable=True),
        sa.Column("reported_on_time", sa.Boolean(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("complaint_numbers", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_rectification_notices_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_notices")),
    )
    op.create_index(
        "ix_rectification_notices_status_deadline", "rectification_notices", ["status", "deadline_at"]
    )
    op.create_index(op.f("ix_rectification_notices_unit_code"), "rectification_notices", ["unit_code"])
    op.create_table(
        "rectification_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_ref", sa.String(length=100), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["rectification_notices.id"],
            name=op.f("fk_rectification_audit_notice_id_rectification_notices"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_audit")),
    )
    op.create_index(op.f("ix_rectification_audit_notice_id"), "rectification_audit", ["notice_id"])
    op.create_table(
        "hotspots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("first_number", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("complaint_numbers", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotspots")),
        sa.UniqueConstraint("kind", "subject", "first_number", name="uq_hotspots_episode"),
    )
    op.create_index("ix_hotspots_open", "hotspots", ["kind", "subject", "closed_at"])
    op.create_table(
        "alert_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("ref_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_marks")),
        sa.UniqueConstraint("stage", "subject_id", "ref_at", name="uq_alert_marks_stage"),
    )
    op.create_index("ix_complaints_status_registered", "complaints", ["status", "registered_at"])
    op.create_index("ix_outbox_status_recipient", "outbox", ["status", "recipient_ref", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_recipient", table_name="outbox")
    op.drop_index("ix_complaints_status_registered", table_name="complaints")
    op.drop_table("alert_marks")
    op.drop_index("ix_hotspots_open", table_name="hotspots")
    op.drop_table("hotspots")
    op.drop_index(op.f("ix_rectification_audit_notice_id"), table_name="rectification_audit")
    op.drop_table("rectification_audit")
    op.drop_index(op.f("ix_rectification_notices_unit_code"), table_name="rectification_notices")
    op.drop_index("ix_rectification_notices_status_deadline", table_name="rectification_notices")
    op.drop_table("rectification_notices")

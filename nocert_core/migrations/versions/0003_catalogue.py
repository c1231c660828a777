"""catalogue: versioned entries, adjustments, public opinions, lexicon additions

Revision ID: 0003_catalogue
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_catalogue"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "catalogue_adjustments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", _enum("adjustmenttype", "add", "change", "cancel"), nullable=False),
        sa.Column(
            "trigger",
            _enum(
                "adjustmenttrigger",
                "law_enacted",
                "service_taken_over",
                "function_change",
                "law_amended",
                "service_renamed",
                "proof_renamed",
                "law_repealed",
                "government_decision",
                "task_force",
                "other",
                "import",
            ),
            nullable=False,
        ),
        sa.Column("service_code", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=300), nullable=False),
        sa.Column("certificate", sa.String(length=200), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("filed_at", UTC_DATETIME, nullable=False),
        sa.Column("filed_by", sa.String(length=100), nullable=False),
        sa.Column("filed_by_role", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_adjustments")),
    )
    with op.batch_alter_table("catalogue_adjustments", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_adjustments_service_code", ["service_code"], unique=False)
        batch_op.create_index("ix_catalogue_adjustments_unit_code", ["unit_code"], unique=False)
        batch_op.create_index("ix_catalogue_adjustments_filed_at", ["filed_at"], unique=False)
        batch_op.create_index("ix_catalogue_adjustments_batch", ["batch"], unique=False)

    op.create_table(
        "catalogue_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service_code", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=300), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("certificate", sa.String(length=200), nullable=False),
        sa.Column(
            "mode",
            _enum("exemptionmode", "电子证照关联", "证明直通车下载上传", "部门核验", "告知承诺", "直接取消"),
            nullable=False,
        ),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("valid_from", UTC_DATETIME, nullable=False),
        sa.Column("valid_to", UTC_DATETIME, nullable=True),
        sa.Column("adjustment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["adjustment_id"],
            ["catalogue_adjustments.id"],
            name=op.f("fk_catalogue_entries_adjustment_id_catalogue_adjustments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_entries")),
    )
    with op.batch_alter_table("catalogue_entries", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_entries_unit_code", ["unit_code"], unique=False)
        batch_op.create_index("ix_catalogue_entries_valid", ["valid_to", "valid_from"], unique=False)
        batch_op.create_index("ix_catalogue_entries_service", ["service_code"], unique=False)

    op.create_table(
        "catalogue_opinions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("adjustment_id", sa.Integer(), nullable=False),
        sa.Column("author_ref", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["adjustment_id"],
            ["catalogue_adjustments.id"],
            name=op.f("fk_catalogue_opinions_adjustment_id_catalogue_adjustments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_opinions")),
    )
    with op.batch_alter_table("catalogue_opinions", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_opinions_adjustment_id", ["adjustment_id"], unique=False)

    op.create_table(
        "guidance_lexicon",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("colloquial", sa.String(length=100), nullable=False),
        sa.Column("official", sa.String(length=200), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_lexicon")),
    )
    with op.batch_alter_table("guidance_lexicon", schema=None) as batch_op:
        batch_op.create_index("uq_guidance_lexicon_kind_colloquial", ["kind", "colloquial"], unique=True)


def downgrade() -> None:
    op.drop_table("guidance_lexicon")
    op.drop_table("catalogue_opinions")
    op.drop_table("catalogue_entries")
    op.drop_table("catalogue_adjustments")

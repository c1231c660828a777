"""verification: department verification requests (R2 部门核验), their audit and number sequence

Revision ID: 0006_verification
Revises: 0005_merge_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_verification"
down_revision = "0005_merge_features"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "requested", "accepted", "verified", "returned", "withdrawn",
    name="verificationstatus", native_enum=False, length=32,
)
RESULT = sa.Enum("consistent", "inconsistent", name="verificationresult", native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "verification_sequences",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_verification_sequences")),
    )
    op.create_table(
        "verification_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("requesting_unit_code", sa.String(length=64), nullable=False),
        sa.Column("issuing_unit_code", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("proof", sa.String(length=200), nullable=False),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("data_to_check", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.String(length=100), nullable=True),
        sa.Column("result", RESULT, nullable=True),
        sa.Column("result_details", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("material_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("material_note", sa.Text(), nullable=True),
        sa.Column("overdue_alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requesting_unit_code"], ["units.code"],
            name=op.f("fk_verification_requests_requesting_unit_code_units"),
        ),
        sa.ForeignKeyConstraint(
            ["issuing_unit_code"], ["units.code"],
            name=op.f("fk_verification_requests_issuing_unit_code_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_requests")),
        sa.UniqueConstraint("number", name=op.f("uq_verification_requests_number")),
    )
    op.create_index(
        "ix_verification_requests_status_deadline", "verification_requests", ["status", "deadline_at"]
    )
    op.create_index(
        op.f("ix_verification_requests_requesting_unit_code"), "verification_requests", ["requesting_unit_code"]
    )
    op.create_index(
        op.f("ix_verification_requests_issuing_unit_code"), "verification_requests", ["issuing_unit_code"]
    )
    op.create_table(
        "verification_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_ref", sa.String(length=100), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["verification_requests.id"],
            name=op.f("fk_verification_audit_request_id_verification_requests"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_audit")),
    )
    op.create_index(op.f("ix_verification_audit_request_id"), "verification_audit", ["request_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_verification_audit_request_id"), table_name="verification_audit")
    op.drop_table("verification_audit")
    op.drop_index(op.f("ix_verification_requests_issuing_unit_code"), table_name="verification_requests")
    op.drop_index(op.f("ix_verification_requests_requesting_unit_code"), table_name="verification_requests")
    op.drop_index("ix_verification_requests_status_deadline", table_name="verification_requests")
    op.drop_table("verification_requests")
    op.drop_table("verification_sequences")

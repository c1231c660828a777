"""`/start <code>`: a staff or supervisor invite binds this chat account to a unit and role."""

from __future__ import annotations

from handlers.dispatch.routing import Context
from handlers.types import Reply
from nocert_core.domain.actors import Role
from nocert_core.i18n import N_
from nocert_core.services.access import invites as invite_service
from nocert_core.services.complaints import intake

ROLE = {"staff": N_("staff"), "supervisor": N_("task force supervisor")}


async def redeem(ctx: Context, code: str) -> Reply:
    """Redeem a staff invite; the caller adds the menu of the new role."""
    account = await invite_service.redeem_invite(ctx.uow(), ctx.app.clock, ctx.account.ref, code)
    ctx.account = account
    ctx.actor = account.as_actor()
    unit = await intake.unit_name(ctx.uow(), account.unit_code)
    text = ctx.t(
        N_("Welcome, {name}. You are now {role} of {unit}. New assignments will arrive here."),
        name=account.display_name,
        role=ctx.t(ROLE.get(account.role, account.role.value)),
        unit=unit or ctx.t(N_("the task force")),
    )
    if account.role == Role.SUPERVISOR:
        text += "\n" + ctx.t(N_("Use /unrouted for complaints waiting for routing or extension decisions."))
    return Reply(text)

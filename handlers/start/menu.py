"""/start, /help, /menu, /cancel, /lang and the main menu of each role."""

from __future__ import annotations

from handlers.dialogs.callbacks import pressed
from handlers.dialogs.steps import reshow
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.start.commands import bot_commands
from handlers.start.invites import redeem
from handlers.types import Button, Reply
from nocert_core.domain.actors import Role
from nocert_core.i18n import N_, translator
from nocert_core.services.access import accounts as account_service
from nocert_core.services.oversight.dashboard import due_board

router = Router("menu")


def menu_buttons(ctx: Context) -> list[list[Button]]:
    t = ctx.t
    if ctx.actor.role == Role.STAFF:
        return [
            [Button(t(N_("📋 My unit's queue")), "st:queue")],
            [Button(t(N_("☎ Register a complaint received by phone/letter/counter")), "st:register")],
            [Button(t(N_("🔎 Ask another unit to verify a proof")), "vr:start")],
            [Button(t(N_("📨 Verification requests")), "vr:list")],
        ]
    if ctx.actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return [
            [Button(t(N_("🧭 Complaints to route")), "sv:unrouted")],
            [Button(t(N_("📋 All open complaints")), "st:queue")],
            [
                Button(t(N_("🔴 Overdue and due soon")), "svm:overdue"),
                Button(t(N_("📊 Statistics")), "svm:stats"),
            ],
            [
                Button(t(N_("📈 Report with charts")), "svm:report"),
                Button(t(N_("📑 Rectification notices")), "svm:notices"),
            ],
            [Button(t(N_("☎ Register a complaint received by phone/letter/counter")), "st:register")],
            [Button(t(N_("📨 Verification requests")), "vr:list")],
        ]
    return [
        [Button(t(N_("📝 Complain: an agency demanded a proof")), "ci:start")],
        [Button(t(N_("❓ Ask which certificates I no longer need")), "guide:start")],
        [Button(t(N_("📂 My complaints")), "mc:list")],
    ]


async def show_menu(ctx: Context) -> HandlerResult:
    text = ctx.t(N_("What would you like to do?"))
    if ctx.actor.role in (Role.STAFF, Role.SUPERVISOR, Role.ADMIN):  # deadlines at a glance (issue 13/11)
        board = await due_board(ctx.uow, ctx.app.clock, ctx.actor, limit=1)
        if board.overdue_total or board.due_soon_total:
            glance = N_("⛔ {overdue} overdue · ⏰ {soon} due by the next working day")
            text += "\n" + ctx.t(glance, overdue=board.overdue_total, soon=board.due_soon_total)
    return Reply(text, menu_buttons(ctx))


def _welcome(ctx: Context) -> str:
    if ctx.actor.role == Role.STAFF:
        return ctx.t(
            N_(
                "Hello {name}. You handle no-proof complaints for your unit here: new assignments arrive as "
                "messages with buttons to accept, reject, return, extend or resolve them."
            ),
            name=ctx.account.display_name,
        )
    if ctx.actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return ctx.t(
            N_(
                "Hello {name}. As the task force you route complaints no unit was found for, "
                "decide on extension requests and watch deadlines."
            ),
            name=ctx.account.display_name,
        )
    return ctx.t(
        N_(
            "Hello! This is the “No-Proof City” assistant of Weifang.\n"
            "If an office asked you for a certificate or proof that it should get by itself, "
            "you can complain here; the responsible unit must handle it within {days} working days.\n"
            "You can also ask which certificates you no longer need to bring."
        ),
        days=ctx.app.settings.handling_working_days,  # R5 Art.10: a renewed regulation changes the setting
    )


@router.command("start")
async def start(ctx: Context) -> HandlerResult:
    if ctx.incoming.args.strip():
        welcome = await redeem(ctx, ctx.incoming.args.strip())
        return Reply(welcome.text, menu_buttons(ctx))
    return Reply(_welcome(ctx), menu_buttons(ctx))


@router.command("menu")
async def menu(ctx: Context) -> HandlerResult:
    return await show_menu(ctx)


@router.button("menu")
async def menu_button(ctx: Context) -> HandlerResult:
    ctx.state.clear()
    return await show_menu(ctx)


@router.command("help")
async def help_command(ctx: Context) -> HandlerResult:
    lines = [ctx.t(N_("What I can do:"))]
    lines += [
        f"/{command} — {description}" for command, description in bot_commands(ctx.t.locale, ctx.actor.role)
    ]
    replies = [Reply("\n".join(lines), menu_buttons(ctx) if not ctx.state.name else [])]
    return replies + await reshow(ctx)


@router.command("cancel")
async def cancel(ctx: Context) -> HandlerResult:
    had_dialog = ctx.state.name is not None
    ctx.state.clear()
    msgid = N_("Cancelled. Nothing was submitted.") if had_dialog else N_("There is nothing to cancel.")
    return Reply(ctx.t(msgid), menu_buttons(ctx))


@router.command("lang")
async def lang(ctx: Context) -> HandlerResult:
    buttons = [[Button("中文", "lang:zh_Hans"), Button("English", "lang:en")]]
    return Reply(ctx.t(N_("Choose your language:")), buttons)


@router.button("lang")
async def lang_chosen(ctx: Context) -> HandlerResult:
    code = pressed(ctx).text(0)
    account = await account_service.set_locale(ctx.uow(), ctx.account.ref, code)
    ctx.account = account
    ctx.t = translator(account.locale)
    return [Reply(ctx.t(N_("Language set to English.")), menu_buttons(ctx)), *await reshow(ctx)]


async def not_understood(ctx: Context) -> HandlerResult:
    """Free text outside any dialog that no feature claimed."""
    return Reply(ctx.t(N_("I did not understand that. Choose what you want to do:")), menu_buttons(ctx))

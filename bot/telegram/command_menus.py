"""The command menus of a Telegram runtime (setMyCommands): the citizen menu for everyone (by default, in
Chinese and in English), and each bound staff member's or supervisor's own menu in their chat, refreshed when
a binding or a language changes."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from bot.telegram.common import CHANNEL
from handlers.types import Incoming
from nocert_core.bootstrap import Application
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role

log = logging.getLogger(__name__)

# setMyCommands: (language_code, locale). "" is the default for every other language.
COMMAND_LANGUAGES: tuple[tuple[str, str], ...] = (("zh", "zh_Hans"), ("en", "en"))
STAFF_ROLES = (Role.STAFF, Role.SUPERVISOR, Role.ADMIN)  # they get their own per-chat command menu


class CommandMenus(ABC):
    """Part of `TelegramRuntime` (bot/telegram/base.py): the menus, over the framework's `_set_commands`."""

    app: Application

    async def register_commands(self) -> None:
        """The citizen menu for everyone (Chinese, English, default), then each bound staff member's."""
        from handlers.start.commands import bot_commands

        default_locale = self.app.settings.locale
        await self._set_commands(bot_commands(default_locale, Role.CITIZEN), None)
        for language_code, locale in COMMAND_LANGUAGES:
            await self._set_commands(bot_commands(locale, Role.CITIZEN), language_code)
        async with self.app.uow() as uow:
            staff = [
                account
                for role in STAFF_ROLES
                for account in await uow.accounts.with_role(role)
                if account.channel == CHANNEL and account.reachable
            ]
        for account in staff:
            await self._set_chat_menu(account)

    async def _set_chat_menu(self, account: Account) -> None:
        """A staff member's or supervisor's own command menu (their role's commands, their language)."""
        from handlers.start.commands import bot_commands

        try:
            await self._set_commands(
                bot_commands(account.locale, account.role), None, chat_id=account.chat_id
            )
        except Exception as error:  # a chat that is gone must not stop the bot from starting
            log.warning("could not set the command menu of a %s account: %s", account.role, error)

    async def _refresh_chat_menu(self, incoming: Incoming) -> None:
        """After `/start <invite>` (a new binding) or `/lang`, the user's menu may have to change."""
        async with self.app.uow() as uow:
            account = await uow.accounts.get_by_ref(incoming.user_ref)
        if account is not None and account.role in STAFF_ROLES:
            await self._set_chat_menu(account)

    @abstractmethod
    async def _set_commands(
        self, commands: list[tuple[str, str]], language_code: str | None, chat_id: str | None = None
    ) -> None:
        """setMyCommands: for everyone (in `language_code`, or by default), or for one chat."""

"""Runtimes that carry the conversations: aiogram, python-telegram-bot, console; scheduler; CLI."""

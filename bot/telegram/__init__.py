"""The Telegram runtimes (aiogram, python-telegram-bot) and what they share: sending, queues, locks."""

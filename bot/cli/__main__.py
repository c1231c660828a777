"""`python -m bot.cli`: the `nocert` command."""

from bot.cli import main

main()

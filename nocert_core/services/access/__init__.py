"""Who may use the bot: chat accounts, staff invites, web console sign-in links."""

"""How an update is handled: dispatcher, routers, group commit, its transaction's end, flood control."""

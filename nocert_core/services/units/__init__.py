"""Units: the tree of agencies, and what a citizen calls an agency resolved to it."""

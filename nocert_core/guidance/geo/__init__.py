"""Places: which places the catalogue covers, which place a question names (typos, abroad, a story's
background), and the shipped place lists."""

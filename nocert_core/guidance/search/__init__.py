"""Finding things in the catalogue: text analysis and typo tolerance, the lexicon, the names in a text, the
certificates the catalogue itself names, and the index that ranks services with BM25F."""

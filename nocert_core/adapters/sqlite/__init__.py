"""SQLite specifics: statements on the event loop's thread (sqlite_inline.py, sqlite_cursor.py), and the
read-only commands' reader over the standard library's sqlite3 (sqlite_reader.py, sqlite_rows.py)."""

"""SQL storage through SQLAlchemy (SQLite and PostgreSQL): engines, the tables of every feature (orm.py,
tables_*.py, listed in schema.py), repositories, migrations, and the statements run past the ORM (direct.py,
prebuilt.py, multi_insert.py, the inbox batch, outbox rows, register checks, the account and unit caches)."""

"""SQL errors do not quote their parameters (names, phones, facts) into exception text or logs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from nocert_core.bootstrap import Application


async def test_sql_errors_do_not_quote_their_parameters(app: Application) -> None:
    with pytest.raises(Exception) as error:
        async with app.engine.connect() as connection:
            await connection.execute(text("SELECT * FROM missing WHERE name = :name"), {"name": "王芳"})
    assert "王芳" not in str(error.value)
    assert "hidden" in str(error.value)

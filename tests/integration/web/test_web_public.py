"""The public guidance page: the same answers and JSON as `nocert ask`, the catalogue as of a date, and
opinions on changes — anonymous (a pseudonym, no address) and rate-limited per browser."""

from __future__ import annotations

from datetime import timedelta

from nocert_core.bootstrap import Application, load_demo
from nocert_core.guidance import answer
from nocert_core.services.catalogue import adjustments as catalogue_service
from nocert_core.services.catalogue import guidance as guidance_service
from tests.integration.web_helpers import csrf_of, web_client

QUESTION = "办理食品经营许可还要交无犯罪记录证明吗"


async def test_the_public_pages_answer_like_nocert_ask_and_show_the_catalogue_as_of_a_date(
    app: Application,
) -> None:
    await load_demo(app)
    expected = answer(await guidance_service.load_index(app.uow()), QUESTION).as_json()
    async with web_client(app) as client:
        assert await (await client.get("/guide/ask.json", params={"q": QUESTION})).json() == expected
        page = await (await client.get("/guide", params={"q": QUESTION})).text()
        assert 'id="answer"' in page
        today = app.clock.now().date()
        now = await (await client.get("/guide/catalogue", params={"certificate": "户口"})).text()
        before = await (
            await client.get("/guide/catalogue", params={"as_of": (today - timedelta(days=400)).isoformat()})
        ).text()
        assert now.count("<tr>") > 1 and before.count("<tr>") < now.count("<tr>")  # nothing existed then
        bad = await client.get("/guide/catalogue", params={"as_of": "yesterday"})
        assert bad.status == 400


async def test_opinions_are_anonymous_and_rate_limited_per_browser(app: Application) -> None:
    await load_demo(app)
    [change] = await catalogue_service.list_adjustments(app.uow(), limit=1, newest_first=True)
    per_hour = app.settings.web_opinions_per_hour
    async with web_client(app) as client:
        token = csrf_of(await (await client.get("/guide/changes")).text())
        statuses = []
        for index in range(per_hour + 1):
            response = await client.post(
                f"/guide/changes/{change.id}/opinion",
                data={"_csrf": token, "text": f"建议公布核验方式 {index}"},
            )
            statuses.append(response.status)
        assert statuses == [200] * per_hour + [429]
        forged = await client.post(f"/guide/changes/{change.id}/opinion", data={"_csrf": "x", "text": "意见"})
        assert forged.status == 403
    async with app.uow() as uow:
        opinions = await uow.catalogue.opinions(change.id)
    assert len(opinions) == per_hour
    assert {o.author_ref for o in opinions} == {opinions[0].author_ref}  # one browser, one pseudonym
    assert opinions[0].author_ref.startswith("web:") and "127.0.0.1" not in opinions[0].author_ref

"""The live offers client against a loopback server behaving like France Travail, with faults."""

from __future__ import annotations

import time
from datetime import date

import pytest
from pytest_httpserver import HTTPServer

from ingestion import france_travail
from ingestion.france_travail_api import OFFERS_SCOPE, OffersSearch, SearchError, created_on, day_window
from ingestion.http import ClientCredentialsToken, HttpClient, HttpError, HttpPolicy, Secret
from tests.fake_france_travail import (
    CLIENT_ID,
    CLIENT_SECRET,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    DEPARTEMENTS,
    REGION,
    FakeFranceTravail,
    make_offers,
)

DAY = "2026-05-04"
# Fast in tests, same code paths: a high rate limit and short backoff.
FAST = HttpPolicy(calls_per_second=200, backoff_initial=0.05, backoff_max=0.2, max_attempts=4, read_timeout=5)


@pytest.fixture
def fake(httpserver: HTTPServer) -> FakeFranceTravail:
    fake = FakeFranceTravail(httpserver).install()
    # The day asked for, plus offers the day before and after that must not land in it.
    fake.offers = (
        make_offers(DAY, 400, DEPARTEMENTS, "D")
        + make_offers("2026-05-03", 30, DEPARTEMENTS, "B", start_hour=23)
        + make_offers("2026-05-05", 20, DEPARTEMENTS, "A")
    )
    return fake


def collect_day(fake: FakeFranceTravail, policy: HttpPolicy = FAST) -> tuple[set[str], OffersSearch]:
    token = ClientCredentialsToken(HttpClient(policy), fake.token_url, CLIENT_ID, Secret(CLIENT_SECRET), OFFERS_SCOPE)
    search = OffersSearch(token, fake.api_url)
    start, end = day_window(date.fromisoformat(DAY))
    collection = search.collect(REGION, DEPARTEMENTS, start, end)
    offers, _ = created_on(collection.offers, date.fromisoformat(DAY))
    return {offer["id"] for offer in offers}, search


def test_pages_of_a_day_land_every_offer_once(fake: FakeFranceTravail) -> None:
    ids, search = collect_day(fake)
    assert ids == fake.ids_created_on(DAY)
    assert len(ids) == 400
    # 401 offers in the window (its end, the next midnight, is inclusive: A00000 was created then
    # and belongs to the next day): pages 0-149, 150-299, 300-400, both creation bounds, one token.
    assert [call["range"] for call in fake.search_calls] == ["0-149", "150-299", "300-400"]
    assert all(call["minCreationDate"] == "2026-05-04T00:00:00Z" for call in fake.search_calls)
    assert all(call["maxCreationDate"] == "2026-05-05T00:00:00Z" for call in fake.search_calls)
    assert fake.answers == [206, 206, 206]
    assert fake.tokens_issued == ["token-1"]


def test_429_with_retry_after_is_waited_for(fake: FakeFranceTravail) -> None:
    fake.faults = ["429", "429"]
    started = time.monotonic()
    ids, _ = collect_day(fake)
    elapsed = time.monotonic() - started
    assert ids == fake.ids_created_on(DAY)
    assert fake.answers[:3] == [429, 429, 206]
    # Two Retry-After: 1 honoured although the backoff alone would wait 0.05-0.2 s.
    assert elapsed >= 2.0


def test_503_and_a_body_cut_short_are_retried(fake: FakeFranceTravail) -> None:
    fake.faults = ["503", "none", "truncated", "503"]
    ids, _ = collect_day(fake)
    assert ids == fake.ids_created_on(DAY)
    assert fake.answers == [503, 206, 206, 503, 206, 206]


def test_token_revoked_mid_run_is_renewed_once(fake: FakeFranceTravail) -> None:
    fake.faults = ["none", "expire_token"]
    ids, search = collect_day(fake)
    assert ids == fake.ids_created_on(DAY)
    assert fake.answers == [206, 401, 206, 206]
    assert fake.tokens_issued == ["token-1", "token-2"]
    assert search.token.fetches == 2


def test_token_close_to_expiry_is_renewed_before_use(fake: FakeFranceTravail) -> None:
    # expires_in below the renewal margin: every call asks for a fresh token first.
    fake.token_lifetime = 30
    ids, _ = collect_day(fake)
    assert ids == fake.ids_created_on(DAY)
    assert fake.tokens_issued == ["token-1", "token-2", "token-3"]
    assert 401 not in fake.answers


def test_more_than_3150_in_a_day_is_split_until_every_part_fits(fake: FakeFranceTravail) -> None:
    # 3,400 offers in Bas-Rhin alone (beyond one query even per département) and 300 elsewhere.
    fake.offers = make_offers(DAY, 3400, ["67"], "S") + make_offers(DAY, 300, DEPARTEMENTS, "T") + fake.offers
    started = time.monotonic()
    ids, search = collect_day(fake)
    elapsed = time.monotonic() - started
    assert ids == fake.ids_created_on(DAY)
    assert len(ids) == 4100
    collection_calls = [call for call in fake.search_calls if call["range"] == "0-149"]
    # The region, then each département, and Bas-Rhin's day in halves (whole day, then two halves).
    assert collection_calls[0].get("region") == REGION
    assert [call.get("departement") for call in collection_calls[1:]].count("67") == 3
    assert {call.get("departement") for call in collection_calls[1:]} == set(DEPARTEMENTS)
    bas_rhin = [
        (call["minCreationDate"], call["maxCreationDate"])
        for call in collection_calls
        if call.get("departement") == "67"
    ]
    assert bas_rhin == [
        ("2026-05-04T00:00:00Z", "2026-05-05T00:00:00Z"),
        ("2026-05-04T00:00:00Z", "2026-05-04T12:00:00Z"),
        ("2026-05-04T12:00:00Z", "2026-05-05T00:00:00Z"),
    ]
    assert all(int(call["range"].split("-")[1]) <= 3149 for call in fake.search_calls)
    print(f"split test: {len(ids)} offers, {len(fake.search_calls)} calls, {elapsed:.1f} s")


def test_a_lower_cap_answered_by_400_is_learned_and_split_around(fake: FakeFranceTravail) -> None:
    # A deployment that refuses ranges from index 1000 on (reported by users of the API).
    fake.max_first_index = 999
    fake.offers = make_offers(DAY, 1300, DEPARTEMENTS, "C") + fake.offers
    ids, search = collect_day(fake)
    assert ids == fake.ids_created_on(DAY)
    assert len(ids) == 1700
    assert 400 in fake.answers
    # Pages start every 150: 900-1049 was answered, 1050-1199 refused, so 1,050 are reachable.
    assert search.reach == 1050


def test_a_400_on_the_first_page_fails_with_the_api_message(fake: FakeFranceTravail) -> None:
    fake.max_first_index = -1
    with pytest.raises(SearchError, match="range 0-149\\): answer 400: La plage de résultats demandée 0-149"):
        collect_day(fake)


def test_a_day_without_offers_is_204_and_empty(fake: FakeFranceTravail) -> None:
    fake.offers = make_offers("2026-05-01", 10, DEPARTEMENTS, "X")
    ids, _ = collect_day(fake)
    assert ids == set()
    assert fake.answers == [204]


def test_retries_give_up_after_max_attempts_with_a_clear_error(fake: FakeFranceTravail) -> None:
    fake.faults = ["503"] * 4
    with pytest.raises(HttpError, match="answer 503"):
        collect_day(fake)
    assert fake.answers == [503] * 4


def test_wrong_secret_names_the_variables_and_never_shows_the_secret(fake: FakeFranceTravail) -> None:
    wrong = "wrong-secret-value-123456"
    token = ClientCredentialsToken(HttpClient(FAST), fake.token_url, CLIENT_ID, Secret(wrong), OFFERS_SCOPE)
    with pytest.raises(HttpError) as raised:
        token.bearer()
    message = str(raised.value)
    assert "invalid_client" in message and "FRANCE_TRAVAIL_CLIENT_SECRET" in message
    assert wrong not in message and wrong not in repr(raised.value) and wrong not in repr(token)
    assert repr(Secret(wrong)) == "Secret('********')"


def test_offers_land_scrubbed_through_the_parser(fake: FakeFranceTravail) -> None:
    token = ClientCredentialsToken(HttpClient(FAST), fake.token_url, CLIENT_ID, Secret(CLIENT_SECRET), OFFERS_SCOPE)
    collection = OffersSearch(token, fake.api_url).collect(REGION, DEPARTEMENTS, *day_window(date.fromisoformat(DAY)))
    offers, outside = created_on(collection.offers, date.fromisoformat(DAY))
    parsed = france_travail.parse_offers(offers, f"offres_search_region_{REGION}_{DAY}.json")
    # A00000, created at the window's closing midnight, belongs to the next day.
    assert outside == 1
    assert sorted(parsed.rows["offer_id"]) == sorted(fake.ids_created_on(DAY))
    text = parsed.rows.astype("string").to_csv()
    assert CONTACT_EMAIL not in text and CONTACT_PHONE not in text
    assert not any(column.startswith("contact") for column in parsed.rows.columns)
    assert parsed.rows["description"].str.contains(r"\[email\] ou \[tel\]", regex=True).all()


def test_the_rate_limit_spaces_calls(fake: FakeFranceTravail) -> None:
    started = time.monotonic()
    collect_day(fake, HttpPolicy(calls_per_second=5, backoff_initial=0.05, max_attempts=2))
    # token + 3 pages = 4 calls at 5 per second: at least 3 intervals of 0.2 s.
    assert time.monotonic() - started >= 0.6

"""France Travail "Offres d'emploi v2", live: every offer of a region created in a time window.

The search (``GET {api_url}/offresdemploi/v2/offres/search``) answers pages of at most 150 offers
(``range=a-b``): 206 with ``Content-Range: offres a-b/total`` while more remain, 200 when
everything fits, 204 when nothing matches. One query reaches indices 0 to 3149 only, so a query
whose total is larger is split, first by département of the region, then by halving its creation
window, until every part fits; offers are deduplicated by id (halves share their boundary second).
Some deployments refuse ranges below that reach with a 400 (a lower cap); the search then learns
the lower reach and splits the same way, so no offer is lost either.

The responses stay in memory: they go to :func:`ingestion.france_travail.parse_offers`, which drops
the contact and agence blocks and scrubs e-mails and phones before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ingestion.http import ClientCredentialsToken, HttpError, error_message

OFFERS_SCOPE = "api_offresdemploiv2 o2dsoffre"
SEARCH_PATH = "/offresdemploi/v2/offres/search"
PAGE_SIZE = 150
# range=a-b accepts a <= 3000 and b <= 3149: one query sees at most 3,150 offers.
QUERY_REACH = 3150
CONTENT_RANGE = re.compile(r"^\s*offres\s+(\d+)-(\d+)/(\d+)\s*$")
API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class SearchError(HttpError):
    """The search answered something that cannot be read or split around."""


@dataclass(frozen=True)
class SearchQuery:
    """One search: an area (``region`` or ``departement`` and its code) and a creation window."""

    area: str
    code: str
    start: datetime
    end: datetime

    def params(self, first: int, last: int) -> dict[str, str]:
        return {
            self.area: self.code,
            # Always both: minCreationDate alone is refused.
            "minCreationDate": self.start.strftime(API_TIME_FORMAT),
            "maxCreationDate": self.end.strftime(API_TIME_FORMAT),
            "range": f"{first}-{last}",
        }

    @property
    def label(self) -> str:
        return f"{self.area}={self.code} {self.start.strftime(API_TIME_FORMAT)}..{self.end.strftime(API_TIME_FORMAT)}"


class _TooMany(Exception):
    def __init__(self, total: int) -> None:
        super().__init__(total)
        self.total = total


class _RangeRefused(Exception):
    def __init__(self, first: int) -> None:
        super().__init__(first)
        self.first = first


@dataclass
class Collection:
    """What one collection fetched: offers by id, and how (for the run's metadata)."""

    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    queries: list[tuple[str, int]] = field(default_factory=list)
    split_queries: list[tuple[str, int]] = field(default_factory=list)
    pages: int = 0
    offers_received: int = 0

    def add(self, offers: list[dict[str, Any]]) -> None:
        for offer in offers:
            offer_id = offer.get("id")
            if not isinstance(offer_id, str) or not offer_id:
                raise SearchError(f"an offer without an 'id' string in a search answer: keys {sorted(offer)[:8]}")
            kept = self.offers.get(offer_id)
            # The same id twice (window boundaries, or an update between pages): newest version.
            if kept is None or str(offer.get("dateActualisation") or "") >= str(kept.get("dateActualisation") or ""):
                self.offers[offer_id] = offer
        self.offers_received += len(offers)


class OffersSearch:
    """Every offer of an area and creation window, through as many queries as it takes."""

    def __init__(self, token: ClientCredentialsToken, api_url: str) -> None:
        self.token = token
        self.search_url = api_url.rstrip("/") + SEARCH_PATH
        self.reach = QUERY_REACH

    def collect(self, region: str, departements: list[str], start: datetime, end: datetime) -> Collection:
        """The offers of ``region`` created between ``start`` and ``end`` (UTC, second precision)."""
        collection = Collection()
        pending = [SearchQuery("region", region, start, end)]
        while pending:
            query = pending.pop(0)
            try:
                offers, total = self._whole(query, collection)
            except _TooMany as too_many:
                collection.split_queries.append((query.label, too_many.total))
                pending[:0] = self._split(query, departements, too_many.total)
                continue
            collection.queries.append((query.label, total))
            collection.add(offers)
        return collection

    def _split(self, query: SearchQuery, departements: list[str], total: int) -> list[SearchQuery]:
        if query.area == "region" and departements:
            return [SearchQuery("departement", code, query.start, query.end) for code in departements]
        seconds = int((query.end - query.start).total_seconds())
        if seconds < 2:
            raise SearchError(
                f"{query.label}: {total} offers in a window of {seconds} s, more than the {self.reach} "
                "one query can reach; it cannot be split further"
            )
        middle = query.start + timedelta(seconds=seconds // 2)
        return [
            SearchQuery(query.area, query.code, query.start, middle),
            SearchQuery(query.area, query.code, middle, query.end),
        ]

    def _whole(self, query: SearchQuery, collection: Collection) -> tuple[list[dict[str, Any]], int]:
        """Every page of one query; raises _TooMany when its total is beyond the reach."""
        offers, total = self._page(query, 0, collection)
        if total > self.reach:
            raise _TooMany(total)
        for first in range(PAGE_SIZE, total, PAGE_SIZE):
            try:
                page, _ = self._page(query, first, collection, last=min(first + PAGE_SIZE, total) - 1)
            except _RangeRefused as refused:
                # This deployment caps lower than documented: every later query uses that cap.
                self.reach = refused.first
                raise _TooMany(total) from None
            offers.extend(page)
        return offers, total

    def _page(
        self, query: SearchQuery, first: int, collection: Collection, last: int | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        last = first + PAGE_SIZE - 1 if last is None else last
        response, payload = self.token.request("GET", self.search_url, params=query.params(first, last))
        collection.pages += 1
        where = f"GET {self.search_url} ({query.label}, range {first}-{last})"
        status = response.status_code
        if status == 204:
            return [], 0
        if status == 400 and first > 0:
            raise _RangeRefused(first)
        if status not in (200, 206):
            raise SearchError(f"{where}: answer {status}: {error_message(response)}")
        if not isinstance(payload, dict) or not isinstance(payload.get("resultats"), list):
            found = f"keys {sorted(payload)[:8]}" if isinstance(payload, dict) else type(payload).__name__
            raise SearchError(f"{where}: expected an object with a 'resultats' array, found {found}")
        offers = payload["resultats"]
        if status == 200:
            return offers, first + len(offers)
        content_range = response.headers.get("Content-Range", "")
        matched = CONTENT_RANGE.match(content_range)
        if matched is None:
            raise SearchError(f"{where}: answer 206 with Content-Range {content_range!r}, expected 'offres a-b/total'")
        return offers, int(matched.group(3))


def day_window(day: date) -> tuple[datetime, datetime]:
    """The creation window of one UTC day: midnight to the next midnight."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


def created_on(offers: dict[str, dict[str, Any]], day: date) -> tuple[list[dict[str, Any]], int]:
    """The offers whose ``dateCreation`` falls on ``day`` (UTC), in id order, and how many others.

    The window's end is the next midnight, which the API may count as inside; an offer created
    exactly then belongs to the next day's partition, which fetches it too.
    """
    prefix = day.isoformat()
    inside = [offers[key] for key in sorted(offers) if str(offers[key].get("dateCreation") or "")[:10] == prefix]
    return inside, len(offers) - len(inside)

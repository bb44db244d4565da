"""A loopback server that behaves like France Travail's token endpoint and offer search.

It serves offers built from the bundled real ones (new ids, creation times and places), each with
a ``contact`` block holding an e-mail and a phone, like the real API. The search implements what
the client depends on: ``region``/``departement``, ``minCreationDate`` and ``maxCreationDate``
(both required, inclusive), ``range`` (at most 150, first index <= 3000, last <= 3149, else 400),
206 + ``Content-Range`` / 200 / 204. Faults are queued per search call: ``"429"`` (with
``Retry-After``), ``"503"``, ``"truncated"`` (a body cut short), ``"expire_token"`` (the token in use
is revoked, so the call answers 401).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import SNAPSHOT_DIR

TOKEN_PATH = "/connexion/oauth2/access_token"
API_PATH = "/partenaire"
SEARCH_PATH = API_PATH + "/offresdemploi/v2/offres/search"
OFFERS_SCOPE = "api_offresdemploiv2 o2dsoffre"
MARKET_SCOPE = "api_stats-offres-demandes-emploiv1 offresetdemandesemploi"
TRAINING_SCOPE = "api_stats-entrees-sorties-formationsv1 accesemploiDEformes"
STATS_DIR = SNAPSHOT_DIR / "france_travail_stats_api"
# The one bundled DE_1 answer: Nouvelle-Aquitaine (75) x ROME A1203, as the real API sent it.
DE_1_TERRITORY, DE_1_ROME = "75", "A1203"
DE_1_ANSWER = STATS_DIR / "stat-demandeurs_DE_1_REG75_A1203_response.json"
CLIENT_ID = "PAR_passerelle_test_0123456789"
CLIENT_SECRET = "s3cr3t-Do-Not-Leak-7f9c2a41b8e6d305"
CONTACT_EMAIL = "jeanne.recruteuse@exemple-employeur.fr"
CONTACT_PHONE = "03 88 41 27 93"
# Grand Est (44) and the départements the fake places offers in.
REGION = "44"
DEPARTEMENTS = ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def bundled_offers() -> list[dict]:
    """The bundled offers in API JSON (1,729: the .psv file is left out), in file order."""
    offers: list[dict] = []
    for path in sorted(SNAPSHOT_DIR.glob("france_travail_offres*/DERIVED_*.json")):
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        offers.extend(document["resultats"] if isinstance(document, dict) else document)
    return offers


@dataclass
class FakeOffer:
    offer: dict
    departement: str
    created: datetime


def make_offers(day: str, count: int, departements: list[str], prefix: str, start_hour: int = 0) -> list[FakeOffer]:
    """``count`` offers created on ``day`` (UTC), spread over the day and over ``departements``.

    Each is a bundled offer's content under a new id, with a contact block and the recruiter's
    e-mail and phone in its description as real offers sometimes have.
    """
    source = bundled_offers()
    base = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=start_hour)
    seconds = int((timedelta(days=1) - timedelta(hours=start_hour)).total_seconds())
    made = []
    for index in range(count):
        offer = copy.deepcopy(source[index % len(source)])
        departement = departements[index % len(departements)]
        created = base + timedelta(seconds=(index * seconds) // count)
        offer["id"] = f"{prefix}{index:05d}"
        stamp = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        offer["dateCreation"] = stamp
        offer["dateActualisation"] = stamp
        offer["lieuTravail"] = {"libelle": f"{departement} - TEST", "commune": f"{departement}001"}
        offer["contact"] = {"nom": "Jeanne Recruteuse", "courriel": CONTACT_EMAIL, "telephone": CONTACT_PHONE}
        offer["description"] = (offer.get("description") or "") + f"\nCandidature : {CONTACT_EMAIL} ou {CONTACT_PHONE}"
        made.append(FakeOffer(offer, departement, created))
    return made


@dataclass
class FakeFranceTravail:
    server: HTTPServer
    offers: list[FakeOffer] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    # Highest first index of a range the server accepts (the documented cap is 3000).
    max_first_index: int = 3000
    token_lifetime: int = 1499
    retry_after: str = "1"
    tokens_issued: list[str] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    search_calls: list[dict[str, str]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    token_bodies: list[dict[str, list[str]]] = field(default_factory=list)
    token_scopes: dict[str, str] = field(default_factory=dict)
    stats_calls: list[tuple[str, dict | None]] = field(default_factory=list)
    stats_faults: list[str] = field(default_factory=list)

    def install(self) -> FakeFranceTravail:
        self.server.expect_request(TOKEN_PATH, method="POST").respond_with_handler(self._token)
        self.server.expect_request(SEARCH_PATH, method="GET").respond_with_handler(self._search)
        stats = API_PATH + "/stats-offres-demandes-emploi/v1"
        self.server.expect_request(stats + "/referentiel/indicateurs", method="GET").respond_with_handler(
            lambda request: self._stats(request, MARKET_SCOPE)
        )
        self.server.expect_request(stats + "/indicateur/stat-demandeurs", method="POST").respond_with_handler(
            lambda request: self._stats(request, MARKET_SCOPE)
        )
        training = API_PATH + "/stats-entrees-sorties-formations/v1/indicateur/stat-acces-emploi-sorties-formation"
        self.server.expect_request(training, method="POST").respond_with_handler(
            lambda request: self._stats(request, TRAINING_SCOPE)
        )
        return self

    def _stats(self, request: Request, scope: str) -> Response:
        """Replays the bundled answers: the referential, and DE_1 for the one territory and code
        bundled; 204 (no figure) for any other code and for the training indicator."""
        body = request.get_json(silent=True) if request.method == "POST" else None
        self.stats_calls.append((request.path, body))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        fault = self.stats_faults.pop(0) if self.stats_faults else None
        if fault == "expire_token":
            self.revoked.add(token)
        if token not in self.tokens_issued or token in self.revoked:
            return Response(json.dumps({"message": "Invalid access token"}), 401, content_type="application/json")
        if self.token_scopes.get(token) != scope:
            return Response(json.dumps({"message": "scope not granted"}), 403, content_type="application/json")
        if fault == "503":
            return Response("<html>Service Unavailable</html>", 503)
        if fault == "500":
            self.stats_faults.insert(0, "500")
            return Response("<html>Internal Server Error</html>", 500)
        if request.path.endswith("/referentiel/indicateurs"):
            return Response(
                (STATS_DIR / "referentiel_indicateurs_response.json").read_bytes(), 200, content_type="application/json"
            )
        if request.path.endswith("/stat-demandeurs") and body == {
            "codeTypeTerritoire": "REG",
            "codeTerritoire": DE_1_TERRITORY,
            "codeTypeActivite": "ROME",
            "codeActivite": DE_1_ROME,
            "codeTypePeriode": "TRIMESTRE",
            "codeTypeNomenclature": "CATCAND",
            "sansCaracteristiques": False,
        }:
            return Response(DE_1_ANSWER.read_bytes(), 200, content_type="application/json")
        return Response("", 204)

    @property
    def token_url(self) -> str:
        return self.server.url_for(TOKEN_PATH) + "?realm=%2Fpartenaire"

    @property
    def api_url(self) -> str:
        return self.server.url_for(API_PATH)

    def ids_created_on(self, day: str) -> set[str]:
        return {fake.offer["id"] for fake in self.offers if fake.created.date().isoformat() == day}

    def _token(self, request: Request) -> Response:
        body = parse_qs(request.get_data(as_text=True))
        self.token_bodies.append(body)
        expected = {
            "grant_type": ["client_credentials"],
            "client_id": [CLIENT_ID],
            "client_secret": [CLIENT_SECRET],
        }
        scope = (body.pop("scope", None) or [""])[0]
        known = scope in (OFFERS_SCOPE, MARKET_SCOPE, TRAINING_SCOPE)
        if body != expected or not known or request.args.get("realm") != "/partenaire":
            return Response(json.dumps({"error": "invalid_client"}), 401, content_type="application/json")
        body["scope"] = [scope]
        token = f"token-{len(self.tokens_issued) + 1}"
        self.tokens_issued.append(token)
        self.token_scopes[token] = scope
        payload = {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime, "scope": "x"}
        return Response(json.dumps(payload), 200, content_type="application/json")

    def _search(self, request: Request) -> Response:
        params = dict(request.args)
        self.search_calls.append(params)
        response = self._answer(request, params)
        self.answers.append(response.status_code)
        return response

    def _answer(self, request: Request, params: dict[str, str]) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        fault = self.faults.pop(0) if self.faults else None
        if fault == "expire_token":
            self.revoked.add(token)
        if token not in self.tokens_issued or token in self.revoked:
            return Response(json.dumps({"message": "Invalid access token"}), 401, content_type="application/json")
        if fault == "429":
            return Response("", 429, headers={"Retry-After": self.retry_after})
        if fault == "503":
            return Response("<html>Service Unavailable</html>", 503)
        if "minCreationDate" not in params or "maxCreationDate" not in params:
            return _error(400, "minCreationDate et maxCreationDate doivent être renseignés ensemble")
        first, last = (int(part) for part in params.get("range", "0-149").split("-"))
        if last < first or last - first >= 150 or first > self.max_first_index or last > self.max_first_index + 149:
            return _error(400, f"La plage de résultats demandée {first}-{last} est incorrecte")
        start = datetime.strptime(params["minCreationDate"], TIME_FORMAT).replace(tzinfo=UTC)
        end = datetime.strptime(params["maxCreationDate"], TIME_FORMAT).replace(tzinfo=UTC)
        matching = [
            fake.offer
            for fake in sorted(self.offers, key=lambda fake: (fake.created, fake.offer["id"]), reverse=True)
            if start <= fake.created.replace(microsecond=0) <= end
            and (params.get("region") in (None, REGION))
            and params.get("departement") in (None, fake.departement)
        ]
        if not matching:
            return Response("", 204)
        page = matching[first : last + 1]
        body = json.dumps({"resultats": page, "filtresPossibles": []}, ensure_ascii=False)
        if fault == "truncated":
            cut = body.encode()[: len(body.encode()) // 2]
            return Response(
                cut,
                206 if len(matching) > len(page) else 200,
                headers={"Content-Length": str(len(body.encode()))},
                content_type="application/json",
                direct_passthrough=True,
            )
        if first == 0 and len(page) == len(matching):
            return Response(body, 200, content_type="application/json")
        return Response(
            body,
            206,
            content_type="application/json",
            headers={"Content-Range": f"offres {first}-{first + len(page) - 1}/{len(matching)}"},
        )


def _error(status: int, message: str) -> Response:
    return Response(json.dumps({"codeHttp": status, "message": message}), status, content_type="application/json")

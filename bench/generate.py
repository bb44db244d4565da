"""Scale generator: N offers in the France Travail API format, resampled from the bundled real ones.

    python -m bench.generate --offers 100000 --seed 1 --out /tmp/scale_snapshot

writes ``--out`` as a snapshot directory (use it as ``PASSERELLE_SNAPSHOT_DIR``): every bundled
folder is linked as it is, except the offers, which are replaced by
``france_travail_offres/DERIVED_SCALE_SYNTHETIC_seed<S>_part<k>.json`` (50,000 offers a file).

Each generated offer is a bundled real offer (title, description, occupation, skills, contract,
company fields) under a new id, with:

- a workplace drawn over every commune of France (COG 2024; Paris, Lyon and Marseille by
  arrondissement, as the API writes them) in proportion to its
  jobseekers: the DEFM count of its latest month where the bundled file has one (communes over
  5,000 inhabitants; keys the file repeats are averaged), else its population times the national
  ratio of jobseekers to population measured on the communes that have both;
- a creation instant drawn uniformly over ``--days`` days ending on ``--end`` (UTC);
- a description made distinct: its sentences rotated and completed with one sentence of another
  offer and a reference line, so that no two generated texts are identical (the extractor's
  caches see as many distinct texts as offers; near duplicates remain, as in real collections).

Nothing here is real data about a real offer: the files say SYNTHETIC in their name and every
offer carries ``"origineOffre": {"origine": "SCALE_SYNTHETIC"}``. Deterministic for a seed: the
same arguments write the same bytes.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from ingestion import commune_positions, geography, jobseekers
from ingestion.france_travail import OFFER_FILES
from ingestion.readers.files import decode
from matching.text import split_sentences
from orchestration.settings import DEFAULT_SNAPSHOT_DIR

OFFERS_FOLDER = "france_travail_offres"
OFFERS_PER_FILE = 50_000
ORIGIN = {"origine": "SCALE_SYNTHETIC"}


@dataclass(frozen=True)
class Workplaces:
    """Communes a workplace can be drawn from, with the probability of each."""

    codes: np.ndarray
    labels: np.ndarray  # "67 - STRASBOURG", as the API writes lieuTravail.libelle
    latitudes: np.ndarray
    longitudes: np.ndarray
    probabilities: np.ndarray


def bundled_offers(snapshot_dir: Path) -> list[dict]:
    """The bundled offers in API JSON (the .psv export, another format, is left out), in file order."""
    offers: list[dict] = []
    for folder, pattern in OFFER_FILES:
        if not pattern.endswith(".json"):
            continue
        for path in sorted((snapshot_dir / folder).glob(pattern)):
            document = json.loads(decode(path).text)
            offers.extend(document["resultats"] if isinstance(document, dict) else document)
    return offers


def workplaces(snapshot_dir: Path) -> Workplaces:
    """Every COG commune with a position, weighted by its jobseekers (see the module docstring).

    Paris, Lyon and Marseille are drawn by arrondissement, as the API writes them: each
    arrondissement takes the city's jobseekers in proportion to its population.
    """
    communes = geography.parse("communes", snapshot_dir).rows
    communes = communes.loc[communes["typecom"].isin(["COM", "ARM"]), ["typecom", "com", "comparent", "dep", "libelle"]]
    positions = commune_positions.parse(snapshot_dir).rows[["commune_code", "population", "latitude", "longitude"]]
    counts = jobseekers.parse(snapshot_dir).rows
    latest = counts.loc[counts["month"] == counts["month"].max()]
    # The file repeats some (commune, month) keys with different values: their mean is used.
    observed = latest.groupby("codgeo")["demandeurs_emploi"].mean()
    places = communes.merge(positions, left_on="com", right_on="commune_code", how="left")
    split_cities = set(places.loc[places["typecom"] == "ARM", "comparent"])
    places = places.loc[~places["com"].isin(split_cities)]
    places = places.dropna(subset=["latitude", "longitude"]).sort_values("com", kind="stable").reset_index(drop=True)
    city = places["comparent"].where(places["typecom"] == "ARM", places["com"])
    city_population = places.groupby(city)["population"].transform("sum")
    places["jobseekers"] = city.map(observed) * places["population"] / city_population
    both = places.dropna(subset=["jobseekers"])
    both = both.loc[both["population"] > 0]
    ratio = both["jobseekers"].sum() / both["population"].sum()
    weight = places["jobseekers"].fillna(places["population"].fillna(0) * ratio).to_numpy(dtype=float)
    return Workplaces(
        codes=places["com"].to_numpy(dtype=object),
        labels=(places["dep"] + " - " + places["libelle"].str.upper()).to_numpy(dtype=object),
        latitudes=places["latitude"].to_numpy(dtype=float),
        longitudes=places["longitude"].to_numpy(dtype=float),
        probabilities=weight / weight.sum(),
    )


def generate(
    count: int, seed: int, snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR, end: date = date(2026, 5, 4), days: int = 365
) -> Iterator[dict]:
    """``count`` offers, in id order; see the module docstring."""
    templates = bundled_offers(snapshot_dir)
    places = workplaces(snapshot_dir)
    sentences = [split_sentences(str(offer.get("description") or "")) for offer in templates]
    rng = np.random.default_rng(seed)
    chosen = rng.integers(0, len(templates), count)
    extra = rng.integers(0, len(templates), count)
    place = rng.choice(len(places.codes), size=count, p=places.probabilities)
    start = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1) - timedelta(days=days)
    seconds = np.sort(rng.integers(0, days * 86_400, count))
    # A loop over generated offers is unavoidable here (each is a JSON document); it is a bench
    # tool, run once per size, not a step of the pipeline.
    for index in range(count):
        template = templates[chosen[index]]
        pieces = sentences[chosen[index]]
        shift = index % max(len(pieces), 1)
        added = sentences[extra[index]][:1]
        created = (start + timedelta(seconds=int(seconds[index]))).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        where = place[index]
        offer_id = f"S{seed:02d}{index:08d}"
        yield {
            **template,
            "id": offer_id,
            "dateCreation": created,
            "dateActualisation": created,
            "description": " ".join([*pieces[shift:], *pieces[:shift], *added, f"Référence {offer_id}."]),
            "lieuTravail": {
                "libelle": places.labels[where],
                "latitude": round(float(places.latitudes[where]), 6),
                "longitude": round(float(places.longitudes[where]), 6),
                "commune": places.codes[where],
            },
            "origineOffre": ORIGIN,
        }


def write_snapshot(
    out: Path, count: int, seed: int, snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR, **window: object
) -> list[Path]:
    """Write ``out`` (see the module docstring); return the offer files written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    offer_folders = {folder for folder, _ in OFFER_FILES}
    for entry in sorted(snapshot_dir.iterdir()):
        if entry.is_dir() and entry.name not in offer_folders:
            (out / entry.name).symlink_to(entry.resolve(), target_is_directory=True)
    (out / OFFERS_FOLDER).mkdir()
    written: list[Path] = []
    batch: list[dict] = []
    for offer in generate(count, seed, snapshot_dir, **window):  # type: ignore[arg-type]
        batch.append(offer)
        if len(batch) == OFFERS_PER_FILE:
            written.append(write_offers_file(out, seed, len(written), batch))
            batch = []
    if batch or not written:
        written.append(write_offers_file(out, seed, len(written), batch))
    return written


def write_offers_file(out: Path, seed: int, part: int, offers: list[dict]) -> Path:
    """One file of generated offers in the snapshot ``out`` (its name says SYNTHETIC and the seed)."""
    path = out / OFFERS_FOLDER / f"DERIVED_SCALE_SYNTHETIC_seed{seed}_part{part:03d}.json"
    path.write_text(json.dumps(offers, ensure_ascii=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, required=True, help="how many offers to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="the snapshot directory to write (replaced)")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 5, 4), help="last creation day")
    parser.add_argument("--days", type=int, default=365, help="creation days, ending on --end")
    parser.add_argument("--snapshot-dir", type=Path, default=DEFAULT_SNAPSHOT_DIR)
    args = parser.parse_args()
    files = write_snapshot(args.out, args.offers, args.seed, args.snapshot_dir, end=args.end, days=args.days)
    print(f"{args.offers:,} offers in {len(files)} file(s) under {args.out / OFFERS_FOLDER}")


if __name__ == "__main__":
    main()

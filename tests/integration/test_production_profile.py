"""The production profile run for real (docs/deploy.md): a PostgreSQL server and a Redis server from
the Debian packages, on loopback; a Dagster instance configured by docs/deploy/dagster.yaml (run,
event and schedule storage in PostgreSQL); steps executed by the Celery executor on two Celery
workers started with docs/deploy/celery.yaml. What it lands must equal what the default profile
(SQLite run history, steps in process) lands for the same sources and day partitions.

Outside CI the test is skipped when the Debian binaries are missing; under CI (``CI`` or
``PASSERELLE_REQUIRE_PROFILE`` set) it fails instead: .ci/run installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from dagster._core.events import DagsterEventType

from ingestion.landing import INGESTED_AT, PARQUET_NAME
from orchestration.executors import WAREHOUSE_POOL
from orchestration.run_history import write_instance_config
from orchestration.settings import REPOSITORY_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.profile]

DEPLOY_DIR = REPOSITORY_ROOT / "docs" / "deploy"
BIN = Path(sys.executable).parent
# Two consecutive creation days of the bundled offers (58 and 94 offers): in the production profile
# one run each, at once; in the default profile one run over the range, as `passerelle run` does.
OFFER_DAYS = ["2025-01-08", "2025-01-09"]
# Independent raw tables: one run whose steps (a landing and a Great Expectations check each) the
# two workers share.
RAW_KEYS = ["rome/fiches", "rome/appellations", "rome/mobility", "rome/domains"]
WORKERS = ["worker-1", "worker-2"]
# A guard against a hang, not a target: the test takes 1.5 to 3 minutes on a loaded 2-core machine.
TIMEOUT_SECONDS = 420


def _required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("PASSERELLE_REQUIRE_PROFILE"))


def _binaries() -> dict[str, Path]:
    """initdb, pg_ctl and redis-server from the Debian packages postgresql and redis-server."""
    found: dict[str, Path] = {}
    postgres_bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    for name in ("initdb", "pg_ctl", "createdb"):
        candidates = [path / name for path in postgres_bins if (path / name).exists()]
        if candidates:
            found[name] = candidates[-1]
    redis = shutil.which("redis-server")
    if redis:
        found["redis-server"] = Path(redis)
    missing = {"initdb", "pg_ctl", "createdb", "redis-server"} - set(found)
    if missing:
        reason = (
            f"production profile: {', '.join(sorted(missing))} not found "
            "(apt-get install -y postgresql redis-server; .ci/run does it)"
        )
        if _required():
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root (CI), its commands run as the Debian package's
    ``postgres`` account; as anyone else, as that user."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


def _postgres_command(arguments: list[str], work: Path) -> None:
    """Run a PostgreSQL command from the cluster's folder (the ``postgres`` account may not read the
    current one); on failure, fail with its output."""
    done = subprocess.run([*_as_postgres_user(), *arguments], capture_output=True, text=True, cwd=work)
    if done.returncode != 0:
        pytest.fail(f"{Path(arguments[0]).name}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


@contextmanager
def postgres_server(binaries: dict[str, Path]) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1; yields the URL of an empty database."""
    work = Path(tempfile.mkdtemp(prefix="passerelle-postgres-"))
    cluster = work / "cluster"
    port = _free_port()
    try:
        if os.geteuid() == 0:
            try:
                shutil.chown(work, user="postgres")
            except LookupError:
                pytest.fail("running as root, PostgreSQL needs the account 'postgres' (apt-get install -y postgresql)")
        # UTF-8 whatever the machine's locale: event messages and metadata hold French text.
        initdb = [str(binaries["initdb"]), "-D", str(cluster), "-U", "passerelle", "--auth=trust"]
        _postgres_command([*initdb, "-E", "UTF8", "--locale=C"], work)
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={work} -c fsync=off"
        log = str(work / "server.log")
        _postgres_command([str(binaries["pg_ctl"]), "-D", str(cluster), "-l", log, "-o", options, "-w", "start"], work)
        _postgres_command(
            [str(binaries["createdb"]), "-h", "127.0.0.1", "-p", str(port), "-U", "passerelle", "dagster"], work
        )
        yield f"postgresql+psycopg2://passerelle:unused@127.0.0.1:{port}/dagster"
    finally:
        if (cluster / "postmaster.pid").exists():
            subprocess.run(
                [*_as_postgres_user(), str(binaries["pg_ctl"]), "-D", str(cluster), "-m", "immediate", "stop"],
                capture_output=True,
                cwd=work,
            )
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def redis_server(binaries: dict[str, Path], work: Path) -> Iterator[str]:
    """A Redis server on 127.0.0.1 with no persistence; yields its URL."""
    import redis

    port = _free_port()
    server = subprocess.Popen(
        [str(binaries["redis-server"]), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _profile_env(data_dir: Path, dagster_home: Path, **settings: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PASSERELLE_", "DAGSTER_")) and key not in ("CELERY_BROKER_URL",)
    }
    environment.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        PASSERELLE_DATA_DIR=str(data_dir),
        DAGSTER_HOME=str(dagster_home),
        DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS="true",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        **settings,
    )
    return environment


def _materialize(
    environment: dict[str, str], log: Path, runs: list[tuple[str, str | None, str | None]], go_file: Path | None = None
) -> None:
    """Run ``runs`` (selection, partition, partition range) at once, as ``dagster asset materialize``
    does, from one process (tests/profile_runs.py), once ``go_file`` exists; on failure, fail with
    the log's end."""
    with log.open("wb") as output:
        code = subprocess.run(
            [sys.executable, str(REPOSITORY_ROOT / "tests" / "profile_runs.py"), json.dumps(runs)]
            + ([str(go_file)] if go_file else []),
            env=environment,
            cwd=REPOSITORY_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT_SECONDS,
        ).returncode
    if code != 0:
        pytest.fail(f"{log.name}: exit {code}\n{log.read_text(errors='replace')[-3000:]}")


@contextmanager
def celery_workers(environment: dict[str, str], logs: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two Celery workers of one process each, started as docs/deploy.md says (the definitions
    imported before the worker forks its process); stopped on exit."""
    workers = [
        subprocess.Popen(
            [str(BIN / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app"]
            + ["-y", str(DEPLOY_DIR / "celery.yaml"), "-i", "orchestration.definitions", "-n", name]
            + ["-l", "INFO", "--", "--concurrency=1"],
            env=environment,
            cwd=REPOSITORY_ROOT,
            stdout=(logs / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name in WORKERS
    ]
    try:
        yield workers
    finally:
        for worker in workers:
            # The worker command runs celery as a child: stop the whole session.
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


def _wait_for_workers(workers: list[subprocess.Popen[bytes]], broker: str, logs: Path) -> list[str]:
    """The names of the workers, once each answers a ping."""
    import celery

    app = celery.Celery(broker=broker)
    deadline = time.monotonic() + TIMEOUT_SECONDS
    answered: set[str] = set()
    while len(answered) < len(WORKERS):
        answered |= {name for reply in app.control.ping(timeout=1.0) for name in reply}
        if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
            tails = "\n".join((logs / f"{name}.log").read_text(errors="replace")[-1500:] for name in WORKERS)
            pytest.fail(f"Celery workers not ready (answered: {sorted(answered)}):\n{tails}")
    return sorted(answered)


def _landed_tables(data_dir: Path) -> dict[str, tuple[object, dict[str, object]]]:
    """Every landed Parquet file (without the landing time) and its manifest's accounting, by path."""
    landed: dict[str, tuple[object, dict[str, object]]] = {}
    for parquet in sorted((data_dir / "raw").glob(f"*/*/*/{PARQUET_NAME}")):
        table = pq.read_table(parquet)
        manifest = json.loads((parquet.parent / "_manifest.json").read_text())
        accounting = {key: manifest.get(key) for key in ("rows", "rows_read", "rows_quarantined", "origin")}
        accounting["source_sha256"] = sorted(str(file.get("sha256")) for file in manifest.get("source_files", []))
        landed[str(parquet.relative_to(data_dir))] = (table.drop_columns([INGESTED_AT]), accounting)
    return landed


def _materialized_rows(instance: dg.DagsterInstance) -> dict[str, int]:
    """Rows of the latest materialization of each raw table and of each day partition, from the run history."""
    rows: dict[str, int] = {}
    for key in RAW_KEYS:
        event = instance.get_latest_materialization_event(dg.AssetKey.from_user_string(key))
        assert event is not None and event.asset_materialization is not None, key
        rows[key] = int(event.asset_materialization.metadata["dagster/row_count"].value)  # type: ignore[arg-type]
    offers = dg.AssetKey(["france_travail", "job_offers"])
    records = instance.fetch_materializations(offers, limit=100).records
    for record in records:
        materialization = record.asset_materialization
        assert materialization is not None
        rows[f"france_travail/job_offers/{materialization.partition}"] = int(
            materialization.metadata["dagster/row_count"].value  # type: ignore[arg-type]
        )
    return rows


def test_postgres_and_celery_profile_lands_what_the_default_profile_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binaries = _binaries()
    logs = tmp_path / "logs"
    logs.mkdir()
    started = time.monotonic()
    with postgres_server(binaries) as postgres_url, redis_server(binaries, tmp_path) as redis_url:
        celery_home = tmp_path / "celery_home"
        celery_home.mkdir()
        shutil.copy(DEPLOY_DIR / "dagster.yaml", celery_home / "dagster.yaml")
        celery_env = _profile_env(
            tmp_path / "celery_data",
            celery_home,
            PASSERELLE_DAGSTER_PG_URL=postgres_url,
            PASSERELLE_EXECUTOR="celery",
            PASSERELLE_CELERY_BROKER=f"{redis_url}/0",
            PASSERELLE_CELERY_BACKEND=f"{redis_url}/1",
        )
        default_home = tmp_path / "default_home"
        write_instance_config(default_home)  # the instance `make run` uses
        default_env = _profile_env(tmp_path / "default_data", default_home)

        # The default profile, as `passerelle run` lands offers (the range of days in one run), in a
        # thread of its own while the production profile runs.
        offers_range = ("france_travail/job_offers", None, f"{OFFER_DAYS[0]}...{OFFER_DAYS[-1]}")
        raw_tables = (",".join(RAW_KEYS), None, None)
        with ThreadPoolExecutor(max_workers=2) as background:
            default_runs = background.submit(
                _materialize, default_env, logs / "default.log", [offers_range, raw_tables]
            )
            # The schema is created once, before anything else uses the database (concurrent first
            # uses race on it), as docs/deploy.md says.
            subprocess.run(
                [str(BIN / "dagster"), "instance", "migrate"], env=celery_env, check=True, capture_output=True
            )
            with celery_workers(celery_env, logs) as workers:
                # The production profile: one run per offer day (each a step any worker may take)
                # and one run over the independent raw tables, all at once, launched once both
                # workers are up (each imports the definitions meanwhile).
                go_file = tmp_path / "workers_ready"
                offer_days = [("france_travail/job_offers", day, None) for day in OFFER_DAYS]
                celery_runs = background.submit(
                    _materialize, celery_env, logs / "celery.log", [*offer_days, raw_tables], go_file
                )
                worker_names = _wait_for_workers(workers, f"{redis_url}/0", logs)
                assert len(worker_names) == 2
                go_file.touch()
                celery_runs.result()
            celery_seconds = time.monotonic() - started
            default_runs.result()
        # This process reads the run history in PostgreSQL through the same dagster.yaml.
        monkeypatch.setenv("PASSERELLE_DAGSTER_PG_URL", postgres_url)

        # Row for row, the same landed tables.
        celery_landed = _landed_tables(tmp_path / "celery_data")
        default_landed = _landed_tables(tmp_path / "default_data")
        assert sorted(celery_landed) == sorted(default_landed)
        offer_paths = [path for path in celery_landed if path.startswith("raw/france_travail/job_offers/")]
        assert sorted(path.split("/")[3] for path in offer_paths) == sorted(OFFER_DAYS)
        for path, (table, accounting) in celery_landed.items():
            default_table, default_accounting = default_landed[path]
            assert table.num_rows > 0, path
            assert table.equals(default_table), path
            assert accounting == default_accounting, path
        assert {path.split("/")[3]: celery_landed[path][0].num_rows for path in offer_paths} == {
            "2025-01-08": 58,
            "2025-01-09": 94,
        }

        # The run history in PostgreSQL records the same materializations, partition by partition.
        with dg.DagsterInstance.from_config(str(celery_home)) as production:
            assert type(production.run_storage).__name__ == "PostgresRunStorage"
            assert type(production.event_log_storage).__name__ == "PostgresEventLogStorage"
            # The warehouse pool holds one step at a time across runs: a second run's step waits.
            storage = production.event_log_storage
            assert storage.supports_global_concurrency_limits
            assert production.get_concurrency_config().pool_config.default_pool_limit == 1
            storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
            assert storage.claim_concurrency_slot(WAREHOUSE_POOL, "run-a", "dbt_step").is_claimed
            assert not storage.claim_concurrency_slot(WAREHOUSE_POOL, "run-b", "extraction_step").is_claimed
            storage.free_concurrency_slot_for_step("run-a", "dbt_step")
            assert storage.claim_concurrency_slot(WAREHOUSE_POOL, "run-b", "extraction_step").is_claimed
            runs_stored = production.get_runs()
            assert len(runs_stored) == len(OFFER_DAYS) + 1
            assert {run.status for run in runs_stored} == {dg.DagsterRunStatus.SUCCESS}
            # Which worker executed each step: the Celery executor's engine event names it.
            worker_of_step: dict[str, str] = {}
            for run in runs_stored:
                for record in production.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT):
                    event = record.dagster_event
                    assert event is not None
                    worker = event.engine_event_data.metadata.get("Celery worker")
                    if worker is not None:
                        worker_of_step[f"{run.run_id[:8]}:{event.step_key}"] = str(worker.value)
            production_rows = _materialized_rows(production)
        with dg.DagsterInstance.from_config(str(default_home)) as default:
            assert type(default.run_storage).__name__ == "SqliteRunStorage"
            default_rows = _materialized_rows(default)
        assert production_rows == default_rows
        assert sorted(production_rows) == sorted(
            [*RAW_KEYS, *(f"france_travail/job_offers/{day}" for day in OFFER_DAYS)]
        )
        assert production_rows["france_travail/job_offers/2025-01-09"] == 94
        # Every step ran in a Celery worker, and both workers took steps.
        steps = len(RAW_KEYS) + len(OFFER_DAYS)
        assert len(worker_of_step) >= steps
        assert set(worker_of_step.values()) == set(worker_names), worker_of_step
    print(
        f"production profile: servers, workers and Celery runs {celery_seconds:.0f} s; whole test "
        f"{time.monotonic() - started:.0f} s; steps per worker {Counter(worker_of_step.values())}"
    )

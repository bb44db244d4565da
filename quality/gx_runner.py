"""Run an expectation suite on a frame with an ephemeral Great Expectations context.

One context per process (creating one costs about a second); each validation returns a
:class:`SuiteOutcome` that says, per expectation, whether it held and the first values that did not.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

# GX reads this when it is imported: no usage statistics leave the machine.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
from great_expectations.core.expectation_validation_result import ExpectationValidationResult  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine import pandas_execution_engine  # noqa: E402
from great_expectations.expectations import Expectation  # noqa: E402
from great_expectations.validator.v1_validator import Validator  # noqa: E402

# GX fingerprints every in-memory frame it is given (a hash of every row, only kept as a batch
# marker that nothing here reads): the frames are hashed only above this size, so never.
pandas_execution_engine.HASH_THRESHOLD = 0

FIRST_FAILING_VALUES = 5
BOOLEAN_ONLY: dict[str, object] = {"result_format": "BOOLEAN_ONLY"}
DETAILS: dict[str, object] = {"result_format": "SUMMARY", "partial_unexpected_count": FIRST_FAILING_VALUES}


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    first_failing_values: list[object]
    observed_value: object = None

    def describe(self) -> str:
        where = f" on {self.column!r}" if self.column else ""
        if self.success:
            return f"{self.expectation}{where}: ok"
        details = []
        if self.unexpected_count is not None:
            details.append(f"{self.unexpected_count} rows")
        if self.first_failing_values:
            details.append(f"first {self.first_failing_values}")
        if self.observed_value is not None and not self.first_failing_values:
            details.append(f"observed {self.observed_value!r}")
        return f"{self.expectation}{where} FAILED: " + ", ".join(details)


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    rows: int
    outcomes: list[ExpectationOutcome]

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]

    def summary(self) -> str:
        head = f"{self.suite}: {len(self.outcomes) - len(self.failed)}/{len(self.outcomes)} expectations hold on {self.rows:,} rows"
        return "; ".join([head, *(outcome.describe() for outcome in self.failed)])


@functools.cache
def _batch_definition() -> gx.core.batch_definition.BatchDefinition:
    context = gx.get_context(mode="ephemeral")
    # Progress bars would print one line per validation to the run's logs.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("passerelle")
    return source.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole frame")


def _plain(value: object) -> object:
    """A JSON-friendly value for metadata (timestamps and numpy scalars as text or numbers)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "item"):
        try:
            return value.item()  # type: ignore[union-attr]
        except (ValueError, TypeError):
            pass
    return str(value)


def _validate_suite(
    name: str, frame: pd.DataFrame, expectations: Sequence[Expectation], result_format: dict[str, object]
) -> list[ExpectationValidationResult]:
    suite = gx.ExpectationSuite(name=name, expectations=[e.copy() for e in expectations])
    # The validator reads the batch itself: building it first (Batch.validate) read it twice.
    validator = Validator(
        batch_definition=_batch_definition(), batch_parameters={"dataframe": frame}, result_format=result_format
    )
    return validator.validate_expectation_suite(suite).results


def _key(item: ExpectationValidationResult) -> str:
    configuration = item.expectation_config
    return configuration.type + repr(sorted(configuration.kwargs.items()))


def _outcome(item: ExpectationValidationResult) -> ExpectationOutcome:
    details = item.result or {}
    configuration = item.expectation_config
    column = configuration.kwargs.get("column") or configuration.kwargs.get("column_list")
    partial = details.get("partial_unexpected_list") or []
    missing_columns = ((details.get("details") or {}).get("mismatched") or {}).get("missing")
    if missing_columns:
        partial = [f"missing column {column}" for column in missing_columns]
    error = (item.exception_info or {}).get("exception_message") if not item.success else None
    return ExpectationOutcome(
        expectation=configuration.type,
        column=str(column) if column is not None else None,
        success=bool(item.success),
        unexpected_count=details.get("unexpected_count"),
        first_failing_values=[_plain(value) for value in partial[:FIRST_FAILING_VALUES]],
        observed_value=_plain(details.get("observed_value")) if error is None else f"error: {error}",
    )


def validate(name: str, frame: pd.DataFrame, expectations: Sequence[Expectation]) -> SuiteOutcome:
    """Validate ``frame`` against ``expectations``; a missing column fails its expectations, never raises.

    Every expectation is evaluated once for pass or fail only (GX's BOOLEAN_ONLY result format); the
    ones that fail are evaluated again for their counts and first failing values. The details cost
    half of the validation time (unexpected value lists and counts for every expectation), and a
    passing check reports none of them.
    """
    results = _validate_suite(name, frame, expectations, BOOLEAN_ONLY)
    failed = [item.expectation_config.to_domain_obj() for item in results if not item.success]
    if failed:
        # GX orders results by what they compute, not as given: each detail finds its expectation by key.
        detailed: dict[str, list[ExpectationValidationResult]] = {}
        for item in _validate_suite(name, frame, failed, DETAILS):
            detailed.setdefault(_key(item), []).append(item)
        results = [item if item.success else detailed[_key(item)].pop(0) for item in results]
    return SuiteOutcome(suite=name, rows=len(frame), outcomes=[_outcome(item) for item in results])

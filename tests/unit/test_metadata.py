"""Metadata previews shown in the Dagster UI."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.metadata import markdown_preview


def test_a_preview_shows_list_cells_as_their_items() -> None:
    # The match tables carry skill-code lists: a list of two items once failed the preview and,
    # with it, the whole asset (pd.isna of an array is not a truth value).
    frame = pd.DataFrame(
        {"covered_skill_codes": [np.array(["101788", "124026"]), ["121316"], None], "_row_number": [1, 2, 3]}
    )
    assert markdown_preview(frame).value.splitlines() == [
        "| covered_skill_codes |",
        "|---|",
        "| 101788, 124026 |",
        "| 121316 |",
        "|  |",
    ]

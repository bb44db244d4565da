"""Summaries of match tables: the matching funnel and score distributions."""

from __future__ import annotations

import pandas as pd


def matching_funnel(postings: int, candidate_matches: pd.DataFrame) -> dict[str, int]:
    """The funnel of the region's postings through candidate matching.

    - ``postings``: the region's postings (near duplicates excluded);
    - ``with_candidate``: postings with at least one candidate within that candidate's radius;
    - ``needing_training``: of those, postings whose best candidate (rank 1) lacks at least one
      of the posting's skills;
    - ``with_closing_training``: of those, postings where at least one matched candidate has a
      nearby training that teaches part of their gap.
    """
    if candidate_matches.empty:
        return {"postings": postings, "with_candidate": 0, "needing_training": 0, "with_closing_training": 0}
    best = candidate_matches[candidate_matches["rank"] == 1]
    needing = set(best.loc[best["is_training_needed"].astype(bool), "posting_id"])
    closing = set(candidate_matches.loc[candidate_matches["closing_training_id"].notna(), "posting_id"])
    return {
        "postings": postings,
        "with_candidate": int(candidate_matches["posting_id"].nunique()),
        "needing_training": len(needing),
        "with_closing_training": len(needing & closing),
    }


def score_distribution(scores: pd.Series) -> dict[str, float]:
    if scores.empty:
        return {}
    quantiles = scores.quantile([0.0, 0.25, 0.5, 0.75, 1.0])
    return {
        name: round(float(value), 4)
        for name, value in zip(["min", "p25", "median", "p75", "max"], quantiles, strict=True)
    }

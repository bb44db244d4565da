"""Distances and the spatial grid used to block candidate pairs before any distance is computed.

The grid has cells of ``CELL_DEGREES_LATITUDE`` by ``CELL_DEGREES_LONGITUDE``, at least
``CELL_KM`` wide everywhere in metropolitan France (latitude 41 to 51.1 degrees, where one degree
of longitude is at least 69.9 km). Two points less than ``CELL_KM`` apart therefore lie in the same
or adjacent cells, so a radius of R km needs the cells within ``ceil(R / CELL_KM)`` steps only.
Overseas points fall in cells of their own and behave the same way, a little more conservatively.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
CELL_KM = 60.0
CELL_DEGREES_LATITUDE = CELL_KM / 111.0
CELL_DEGREES_LONGITUDE = CELL_KM / 69.9


def haversine_sql(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """SQL expression of the great-circle distance in km between two points (degrees)."""
    return (
        f"(2 * {EARTH_RADIUS_KM} * asin(sqrt("
        f"power(sin(radians({lat2} - {lat1}) / 2), 2) + "
        f"cos(radians({lat1})) * cos(radians({lat2})) * power(sin(radians({lon2} - {lon1}) / 2), 2))))"
    )


def cell_sql(latitude: str, longitude: str) -> tuple[str, str]:
    """SQL expressions of a point's grid cell (row, column)."""
    return (
        f"cast(floor({latitude} / {CELL_DEGREES_LATITUDE}) as bigint)",
        f"cast(floor({longitude} / {CELL_DEGREES_LONGITUDE}) as bigint)",
    )


def cell_reach(radius_km: float) -> int:
    """How many cells away a point within ``radius_km`` can be."""
    return max(1, math.ceil(radius_km / CELL_KM))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (scalar; for tests and explanations)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))

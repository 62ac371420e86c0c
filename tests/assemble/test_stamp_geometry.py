"""Where the "Page N" stamp goes: pure arithmetic over boxes and /Rotate (no PDF I/O)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packbuilder.assemble.stamp import STAMP_BASELINE, Geometry, page_geometry, stamp_matrix


def displayed(g: Geometry, x: float, y: float) -> tuple[float, float]:
    """A user-space point in the coordinates of the page as a viewer shows it (origin lower left).

    /Rotate turns the page clockwise by that many degrees when it is displayed.
    """
    if g.rotate == 90:
        return y - g.y0, g.x1 - x
    if g.rotate == 180:
        return g.x1 - x, g.y1 - y
    if g.rotate == 270:
        return g.y1 - y, x - g.x0
    return x - g.x0, y - g.y0


def displayed_size(g: Geometry) -> tuple[float, float]:
    width, height = g.x1 - g.x0, g.y1 - g.y0
    return (height, width) if g.rotate in (90, 270) else (width, height)


geometries = st.builds(
    lambda x0, y0, w, h, r: Geometry(x0, y0, x0 + w, y0 + h, r),
    st.floats(-2000, 2000),
    st.floats(-2000, 2000),
    st.floats(100, 3000),
    st.floats(100, 3000),
    st.sampled_from([0, 90, 180, 270]),
)


@given(geometries, st.floats(10, 90))
def test_stamp_is_upright_centred_at_the_displayed_foot(g, width):
    a, b, c, d, e, f = stamp_matrix(g, width)
    start = displayed(g, e, f)
    end = displayed(g, e + a * width, f + b * width)
    up = displayed(g, e + c, f + d)
    page_width, _ = displayed_size(g)
    # the baseline runs left to right on screen, at the foot, centred
    assert end[0] - start[0] == pytest.approx(width, abs=1e-6)
    assert end[1] == pytest.approx(start[1], abs=1e-6)
    assert start[1] == pytest.approx(STAMP_BASELINE, abs=1e-6)
    assert (start[0] + end[0]) / 2 == pytest.approx(page_width / 2, abs=1e-6)
    # "up" for the glyphs is up on screen: the text is not mirrored or upside down
    assert up[1] - start[1] == pytest.approx(1, abs=1e-6)


@pytest.mark.parametrize(
    "page,expected",
    [
        ({"/MediaBox": [0, 0, 595, 842]}, Geometry(0, 0, 595, 842, 0)),
        ({"/MediaBox": [100, 100, 695, 942], "/Rotate": 90}, Geometry(100, 100, 695, 942, 90)),
        ({"/MediaBox": [0, 0, 842, 595], "/Rotate": -90}, Geometry(0, 0, 842, 595, 270)),
        ({"/MediaBox": [0, 842, 595, 0], "/Rotate": 450}, Geometry(0, 0, 595, 842, 90)),
        # the CropBox is what a viewer shows, clipped to the MediaBox
        (
            {"/MediaBox": [0, 0, 612, 792], "/CropBox": [-10, 20, 600, 900]},
            Geometry(0, 20, 600, 792, 0),
        ),
        ({}, Geometry(0, 0, 612, 792, 0)),  # no MediaBox: the PDF default (Letter)
        ({"/MediaBox": [0, 0, 0, 0]}, Geometry(0, 0, 612, 792, 0)),
    ],
)
def test_page_geometry(page, expected):
    assert page_geometry(page) == expected


@given(geometries, st.floats(10, 90), st.floats(0.1, 100))
def test_stamp_is_scaled_by_the_user_unit(g, width, unit):
    """On a /UserUnit ``unit`` page the stamp is as big and as high (in points) as on others."""
    scaled = Geometry(g.x0, g.y0, g.x1, g.y1, g.rotate, unit)
    plain, matrix = stamp_matrix(g, width), stamp_matrix(scaled, width)
    for a, b in zip(plain[:4], matrix[:4], strict=True):
        assert b * unit == pytest.approx(a, abs=1e-9)
    # The start of the baseline is 0.8 cm (in points) above the foot, centred.
    start = displayed(scaled, matrix[4], matrix[5])
    assert start[1] * unit == pytest.approx(STAMP_BASELINE, abs=1e-6)
    page_width, _ = displayed_size(scaled)
    assert (start[0] + width / unit / 2) == pytest.approx(page_width / 2, abs=1e-6)


def test_user_unit_is_read_from_the_page():
    assert page_geometry({"/MediaBox": [0, 0, 60, 80], "/UserUnit": 10}).unit == 10
    for bad in (0, -2, "x", float("inf")):
        assert page_geometry({"/MediaBox": [0, 0, 60, 80], "/UserUnit": bad}).unit == 1

"""Periodic cuts: exact multiples, a clipped tail, clear errors."""

import pytest

from laps.errors import ConfigError
from laps.evaluate.baselines import periodic_segments


def test_cuts_every_period_and_clips_the_tail():
    segs = periodic_segments(7.5, 2.0)
    assert [(s.start_s, s.end_s) for s in segs] == [(0, 2), (2, 4), (4, 6), (6, 7.5)]
    assert {s.label for s in segs} == {"period"}


def test_exact_multiple_has_no_empty_tail():
    segs = periodic_segments(6.000000000001, 2.0)
    assert len(segs) == 3 and segs[-1].end_s == pytest.approx(6.0)
    assert all(b.start_s == a.end_s for a, b in zip(segs, segs[1:], strict=False))


def test_shorter_than_a_period_is_one_segment():
    assert [(s.start_s, s.end_s) for s in periodic_segments(0.5, 2.0)] == [(0.0, 0.5)]


@pytest.mark.parametrize(("duration", "period"), [(0.0, 2.0), (5.0, 0.0), (5.0, float("nan"))])
def test_bad_inputs_raise(duration, period):
    with pytest.raises(ConfigError, match="expected"):
        periodic_segments(duration, period)

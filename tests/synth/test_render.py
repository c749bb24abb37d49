import numpy as np
import pytest

from laps.synth import FrameRenderer, Preset, View, frame_times, iter_frames, make_config

from .conftest import QUIET, SMALL


@pytest.mark.parametrize("preset", list(Preset))
@pytest.mark.parametrize("view", list(View))
def test_every_preset_and_view_renders(preset: Preset, view: View) -> None:
    cfg = make_config(seed=2, duration_s=1.0, preset=preset.value, view=view.value, **SMALL)
    frames = list(iter_frames(cfg))
    assert len(frames) == 30
    img = frames[15].image
    assert img.shape == (144, 256, 3) and img.dtype == np.uint8
    assert img.std() > 10  # a textured scene, not a blank frame
    assert frames[0].label == 0  # every video starts idle


def test_oblique_and_top_views_differ() -> None:
    top, obl = (
        FrameRenderer(make_config(seed=2, view=v, **SMALL)).render_bgr(0, 0.0)
        for v in ("top", "oblique")
    )
    assert np.abs(top.astype(int) - obl.astype(int)).mean() > 5


def test_any_frame_renders_alone_and_the_same_each_time() -> None:
    cfg = make_config(seed=3, duration_s=20.0, preset="hard", **SMALL)
    a, b = FrameRenderer(cfg), FrameRenderer(cfg)
    np.testing.assert_array_equal(a.render(150, 5.0), b.render(150, 5.0))
    np.testing.assert_array_equal(a.render(150, 5.0), a.render(150, 5.0))


def test_seeds_give_different_videos() -> None:
    a = FrameRenderer(make_config(seed=1, **SMALL)).render(0, 0.0)
    b = FrameRenderer(make_config(seed=2, **SMALL)).render(0, 0.0)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize(("w", "h"), [(64, 64), (202, 70), (130, 66)])
def test_any_even_size_renders(w: int, h: int) -> None:
    r = FrameRenderer(make_config(seed=1, width=w, height=h, preset="hard", view="oblique"))
    assert r.render_bgr(0, 0.0).shape == (h, w, 3)
    assert r.render(0, 0.0).shape == (h * 3 // 2, w)  # I420


def test_constant_rate_times_are_index_over_fps() -> None:
    ft = frame_times(make_config(duration_s=2.0, fps=25))
    np.testing.assert_allclose(ft.seconds, np.arange(50) / 25)
    assert ft.end_s == pytest.approx(2.0)


def test_variable_rate_times_jitter_and_drop_but_increase() -> None:
    ft = frame_times(make_config(duration_s=30.0, fps=30, vfr=True, seed=4))
    gaps = np.diff(ft.seconds)
    assert np.all(gaps > 0)
    assert gaps.std() > 0.003  # jittered
    assert gaps.max() > 1.5 / 30  # some frames dropped
    assert ft.seconds[-1] < 30.0 <= ft.end_s + 1 / 30
    np.testing.assert_allclose(ft.seconds, ft.pts * float(ft.time_base))


def test_nuisances_move_pixels_during_idle() -> None:
    """In the hard preset the scene changes even while the worker is idle (belt, light,
    noise, shake); with every knob off an idle scene is frozen."""
    quiet = FrameRenderer(make_config(seed=6, preset="easy", nuisance=QUIET, **SMALL))
    hard = FrameRenderer(make_config(seed=6, preset="hard", **SMALL))
    t0, t1 = 0.1, 0.3  # both plans open with an idle spell of at least 0.5 s
    assert quiet.plan.steps[0].label == hard.plan.steps[0].label == "idle"
    np.testing.assert_array_equal(quiet.render(3, t0), quiet.render(9, t1))
    assert np.abs(hard.render(3, t0).astype(int) - hard.render(9, t1).astype(int)).mean() > 1

"""The worker's motion without pixels: the task plan and the arms that follow it.

:class:`Kinematics` is what the frame renderer and the oracle (true hand speed) share; it
builds no scene, so it is cheap to make from a config alone.
"""

from __future__ import annotations

import numpy as np

from laps.synth.arm import Arm, ArmGeom, random_style
from laps.synth.config import SynthConfig, View
from laps.synth.layout import SHOULDER_ONE_ARM, SHOULDERS, Frame
from laps.synth.script import Plan, make_plan
from laps.synth.script_v2 import make_plan_v2

# Suite v2: the dominant hand serves every bin, so both shoulders sit nearer the middle.
SHOULDERS_V2 = ((0.6, 1.1), (0.4, 1.1))
SCRIPT_STREAM, STYLE_STREAM = 0, 2  # of the 8 sub-streams of the seed (render.py)


def make_arms(
    fr: Frame,
    n_arms: int,
    rng: np.random.Generator,
    oblique: bool,
    shoulders: tuple[tuple[float, float], ...] = SHOULDERS,
) -> list[Arm]:
    """One arm (right) or two (right, left) of one worker: both share sleeve and skin."""
    style = random_style(rng)
    if n_arms == 1:
        return [Arm(fr, SHOULDER_ONE_ARM, 1, style, oblique)]
    return [Arm(fr, shoulders[0], 1, style, oblique), Arm(fr, shoulders[1], -1, style, oblique)]


class Kinematics:
    """The plan and the arms of one video (the same as its renderer's).

    Args:
        cfg: the video's config.
    """

    def __init__(self, cfg: SynthConfig) -> None:
        self.fr = Frame(cfg.width, cfg.height)
        seqs = np.random.SeedSequence(cfg.seed).spawn(8)
        script_rng = np.random.default_rng(seqs[SCRIPT_STREAM])
        style_rng = np.random.default_rng(seqs[STYLE_STREAM])
        oblique = cfg.view is View.OBLIQUE
        if cfg.variety is None:
            self.plan: Plan = make_plan(script_rng, cfg.script, cfg.duration_s)
            shoulders = SHOULDERS
        else:
            self.plan = make_plan_v2(script_rng, cfg.script, cfg.variety, cfg.duration_s)
            shoulders = SHOULDERS_V2
        self.arms = make_arms(self.fr, cfg.script.arms, style_rng, oblique, shoulders)

    def solve(self, arm: int, t: float) -> ArmGeom:
        """Joint positions of ``arm`` at time ``t`` (canvas pixels, before the camera)."""
        return self.arms[arm].solve(self.plan.tracks[arm].sample(t)[0])

    @property
    def labelled_arms(self) -> tuple[int, ...]:
        """The arms whose motion the ground truth follows: the dominant one, or all (v1)."""
        if self.plan.dominant is not None:
            return (self.plan.dominant,)
        return tuple(range(len(self.arms)))

import pytest

from laps.errors import ConfigError
from laps.synth import Preset, SynthConfig, make_config
from laps.synth.config import PRESET_NUISANCE, PRESET_SCRIPT


@pytest.mark.parametrize("preset", list(Preset))
def test_preset_sets_every_knob(preset: Preset) -> None:
    cfg = make_config(preset=preset.value)
    assert cfg.nuisance.model_dump() == PRESET_NUISANCE[preset]
    assert cfg.script.model_dump() == PRESET_SCRIPT[preset]


def test_presets_get_harder() -> None:
    easy, medium, hard = (PRESET_NUISANCE[p] for p in Preset)
    for knob in ("conveyor", "distractor", "shake", "noise", "motion_blur", "occlusion", "crf"):
        assert easy[knob] <= medium[knob] <= hard[knob], knob
    assert (
        PRESET_SCRIPT[Preset.EASY]["continuous_prob"]
        < PRESET_SCRIPT[Preset.HARD]["continuous_prob"]
    )


def test_partial_knobs_override_the_preset() -> None:
    cfg = make_config(preset="hard", nuisance={"noise": 1.0}, script={"arms": 1})
    assert cfg.nuisance.noise == 1.0
    assert cfg.nuisance.shake == PRESET_NUISANCE[Preset.HARD]["shake"]
    assert cfg.script.arms == 1


def test_config_round_trips_through_json() -> None:
    cfg = make_config(preset="easy", seed=5, view="oblique", vfr=True)
    assert SynthConfig.model_validate(cfg.model_dump(mode="json")) == cfg


def test_default_stem_names_preset_view_seed() -> None:
    assert make_config(preset="hard", view="oblique", seed=12).file_stem == (
        "synth_hard_oblique_s12"
    )
    assert make_config(stem="mine").file_stem == "mine"


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"duration_s": -1.0}, "duration_s"),
        ({"duration_s": 0.0}, "duration_s"),
        ({"preset": "extreme"}, "preset"),
        ({"view": "side"}, "view"),
        ({"width": 255}, "even"),
        ({"fps": 0}, "fps"),
        ({"stem": "../escape"}, "stem"),
        ({"encoder_preset": "placebo-ish"}, "encoder_preset"),
        ({"nuisance": {"noise": -2}}, "nuisance.noise"),
        ({"nuisance": {"sparkle": 1}}, "unknown key 'nuisance.sparkle'"),
        ({"script": {"pause_min_s": 2.0, "pause_max_s": 1.0}}, "pause_min_s"),
        ({"colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_bad_settings_raise_config_error(values: dict, needle: str) -> None:
    with pytest.raises(ConfigError, match="invalid synth settings") as err:
        make_config(**values)
    assert needle in str(err.value)
    assert "GENERATOR.md" in str(err.value)


def test_direct_construction_raises_config_error_too() -> None:
    with pytest.raises(ConfigError, match="duration_s"):
        SynthConfig(duration_s=-5)

"""A window whose processing fails is recorded as failed; no window is lost or shifted."""

import json
from pathlib import Path

import numpy as np

from laps.config import load_config
from laps.pipeline.encode import Latents
from laps.pipeline.run import segment_source


class FlakyEncoder:
    """A stand-in tokenizer that fails on windows whose first sample is in ``fail_starts``.

    A window is recognised by its velocities' checksum, recorded at the first failure;
    here simply: it fails whenever a batch contains a window of a failing call number.
    """

    param_count = 0

    def __init__(self, fail_windows: set[int]) -> None:
        self.fail_windows = fail_windows
        self.seen = 0  # windows encoded so far, in stream order (all windows are encoded)

    def encode_batch(self, velocities: np.ndarray) -> list[Latents]:
        first = self.seen
        if any(first + k in self.fail_windows for k in range(len(velocities))):
            if len(velocities) > 1:
                raise RuntimeError("simulated batch failure")
            self.seen += 1
            raise RuntimeError(f"simulated failure on window {first}")
        self.seen += len(velocities)
        steps = velocities.reshape(velocities.shape[0], velocities.shape[1], -1)  # (B, L, N*2)
        z = steps[:, :, :8].astype(np.float32) * 10
        return [Latents(prequant=x, quantized=np.round(x), codes=np.arange(len(x))) for x in z]


def test_failed_windows_are_recorded_and_the_stream_goes_on(motion_video: Path, tmp_path: Path):
    cfg = load_config(
        None,
        [
            "video.resize_shorter=240",
            "energy.source=prequant",
            "energy.mode=l2_mean",
            "gates.pre_gate.enabled=false",
            "gates.motion_gate.enabled=false",
            "export.clips=false",
        ],
    )
    encoder = FlakyEncoder({3, 10})
    result = segment_source(str(motion_video), tmp_path, cfg, encoder=encoder)
    rows = [json.loads(x) for x in (result.out_dir / "windows.jsonl").read_text().splitlines()]
    assert [r["window"] for r in rows] == list(range(27))
    assert [r["window"] for r in rows if r["outcome"] == "failed"] == [3, 10]
    for r in rows:
        assert r["start_sample"] == 4 * r["window"]
        if r["outcome"] == "failed":
            assert r["energy_raw"] is None and "simulated failure" in r["error"]
        else:
            assert r["energy_raw"] is not None and len(r["codes"]) == 15
    assert result.n_failed_windows == 2
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert manifest["tracks"]["velocity_scale_px"] == 120.0
    assert manifest["tracks"]["frame_size_wh"] == [320, 240]

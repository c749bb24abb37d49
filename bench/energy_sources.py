"""Boundary F1 of every energy source / mode with one tokenizer on one video (issue 4).

python bench/energy_sources.py   (expects bench_out/video/synth_medium_top_s7.mp4 and
                                  data/ckpt/small_gpu.pt; see docs/BENCHMARKS.md)
"""

from pathlib import Path

from laps.config import load_config
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, read_segments_json
from laps.pipeline.run import segment_source
from laps.tokenizer.inference import TokenizerEncoder, pipeline_layer

video = "bench_out/video/synth_medium_top_s7.mp4"
truth, dur = read_segments_json(Path(video).with_suffix(".json"))
tb = boundaries_from_segments(truth, dur)
enc, meta = TokenizerEncoder.from_checkpoint(Path("data/ckpt/small_gpu.pt"), "cpu")
for src in ("quantized", "prequant", "velocity"):
    for mode in ("token_diff_l2_mean", "l2_mean"):
        if src == "velocity" and mode == "l2_mean":
            continue
        cfg = load_config(
            None,
            [
                f"energy.source={src}",
                f"energy.mode={mode}",
                "export.clips=false",
                "export.energy_plot=false",
            ],
            base=pipeline_layer(meta),
        )
        r = segment_source(video, Path("/tmp/energies"), cfg, encoder=enc, name=f"{src}_{mode}")
        pb = boundaries_from_segments([(s.start_s, s.end_s) for s in r.segments], dur)
        print(
            src,
            mode,
            len(r.segments),
            [round(boundary_score(tb, pb, t).f1, 3) for t in (0.5, 1, 2)],
            flush=True,
        )

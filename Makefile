# Two set-up commands: `make demo` and `make test`. Both create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# CPU torch from the local wheel; an existing torch is kept as it is (DESIGN.md section 6).
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev,dist]'
	touch $(STAMP)

# `laps run` on three generated 50 s workstation videos (ground truth beside them): tracks,
# ~2 min of CPU training of the small tokenizer, calibrate, segment, cluster, eval, report.
DEMO_VIDEOS := demo_out/videos
demo: $(STAMP)
	for s in 1 2 3; do test -f $(DEMO_VIDEOS)/demo$$s.mp4 || $(BIN)/laps synth video --seed $$s \
		--duration 50 --size 640x360 --stem demo$$s --out $(DEMO_VIDEOS) --quiet || exit 1; done
	$(BIN)/laps run $(DEMO_VIDEOS) --out demo_out/run --device cpu --train-seconds 120

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/python bench/check_sizes.py

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow and not gpu"

test: lint unit

bench: $(STAMP)
	$(BIN)/python bench/pipeline_speed.py

clean:
	rm -rf $(VENV) demo_out .pytest_cache .mypy_cache .ruff_cache

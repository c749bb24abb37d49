"""Tokenizer checkpoints shipped with laps.

``suite1_small.pt``: the ``small`` preset (1.04 M parameters) trained on the train split of
the generated benchmark suite v1 (see docs/ACCURACY.md for the commands). Weights only.
The accuracy benchmark uses it by default; on real footage, train your own with
``laps tracks`` + ``laps train``.
"""

from __future__ import annotations

from pathlib import Path

SUITE1_SMALL = Path(__file__).with_name("suite1_small.pt")

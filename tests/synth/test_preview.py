import cv2
import numpy as np

from laps.synth.preview import contact_sheet, preview_indices


def test_preview_shows_every_label_first_then_spreads() -> None:
    labels = np.repeat([0, 1, 2, 1, 3, 0, 1, 2, 4, 0], 30)
    idx = preview_indices(labels, n=6)
    assert len(idx) == 6 and idx == sorted(idx)
    assert set(labels[idx].tolist()) == {0, 1, 2, 3, 4}


def test_preview_of_a_short_video_has_fewer_frames() -> None:
    labels = np.zeros(50, dtype=np.int64)
    assert preview_indices(labels) == [25]


def test_contact_sheet_tiles_four_per_row() -> None:
    shots = [(np.full((144, 256, 3), i * 40, np.uint8), float(i), i % 3) for i in range(5)]
    sheet = contact_sheet(shots, "title")
    assert sheet.shape[1] == 4 * 256
    assert sheet.shape[0] == 28 + 2 * (22 + 144)


def test_video_preview_png_is_readable(small_video) -> None:
    img = cv2.imread(str(small_video.preview))
    assert img is not None and img.shape[1] == 4 * 256

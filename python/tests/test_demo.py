"""python -m hkernels demo: writes each filter's PNG per device; a bad file is a clear error."""
import numpy as np
import pytest

from hkernels.__main__ import main

PIL = pytest.importorskip("PIL.Image")


def test_demo_writes_images(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no data/sample.png here: the synthetic test card
    rgb = (np.random.default_rng(1).random((60, 80, 3)) * 255).astype(np.uint8)
    PIL.fromarray(rgb).save(tmp_path / "in.png")
    assert main(["demo", str(tmp_path / "in.png"), "--out", "o", "--repeat", "1"]) == 0
    text = capsys.readouterr().out
    assert "(80 x 60, 3 channels)" in text and "gabor31  cpu" in text
    box = np.asarray(PIL.open(tmp_path / "o" / "box15_cpu.png"))
    assert box.shape == (60, 80, 3)
    # the box filter's mean is the image's mean (reflect101 borders roughly preserve it)
    assert abs(box.mean() - rgb.mean()) < 3


def test_demo_rejects_a_file_that_is_not_an_image(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    with pytest.raises(SystemExit, match="cannot read .* as an image"):
        main(["demo", str(bad), "--out", str(tmp_path / "o")])

"""hkernels.dask on a 2-worker process cluster: an image in many odd-sized chunks gives the
whole-image call's result, bitwise (the box filter: within its rounding bound), every border."""
import math

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
import hkernels as hk  # noqa: E402
import hkernels.dask as hkd  # noqa: E402

BORDERS = ["zero", "replicate", "reflect101"]
rng = np.random.default_rng(7)
IMAGE = rng.random((203, 187, 3), dtype=np.float32)
CHUNKS = ((37, 41, 29, 53, 43), (31, 45, 23, 51, 37), (3,))  # odd sizes, 25 chunks


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


CASES = [
    ("gabor", dict(ksize=15, sigma=3.0, theta=0.4, lambd=7.0, gamma=0.5, psi=0.2)),
    ("gabor_bank", dict(ksize=9, thetas=[0.0, 1.2], lambdas=[5.0], response="magnitude")),
    ("filter2d", dict(kernel=rng.standard_normal((5, 8)).astype(np.float32), anchor_x=6, anchor_y=1)),
    ("sep_filter2d", dict(kernel_x=np.arange(1, 8, dtype=np.float32), kernel_y=np.array([1, -2, 1], np.float32))),
    ("directional_derivative", dict(theta=0.7, channels="sum")),
]


@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize("op, params", CASES, ids=[c[0] for c in CASES])
def test_chunks_equal_one_whole_image_call(client, op, params, border):
    image = da.from_array(IMAGE, chunks=CHUNKS)
    result = hkd.filter_array(image, op, border=border, **params)
    whole = getattr(hk, op)(IMAGE, border=border, **params)
    got = result.compute()
    assert got.shape == whole.shape and result.shape == whole.shape
    np.testing.assert_array_equal(got, whole)  # bitwise


@pytest.mark.parametrize("border", BORDERS)
def test_box_filter_within_its_rounding_bound(client, border):
    k = 21
    image = da.from_array(IMAGE[:, :, 0], chunks=CHUNKS[:2])  # HW in, HW out
    got = hkd.filter_array(image, "box_filter", ksize=k, border=border).compute()
    whole = hk.box_filter(IMAGE[:, :, 0], ksize=k, border=border)
    assert got.shape == whole.shape == IMAGE.shape[:2]
    # filters.h: each result within ~6 max(32, k) u max|x| of the exact box (u = 2^-24).
    bound = 2 * 6 * max(32, k) * 2.0 ** -24 * float(np.abs(IMAGE).max())
    assert float(np.abs(got - whole).max()) <= bound
    # and both are right: against the exact mean (float64)
    exact = np.lib.stride_tricks.sliding_window_view(
        np.pad(IMAGE[:, :, 0].astype(np.float64), k // 2,
               mode={"zero": "constant", "replicate": "edge", "reflect101": "reflect"}[border]), (k, k)).mean(axis=(2, 3))
    assert float(np.abs(got - exact).max()) <= bound / 2


def test_calls_with_different_parameters_do_not_share_results(client):
    # Each call's graph keys are its own: two borders (or kernels) computed together, or one after
    # the other while the first's results are still held on the cluster, never swap chunks.
    image = da.from_array(IMAGE, chunks=CHUNKS)
    params = dict(kernel_x=np.arange(1, 8, dtype=np.float32), kernel_y=np.array([1, -2, 1], np.float32))
    results = {b: hkd.filter_array(image, "sep_filter2d", border=b, **params) for b in BORDERS}
    assert len({r.name for r in results.values()}) == len(BORDERS)
    held = {b: client.persist(r) for b, r in results.items()}
    got = dict(zip(BORDERS, da.compute(*held.values())))
    for b in BORDERS:
        np.testing.assert_array_equal(got[b], hk.sep_filter2d(IMAGE, border=b, **params))


def test_small_chunks_are_merged_and_uint8_works(client):
    img8 = (rng.random((60, 50)) * 255).astype(np.uint8)
    image = da.from_array(img8, chunks=(7, 5))  # smaller than the 15 // 2 halo
    params = dict(ksize=15, sigma=3.0, lambd=6.0)
    np.testing.assert_array_equal(hkd.filter_array(image, "gabor", **params).compute(), hk.gabor(img8, **params))


def test_halo_and_errors():
    assert hkd.halo("gabor", ksize=14, sigma=1, lambd=2) == (7, 7)
    assert hkd.halo("box_filter", ksize_w=4, ksize_h=3) == (1, 2)
    assert hkd.halo("filter2d", kernel=np.zeros((5, 8)), anchor_x=6, anchor_y=1) == (3, 6)
    image = da.zeros((10, 10), chunks=5, dtype=np.float32)
    with pytest.raises(ValueError, match="op must be one of"):
        hkd.filter_array(image, "conv2d")
    with pytest.raises(ValueError, match="padding='same' only"):
        hkd.filter_array(image, "box_filter", ksize=3, padding="valid")
    with pytest.raises(TypeError, match="float64"):
        hkd.filter_array(image.astype(np.float64), "box_filter", ksize=3)
    _ = math.pi

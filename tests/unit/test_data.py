"""coursenn.data: logic gates, XOR and blobs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coursenn import data

TRUTH = {  # outputs for inputs (F, F), (F, T), (T, F), (T, T)
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}


@pytest.mark.parametrize("gate", sorted(TRUTH))
def test_logic_gate_01_encoding(gate):
    X, y = data.logic_gate(gate, encoding="01")
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, TRUTH[gate])
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert np.issubdtype(y.dtype, np.integer) and y.shape == (4,)


@pytest.mark.parametrize("gate", sorted(TRUTH))
def test_logic_gate_pm1_encoding_is_default(gate):
    X, y = data.logic_gate(gate)
    np.testing.assert_array_equal(X, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    np.testing.assert_array_equal(y, 2 * np.array(TRUTH[gate]) - 1)
    assert X.dtype == np.float64 and y.dtype == np.float64


def test_logic_gate_name_is_case_insensitive():
    np.testing.assert_array_equal(data.logic_gate("nand")[1], data.logic_gate("NAND")[1])


def test_logic_gate_bad_name_lists_gates():
    with pytest.raises(
        ValueError, match=r"name must be one of \['AND', 'NAND', 'NOR', 'OR', 'XOR'\], got 'XNOR'"
    ):
        data.logic_gate("XNOR")


def test_logic_gate_bad_encoding():
    with pytest.raises(ValueError, match=r"encoding must be 'pm1' or '01', got 'bool'"):
        data.logic_gate("AND", encoding="bool")


# --- make_xor --------------------------------------------------------------------------------


def test_make_xor_shapes_and_balance():
    X, y = data.make_xor(200, rng=0)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) == {0, 1}
    assert np.sum(y == 1) == 100


def test_make_xor_without_noise_sits_on_corners():
    X, y = data.make_xor(8, noise=0.0, rng=0)
    assert set(map(tuple, X)) == {(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)}
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_make_xor_label_is_sign_disagreement_of_corner():
    # with noise 0.1 no point leaves its quadrant (that would be a 10-sigma draw)
    X, y = data.make_xor(400, noise=0.1, rng=3)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert 0.05 < np.std(X - np.sign(X)) < 0.15  # the noise is really there


def test_make_xor_reproducible():
    a, b, c = data.make_xor(50, rng=9), data.make_xor(50, rng=9), data.make_xor(50, rng=10)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"n_samples": 0}, r"n_samples must be a positive integer, got 0"),
        ({"n_samples": 10.5}, r"n_samples must be a positive integer, got 10.5"),
        ({"noise": -0.1}, r"noise must be >= 0, got -0.1"),
    ],
)
def test_make_xor_bad_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.make_xor(**kwargs)


# --- make_blobs ------------------------------------------------------------------------------


def test_make_blobs_shapes_and_balance():
    centers = [(0.0, 0.0, 0.0), (5.0, 5.0, 5.0), (-5.0, 0.0, 5.0)]
    X, y = data.make_blobs(100, centers=centers, rng=0)
    assert X.shape == (100, 3) and y.shape == (100,)
    counts = np.bincount(y)
    assert counts.tolist() == [34, 33, 33]


def test_make_blobs_defaults_two_balanced_classes():
    X, y = data.make_blobs(rng=0)
    assert X.shape == (100, 2)
    assert np.bincount(y).tolist() == [50, 50]


def test_make_blobs_class_k_is_around_center_k():
    centers = np.array([[-3.0, 1.0], [4.0, -2.0]])
    X, y = data.make_blobs(4000, centers=centers, std=0.5, rng=1)
    for k in range(2):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=0.05)
        np.testing.assert_allclose(X[y == k].std(axis=0), [0.5, 0.5], rtol=0.05)


def test_make_blobs_reproducible():
    a, b = data.make_blobs(30, rng=4), data.make_blobs(30, rng=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], data.make_blobs(30, rng=5)[0])


def test_generators_leave_global_state_alone():
    before = np.random.get_state()[1].copy()
    data.make_blobs(20)
    data.make_xor(20)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"n_samples": -3}, r"n_samples must be a positive integer, got -3"),
        (
            {"centers": [1.0, 2.0]},
            r"centers must be a 2-D list of points \(K, D\), got shape \(2,\)",
        ),
        ({"std": 0.0}, r"std must be > 0, got 0.0"),
    ],
)
def test_make_blobs_bad_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.make_blobs(**kwargs)


def test_bad_rng_raises_type_error_naming_rng():
    with pytest.raises(
        TypeError, match=r"^rng must be a numpy Generator, an int seed or None, got str"
    ):
        data.make_blobs(rng="x")
    with pytest.raises(TypeError, match=r"^rng must be .* got RandomState"):
        data.make_xor(rng=np.random.RandomState(0))


# --- make_watermelon (task A) ----------------------------------------------------------------


def test_make_watermelon_shapes_and_split_in_order():
    split = data.make_watermelon(rng=0)
    X_train, X_test, y_train, y_test = split
    assert X_train.shape == (80, 1) and y_train.shape == (80, 1)
    assert X_test.shape == (20, 1) and y_test.shape == (20, 1)
    assert all(a.dtype == np.float64 for a in split)
    assert split.X_train is X_train and split.y_test is y_test
    # "in order": the same seed with more test samples moves the cut, not the samples
    other = data.make_watermelon(rng=0, test_size=50)
    np.testing.assert_array_equal(np.vstack([X_train, X_test]), np.vstack(other[:2]))


def test_make_watermelon_relation_y_is_2x_plus_bounded_noise():
    X_train, X_test, y_train, y_test = data.make_watermelon(1000, rng=1, test_size=0.2)
    x, y = np.vstack([X_train, X_test]), np.vstack([y_train, y_test])
    residual = y - 2 * x
    assert np.all(np.abs(residual) <= 0.5)
    assert residual.min() < -0.45 and residual.max() > 0.45  # the whole interval is used
    assert abs(residual.mean()) < 0.05
    assert abs(x.mean()) < 0.1 and 0.9 < x.std() < 1.1  # x ~ N(0, 1)


def test_make_watermelon_reproducible_and_seed_dependent():
    a, b, c = (data.make_watermelon(rng=s) for s in (5, 5, 6))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a.X_train, c.X_train)


def test_make_watermelon_bad_test_size():
    with pytest.raises(ValueError, match=r"test_size must be .* \(100 samples\), got 1.5"):
        data.make_watermelon(test_size=1.5)


# --- train_test_split ------------------------------------------------------------------------


def test_train_test_split_sizes_partition_and_order():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, rng=0)
    assert len(X_test) == 3 and len(X_train) == 7  # ceil(0.25 * 10), as scikit-learn
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), y)
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)  # rows stay paired
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    assert y_train.dtype == y.dtype


def test_train_test_split_reproducible_and_unshuffled():
    X, y = np.arange(10.0)[:, None], np.arange(10)
    a, b = data.train_test_split(X, y, rng=3), data.train_test_split(X, y, rng=3)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    kept = data.train_test_split(X, y, test_size=3, shuffle=False)
    np.testing.assert_array_equal(kept.y_train, np.arange(7))
    np.testing.assert_array_equal(kept.y_test, [7, 8, 9])


def test_train_test_split_returns_copies():
    X, y = np.zeros((4, 2)), np.zeros(4, dtype=int)
    X_train, *_ = data.train_test_split(X, y, test_size=1, rng=0)
    X_train[:] = 7.0
    assert np.all(X == 0.0)


@pytest.mark.parametrize(
    "n_y, test_size, pattern",
    [
        (
            9,
            0.2,
            r"X and y must have the same number of samples .* got shapes \(10, 2\) and \(9,\)",
        ),
        (10, 0.0, r"test_size must be a fraction in \(0, 1\) or a count in \[1, 9\].*got 0.0"),
        (10, 1.0, r"test_size .* got 1.0"),
        (10, 10, r"test_size .* got 10"),
        (10, True, r"test_size .* got True"),
        (10, "half", r"test_size .* got 'half'"),
    ],
)
def test_train_test_split_errors(n_y, test_size, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.train_test_split(np.zeros((10, 2)), np.zeros(n_y), test_size=test_size)


# --- one_hot ---------------------------------------------------------------------------------


def test_one_hot_values():
    Y = data.one_hot([2, 0, 1, 2])
    assert Y.dtype == np.float64
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(data.one_hot(np.array([1]), num_classes=4), [[0, 1, 0, 0]])
    np.testing.assert_array_equal(data.one_hot(np.array([1.0, 0.0])), [[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "labels, num_classes, error, pattern",
    [
        ([0, -1, 2], None, ValueError, r"labels must be integers >= 0, got -1 at index 1"),
        ([0, 1.5], None, ValueError, r"labels must be integers >= 0, got 1.5 at index 1"),
        ([0, np.nan], None, ValueError, r"got nan at index 1"),
        ([0, 3, 1], 3, ValueError, r"labels must be < num_classes=3, got 3 at index 1"),
        ([0, 1], 0, ValueError, r"num_classes must be a positive integer, got 0"),
        ([[0, 1]], None, ValueError, r"labels must have shape \(N,\), got \(1, 2\)"),
        (["a", "b"], None, TypeError, r"labels must be integer class indices, got dtype <U1"),
        ([True, False], None, TypeError, r"got dtype bool"),
    ],
)
def test_one_hot_errors_name_the_offending_value(labels, num_classes, error, pattern):
    with pytest.raises(error, match=pattern):
        data.one_hot(labels, num_classes)


# --- spiral, moons, circles ------------------------------------------------------------------

TOY_SETS = [
    pytest.param(lambda n, rng: data.make_spiral(n, rng=rng), 3, id="spiral"),
    pytest.param(lambda n, rng: data.make_moons(n, rng=rng), 2, id="moons"),
    pytest.param(lambda n, rng: data.make_circles(n, rng=rng), 2, id="circles"),
]


@pytest.mark.parametrize("make, n_classes", TOY_SETS)
def test_toy_sets_shapes_balance_and_determinism(make, n_classes):
    X, y = make(301, 0)
    assert X.shape == (301, 2) and X.dtype == np.float64
    assert y.shape == (301,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == n_classes and counts.max() - counts.min() <= 1
    X2, y2 = make(301, 0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(301, 1)[0])
    assert np.any(np.diff(y) < 0)  # rows are shuffled, not sorted by class


def test_make_spiral_geometry_without_noise():
    X, y = data.make_spiral(300, n_classes=3, noise=0.0, rng=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() == 0.0 and np.isclose(r.max(), 1.0)
    t = np.arctan2(X[:, 0], X[:, 1])  # the point is (r sin t, r cos t)
    expected = 4.0 * (y + r)
    far = r > 0.05
    np.testing.assert_allclose(np.exp(1j * t[far]), np.exp(1j * expected[far]), atol=1e-12)


def test_make_moons_geometry_without_noise():
    X, y = data.make_moons(100, noise=0.0, rng=0)
    np.testing.assert_allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0)
    assert np.all(X[y == 0, 1] >= -1e-12)  # upper half circle
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1.0, X[y == 1, 1] - 0.5), 1.0)
    assert np.all(X[y == 1, 1] <= 0.5 + 1e-12)  # lower half circle around (1, 0.5)


def test_make_circles_radii_and_noise():
    X, y = data.make_circles(200, noise=0.0, factor=0.3, rng=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)
    X, y = data.make_circles(4000, noise=0.1, rng=0)
    exact = np.where(y == 1, 0.5, 1.0)
    assert 0.08 < np.std(np.hypot(X[:, 0], X[:, 1]) - exact) < 0.12


@pytest.mark.parametrize(
    "call, pattern",
    [
        (lambda: data.make_spiral(0), r"n_samples must be a positive integer, got 0"),
        (lambda: data.make_spiral(10, n_classes=0), r"n_classes must be a positive integer"),
        (lambda: data.make_moons(10, noise=-1.0), r"noise must be >= 0, got -1.0"),
        (lambda: data.make_circles(10, factor=1.0), r"factor must be in \(0, 1\), got 1.0"),
        (lambda: data.make_circles(10, noise=float("nan")), r"noise must be >= 0, got nan"),
    ],
)
def test_toy_sets_bad_arguments(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_new_generators_leave_global_state_alone():
    before = np.random.get_state()[1].copy()
    data.make_watermelon()
    data.make_spiral(30)
    data.make_moons(30)
    data.make_circles(30)
    data.train_test_split(np.zeros(10), np.zeros(10))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


# --- load_digits -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    return data.load_digits()


def test_load_digits_flat_shapes_ranges_and_dtypes(digits):
    X_train, X_test, y_train, y_test = digits
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    assert y_train.shape == (1437,) and y_test.shape == (360,)
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    np.testing.assert_array_equal(np.unique(X_train * 16), np.arange(17))  # pixels k / 16
    assert set(np.unique(y_test)) == set(range(10))


def test_load_digits_split_is_fixed_and_stratified(digits):
    again = data.load_digits()
    for u, v in zip(digits, again, strict=True):
        np.testing.assert_array_equal(u, v)
    other = data.load_digits(rng=1)
    assert not np.array_equal(digits.y_test, other.y_test)
    total = np.bincount(digits.y_train, minlength=10) + np.bincount(digits.y_test, minlength=10)
    share = total * 360 / 1797
    assert np.all(np.abs(np.bincount(digits.y_test, minlength=10) - share) < 1.0)


def test_load_digits_image_shape_matches_flat(digits):
    images = data.load_digits(shape="image", test_size=100)
    assert images.X_train.shape == (1697, 1, 8, 8) and images.X_test.shape == (100, 1, 8, 8)
    flat = data.load_digits(test_size=100)
    np.testing.assert_array_equal(images.X_train.reshape(1697, 64), flat.X_train)


def test_load_digits_train_and_test_are_disjoint(digits):
    rows = {tuple(r) for r in digits.X_train}
    # a few digit images occur twice in the data set; nearly all test rows are unseen
    assert sum(tuple(r) in rows for r in digits.X_test) < 5


def test_the_digits_ship_with_coursenn_byte_for_byte_as_scikit_learn_has_them():
    import importlib.resources

    shipped = importlib.resources.files("coursenn") / "_data"
    assert "CC BY 4.0" in (shipped / "DIGITS-CREDIT.txt").read_text(encoding="utf-8")
    sklearn = pytest.importorskip("sklearn")
    theirs = Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
    assert (shipped / "digits.csv.gz").read_bytes() == theirs.read_bytes()


def test_load_digits_are_scikit_learns_digits():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    sklearn_digits = sklearn_datasets.load_digits

    bunch = sklearn_digits()
    split = data.load_digits(test_size=1)  # one test image: the rest, in order, are train
    X = np.concatenate([split.X_train, split.X_test])
    y = np.concatenate([split.y_train, split.y_test])
    order = np.lexsort((y, *X.T))  # compare as sets of (image, label) rows
    expected = np.lexsort((bunch.target, *bunch.data.T))
    np.testing.assert_array_equal(X[order] * 16, bunch.data[expected])
    np.testing.assert_array_equal(y[order], bunch.target[expected])


def test_load_digits_returns_arrays_of_its_own():
    first = data.load_digits()
    first.X_train[...] = -1.0
    first.y_train[...] = -1
    again = data.load_digits()
    assert again.X_train.min() == 0.0 and again.y_train.min() == 0


def test_load_digits_bad_shape():
    with pytest.raises(ValueError, match=r"shape must be 'flat' or 'image', got 'nchw'"):
        data.load_digits(shape="nchw")


# --- load_mnist (IDX files) ------------------------------------------------------------------


def _write_idx(path, array, magic=None):
    array = np.asarray(array, dtype=np.uint8)
    magic = 0x0800 + array.ndim if magic is None else magic
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    content = header + array.tobytes()
    if str(path).endswith(".gz"):
        import gzip

        content = gzip.compress(content)
    path.write_bytes(content)


@pytest.fixture
def tiny_idx(rng):
    images = rng.integers(0, 256, size=(3, 5, 4), dtype=np.uint8)
    images[0, 0, 0], images[1, 0, 0] = 0, 255
    labels = np.array([7, 0, 9], dtype=np.uint8)
    return images, labels


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_load_mnist_round_trip(tmp_path, tiny_idx, suffix):
    images, labels = tiny_idx
    _write_idx(tmp_path / f"train-images-idx3-ubyte{suffix}", images)
    _write_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}", labels)
    X, y = data.load_mnist(tmp_path)
    assert X.shape == (3, 20) and X.dtype == np.float64
    np.testing.assert_allclose(X, images.reshape(3, 20) / 255.0)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(y, [7, 0, 9])
    assert y.dtype == np.int64
    X_img, _ = data.load_mnist(str(tmp_path), "train", shape="image")
    assert X_img.shape == (3, 1, 5, 4)
    np.testing.assert_allclose(X_img[:, 0], images / 255.0)


def test_load_mnist_test_kind_reads_t10k_files(tmp_path, tiny_idx):
    images, labels = tiny_idx
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", images[:2])
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels[:2])
    for kind in ("test", "t10k"):
        X, y = data.load_mnist(tmp_path, kind=kind)
        assert X.shape == (2, 20)
        np.testing.assert_array_equal(y, [7, 0])


def test_load_mnist_missing_file_names_expected_files(tmp_path, tiny_idx):
    _write_idx(tmp_path / "train-images-idx3-ubyte", tiny_idx[0])
    with pytest.raises(
        FileNotFoundError,
        match=r"train-labels-idx1-ubyte \(or train-labels-idx1-ubyte.gz\) not found.*expected "
        r"train-images-idx3-ubyte\[.gz\] and train-labels-idx1-ubyte\[.gz\]",
    ):
        data.load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"t10k-images-idx3-ubyte \(or"):
        data.load_mnist(tmp_path / "nowhere", kind="test")


def test_load_mnist_bad_magic_number(tmp_path, tiny_idx):
    images, labels = tiny_idx
    _write_idx(tmp_path / "train-images-idx3-ubyte", images)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", labels, magic=2051)  # an image header
    with pytest.raises(
        ValueError,
        match=r"train-labels-idx1-ubyte: bad magic number 2051 \(0x00000803\), "
        r"expected 2049 \(0x00000801\)",
    ):
        data.load_mnist(tmp_path)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"PK\x03\x04 not an idx file")
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte: bad magic number"):
        data.load_mnist(tmp_path)


def test_load_mnist_truncated_file_and_count_mismatch(tmp_path, tiny_idx):
    images, labels = tiny_idx
    path = tmp_path / "train-images-idx3-ubyte"
    _write_idx(path, images)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", labels[:2])
    with pytest.raises(ValueError, match=r"holds 3 images but train-labels-idx1-ubyte 2"):
        data.load_mnist(tmp_path)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError, match=r"dimensions \(3, 5, 4\) \(60 bytes of data\).*holds 55"):
        data.load_mnist(tmp_path)


def test_load_mnist_bad_kind_and_shape(tmp_path):
    with pytest.raises(ValueError, match=r"kind must be 'train', 'test' or 't10k', got 'val'"):
        data.load_mnist(tmp_path, kind="val")
    with pytest.raises(ValueError, match=r"shape must be 'flat' or 'image', got 'flatten'"):
        data.load_mnist(tmp_path, shape="flatten")

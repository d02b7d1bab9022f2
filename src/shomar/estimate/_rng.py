"""Random variates for the compiled samplers, on an explicit generator state.

numba's ``np.random`` costs 40–120 ns a gamma, beta or binomial draw; the latent-class sampler
makes a few hundred of them per iteration, so they are most of its time. These routines keep a
xoshiro256** state in a ``uint64[4]`` array (Blackman & Vigna 2021, ACM TOMS 47:36), seeded through
splitmix64, and draw:

* normals by the ziggurat method with 256 layers (Marsaglia & Tsang 2000, J. Stat. Softw. 5:8;
  the tail by Marsaglia's 1964 method);
* gammas by Marsaglia & Tsang (2000, ACM TOMS 26:363), shapes below 1 by Stuart's boost
  G(a) = G(a + 1)·U^(1/a);
* betas as G(a)/(G(a) + G(b)), with the closed forms U^(1/a) and 1 − U^(1/b) when b or a is 1;
* binomials by inversion when n·min(p, 1−p) < 10, else by Hörmann's BTRS transformed rejection
  (Hörmann 1993, J. Stat. Comput. Simul. 46:101);
* Poissons by multiplication when the mean is below 10, else by Hörmann's PTRS (1993, Insurance:
  Math. Econ. 12:39); negative binomials as Poisson–gamma mixtures.

Every routine is exact (no approximation beyond floating point); ``tests/estimate/test_rng.py``
checks each against scipy's distributions.

The generator state is a tuple of four words that every routine takes and returns
(``u, s = _uniform(s)``), not an array: held in an array, the state is stored and re-read at each
draw (any other array written in the sampler's loop might be the same memory), which doubled the
cost of a normal; as a tuple it stays in registers. Speed also comes from inlining: a compiled
sampler that calls ``_gamma`` (numba ``inline="always"``) keeps its work in registers, while a call
to a separately compiled function costs more than the draw itself. Inlining is also what costs
compile time, so only the common path of each routine is inlined and the rare paths (the normal's
wedges and tail) are ordinary calls; samplers inline each routine at one place (a loop of draws),
not at every use. ``new_state`` seeds an array and ``load`` turns it into the tuple.

numba's cache does not notice edits to this file in the caches of the functions that inline it:
after changing it, delete the ``__pycache__`` folders (``make clean`` does).
"""

from __future__ import annotations

import math

import numba
import numpy as np

_U53 = 1.0 / 9007199254740992.0  # 2^-53


def _ziggurat_tables(layers: int = 256, r: float = 3.6541528853610088) -> tuple[np.ndarray, np.ndarray]:
    """Layer edges x[0..layers] and f(x) = exp(-x²/2) at them, every layer of equal area v."""
    f = lambda x: math.exp(-0.5 * x * x)  # noqa: E731
    v = r * f(r) + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2))
    x = np.empty(layers + 1)
    x[0], x[1] = v / f(r), r
    for i in range(1, layers - 1):
        x[i + 1] = math.sqrt(-2.0 * math.log(v / x[i] + f(x[i])))
    x[layers] = 0.0
    return x, np.exp(-0.5 * x * x)


_ZX, _ZF = _ziggurat_tables()
_LOG_FACTORIALS = np.array([math.lgamma(k + 1.0) for k in range(4096)])
_ZR = float(_ZX[1])


_U64 = np.uint64


@numba.njit(cache=True, nogil=True, inline="always")
def _next(s: tuple) -> tuple:
    """The next 64 random bits and the new state (xoshiro256**)."""
    s0, s1, s2, s3 = s
    x = s1 * _U64(5)
    result = ((x << _U64(7)) | (x >> _U64(57))) * _U64(9)
    t = s1 << _U64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _U64(45)) | (s3 >> _U64(19))
    return result, (s0, s1, s2, s3)


@numba.njit(cache=True, nogil=True)
def new_state(seed: int) -> np.ndarray:
    """A generator state from an integer seed (splitmix64, as the xoshiro authors advise), as an
    array; ``load`` turns it into the tuple the routines take."""
    state = np.empty(4, dtype=np.uint64)
    z = np.uint64(seed)
    for i in range(4):
        z += np.uint64(0x9E3779B97F4A7C15)
        y = z
        y = (y ^ (y >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        y = (y ^ (y >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state[i] = y ^ (y >> np.uint64(31))
    return state


@numba.njit(cache=True, nogil=True, inline="always")
def load(state: np.ndarray) -> tuple:
    return (state[0], state[1], state[2], state[3])


@numba.njit(cache=True, nogil=True, inline="always")
def _uniform(s: tuple) -> tuple:
    """U(0, 1), never exactly 0 or 1 (53 random bits, offset by half a step)."""
    bits, s = _next(s)
    return (float(bits >> _U64(11)) + 0.5) * _U53, s


@numba.njit(cache=True, nogil=True)
def _normal_edge(s: tuple, i: int, u: float, x: float) -> tuple:
    """The rare part of the ziggurat: the base layer's tail or a layer's wedge; NaN = rejected."""
    if i == 0:
        # The tail beyond r (Marsaglia 1964): exponential proposals, accepted by a second one.
        while True:
            a, s = _uniform(s)
            b, s = _uniform(s)
            a = -math.log(a) / _ZR
            b = -math.log(b)
            if b + b > a * a:
                return (_ZR + a if u > 0 else -_ZR - a), s
    v, s = _uniform(s)
    if _ZF[i + 1] + v * (_ZF[i] - _ZF[i + 1]) < math.exp(-0.5 * x * x):
        return x, s
    return math.nan, s


@numba.njit(cache=True, nogil=True, inline="always")
def _normal(s: tuple) -> tuple:
    while True:
        bits, s = _next(s)
        i = int(bits & _U64(0xFF))
        u = 2.0 * (float(bits >> _U64(11)) + 0.5) * _U53 - 1.0
        x = u * _ZX[i]
        if abs(x) < _ZX[i + 1]:
            return x, s
        y, s = _normal_edge(s, i, u, x)
        if y == y:
            return y, s


@numba.njit(cache=True, nogil=True, inline="always")
def _gamma(s: tuple, shape: float) -> tuple:
    """Gamma(shape, scale 1)."""
    boost = 1.0
    if shape < 1.0:
        w, s = _uniform(s)
        boost = w ** (1.0 / shape)
        shape += 1.0
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x, s = _normal(s)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u, s = _uniform(s)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2 or math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v * boost, s


@numba.njit(cache=True, nogil=True, inline="always")
def _beta(s: tuple, a: float, b: float) -> tuple:
    """Beta(a, b)."""
    if b == 1.0:
        u, s = _uniform(s)
        return u ** (1.0 / a), s
    if a == 1.0:
        u, s = _uniform(s)
        return 1.0 - u ** (1.0 / b), s
    x, s = _gamma(s, a)
    y, s = _gamma(s, b)
    return x / (x + y), s


@numba.njit(cache=True, nogil=True, inline="always")
def _log_factorial(k: int) -> float:
    return _LOG_FACTORIALS[k] if k < 4096 else math.lgamma(k + 1.0)


@numba.njit(cache=True, nogil=True)
def _binomial_btrs(s: tuple, n: int, p: float) -> tuple:
    q = 1.0 - p
    spq = math.sqrt(n * p * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    lpq = math.log(p / q)
    m = math.floor((n + 1) * p)
    h = _log_factorial(int(m)) + _log_factorial(n - int(m))
    while True:
        u, s = _uniform(s)
        v, s = _uniform(s)
        u -= 0.5
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return int(k), s
        v = math.log(v * alpha / (a / (us * us) + b))
        if v <= h - _log_factorial(int(k)) - _log_factorial(n - int(k)) + (k - m) * lpq:
            return int(k), s


@numba.njit(cache=True, nogil=True, inline="always")
def _binomial(s: tuple, n: int, p: float) -> tuple:
    """Binomial(n, p)."""
    if n <= 0 or p <= 0.0:
        return 0, s
    if p >= 1.0:
        return n, s
    flip = p > 0.5
    if flip:
        p = 1.0 - p
    if n * p >= 10.0:
        k, s = _binomial_btrs(s, n, p)
    else:  # inversion: a short search up from P(X = 0)
        ratio = p / (1.0 - p)
        while True:
            prob = math.exp(n * math.log1p(-p))
            u, s = _uniform(s)
            k = 0
            while u > prob and k <= n:
                u -= prob
                k += 1
                prob *= ratio * (n - k + 1) / k
            if k <= n:  # else rounding left u above the whole mass: draw again
                break
    return (n - k if flip else k), s


@numba.njit(cache=True, nogil=True)
def _poisson(s: tuple, mean: float) -> tuple:
    """Poisson(mean)."""
    if mean <= 0.0:
        return 0, s
    if mean < 10.0:
        limit = math.exp(-mean)
        k = 0
        prod, s = _uniform(s)
        while prod > limit:
            k += 1
            u, s = _uniform(s)
            prod *= u
        return k, s
    slam = math.sqrt(mean)
    loglam = math.log(mean)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u, s = _uniform(s)
        v, s = _uniform(s)
        u -= 0.5
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + mean + 0.43)
        if us >= 0.07 and v <= v_r:
            return int(k), s
        if k < 0 or (us < 0.013 and v > us):
            continue
        if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                <= -mean + k * loglam - _log_factorial(int(k))):
            return int(k), s


@numba.njit(cache=True, nogil=True)
def _negative_binomial(s: tuple, n: float, p: float) -> tuple:
    """Failures before the n-th success with success probability p (numpy's convention)."""
    g, s = _gamma(s, n)
    return _poisson(s, g * (1.0 - p) / p)

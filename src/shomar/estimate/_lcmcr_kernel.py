"""The Gibbs sampler of the latent-class capture–recapture model, compiled with numba.

Works on distinct capture patterns: each iteration costs O(patterns × classes × lists).
Manrique-Vallier (2016, Biometrics 72:1246), steps in order: class counts of each observed pattern
(multinomial), the number unseen (negative binomial under p(N) ∝ 1/N) and their classes, list
probabilities (Beta), stick-breaking weights, and the concentration α (Gamma). Random variates come
from ``_rng`` (xoshiro256** with exact samplers, several times faster than numba's ``np.random``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from shomar.estimate._rng import (
    _beta,
    _binomial,
    _gamma,
    _negative_binomial,
    _uniform,
    load,
    new_state,
)

# Below this many people, drawing each one's class (a uniform and a short search) is cheaper than
# a binomial draw per class.
ONE_BY_ONE = 16


@numba.njit(cache=True, nogil=True, inline="always")
def _allocate(s: tuple, count: int, weights: np.ndarray, total: float, K: int, out: np.ndarray,
              order: np.ndarray, cum: np.ndarray) -> tuple:
    """Split ``count`` people among K classes ~ Multinomial(count, weights / total).

    Conditional binomials class by class while many people are left (the heaviest classes first,
    so the count runs out sooner), then one categorical draw per remaining person among the classes
    not yet visited. Exact in any class ``order``: given the first classes' counts, the rest is
    multinomial over the other classes. Returns the generator state.
    """
    out[:] = 0
    remaining = count
    rest = total
    first = 0
    while remaining > ONE_BY_ONE and first < K - 1:
        k = order[first]
        q = weights[k] / rest if rest > 0.0 else 1.0
        if q >= 1.0:
            c = remaining
        else:
            c, s = _binomial(s, remaining, max(q, 0.0))
        out[k] = c
        remaining -= c
        rest -= weights[k]
        first += 1
    if remaining == 0:
        return s
    if first == K - 1:
        out[order[K - 1]] += remaining
        return s
    # Cumulative weights of the classes left, summed afresh (the running difference loses
    # precision when it gets small) and once for all the remaining people.
    rest = 0.0
    for i in range(first, K):
        rest += weights[order[i]]
        cum[i] = rest
    for _ in range(remaining):
        u, s = _uniform(s)
        u *= rest
        i = first
        while i < K - 1 and u >= cum[i]:
            i += 1
        out[order[i]] += 1
    return s


@numba.njit(cache=True, nogil=True)
def _draw_parameters(s: tuple, lam: np.ndarray, pi: np.ndarray, V: np.ndarray, class_n: np.ndarray,
                     class_x: np.ndarray, alpha: float) -> tuple:
    """List probabilities λ_kj ~ Beta(1 + x_kj, 1 + n_k − x_kj) and stick-breaking weights
    V_k ~ Beta(1 + n_k, α + n_{>k}); returns Σ log(1 − V_k) for α's update and the state."""
    K, J = lam.shape
    for k in range(K):
        for j in range(J):
            if class_n[k] == 0.0:
                lam[k, j], s = _uniform(s)  # Beta(1, 1): an empty class needs no gamma draws
            else:
                lam[k, j], s = _beta(s, 1.0 + class_x[k, j], 1.0 + class_n[k] - class_x[k, j])
    tail = 0.0
    for k in range(K):
        tail += class_n[k]
    log_sum = 0.0
    prod = 1.0
    for k in range(K - 1):
        tail -= class_n[k]
        # For an empty class Beta(1, b) is the closed form 1 − U^(1/b) inside _beta.
        v, s = _beta(s, 1.0 + class_n[k], alpha + tail)
        V[k] = min(max(v, 1e-12), 1.0 - 1e-12)
        log_sum += math.log(1.0 - V[k])
        pi[k] = V[k] * prod
        prod *= 1.0 - V[k]
    V[K - 1] = 1.0
    pi[K - 1] = prod
    return log_sum, s


# With up to this many lists, every capture pattern's probability per class is tabulated once an
# iteration (2^J products per class, built by doubling) instead of a J-fold product per observed
# pattern; the products are the same, in the same order, so the draws do not change.
TABULATE_LISTS = 12


@numba.njit(cache=True, nogil=True)
def _class_weights(weights: np.ndarray, lam: np.ndarray, pi: np.ndarray, patterns: np.ndarray,
                   codes: np.ndarray, table: np.ndarray, tabulate: bool) -> None:
    """π_k Π_j (λ_kj if a pattern holds list j else 1 − λ_kj) for every class k: with ``tabulate``
    in table[code, k] for all 2^J codes (the unseen are code 0), else in weights[p, k] for every
    observed pattern p and in the last row for the unseen."""
    K, J = lam.shape
    n_pat = patterns.shape[0]
    if tabulate:  # table[code, k] for all 2^J codes, bit j of a code = on list j
        for k in range(K):
            table[0, k] = pi[k]
            size = 1
            for j in range(J):
                on = lam[k, j]
                off = 1.0 - on
                for code in range(size):
                    v = table[code, k]
                    table[code + size, k] = v * on
                    table[code, k] = v * off
                size *= 2
        return
    for k in range(K):
        for p in range(n_pat + 1):
            w = pi[k]
            for j in range(J):
                w *= lam[k, j] if p < n_pat and patterns[p, j] == 1 else 1.0 - lam[k, j]
            weights[p, k] = w


@numba.njit(cache=True, nogil=True)
def run_chain(patterns: np.ndarray, counts: np.ndarray, n_classes: int, a_alpha: float, b_alpha: float,
              burn_in: int, n_samples: int, thin: int, seed: int, max_missing: int,
              tabulate: bool = True) -> tuple[np.ndarray, np.ndarray, int]:
    """One chain; returns the kept draws of N and α and how many draws hit ``max_missing``.
    ``tabulate`` (needs 2^J × K floats) changes the speed, never the draws."""
    s = load(new_state(seed))
    n_pat, J = patterns.shape
    K = n_classes
    n_obs = 0
    for p in range(n_pat):
        n_obs += counts[p]
    lam = np.empty((K, J))
    for k in range(K):
        for j in range(J):
            u, s = _uniform(s)
            lam[k, j] = 0.1 + 0.8 * u
    pi = np.full(K, 1.0 / K)
    alpha = 1.0
    n0 = n_obs // 2
    N_draws = np.empty(n_samples)
    alpha_draws = np.empty(n_samples)
    capped = 0
    class_n = np.zeros(K)
    class_x = np.zeros((K, J))
    weights = np.empty((1 if tabulate else n_pat + 1, K))  # unused when tabulated
    cum = np.empty(K)
    alloc = np.zeros(K, dtype=np.int64)
    V = np.empty(K)
    codes = np.zeros(n_pat, dtype=np.int64)
    for p in range(n_pat):
        for j in range(J):
            codes[p] |= patterns[p, j] << j
    table = np.empty((2 ** J if tabulate else 1, K))
    total_iter = burn_in + n_samples * thin
    kept = 0
    order = np.arange(K)
    for it in range(total_iter):
        # classes by decreasing weight: the heavy ones first empty the count sooner
        for i in range(1, K):
            c = order[i]
            m = i
            while m > 0 and pi[order[m - 1]] < pi[c]:
                order[m] = order[m - 1]
                m -= 1
            order[m] = c
        class_n[:] = 0.0
        class_x[:, :] = 0.0
        _class_weights(weights, lam, pi, patterns, codes, table, tabulate)
        W = table if tabulate else weights  # pattern p's weights are row codes[p] or row p
        # 1. classes of the observed people, pattern by pattern
        for p in range(n_pat):
            row = codes[p] if tabulate else p
            total = 0.0
            for k in range(K):
                total += W[row, k]
            s = _allocate(s, counts[p], W[row], total, K, alloc, order, cum)
            for k in range(K):
                c = alloc[k]
                if c == 0:
                    continue
                class_n[k] += c
                for j in range(J):  # branch-free: patterns hold 0 or 1
                    class_x[k, j] += c * patterns[p, j]
        # 2. the unseen: N - n ~ NegBin(n, 1 - nu0) under p(N) ∝ 1/N
        unseen = 0 if tabulate else n_pat
        nu0 = 0.0
        for k in range(K):
            nu0 += W[unseen, k]
        miss_total = nu0
        nu0 = min(max(nu0, 1e-300), 1.0 - 1e-12)
        n0, s = _negative_binomial(s, n_obs, 1.0 - nu0)
        if max_missing >= 0 and n0 > max_missing:
            n0 = max_missing
            if it >= burn_in:
                capped += 1
        s = _allocate(s, n0, W[unseen], miss_total, K, alloc, order, cum)
        for k in range(K):
            class_n[k] += alloc[k]
        # 3–4. list probabilities and stick-breaking weights
        log_sum, s = _draw_parameters(s, lam, pi, V, class_n, class_x, alpha)
        # 5. concentration
        g, s = _gamma(s, a_alpha + K - 1)
        alpha = g / (b_alpha - log_sum)
        if it >= burn_in and (it - burn_in) % thin == thin - 1:
            N_draws[kept] = n_obs + n0
            alpha_draws[kept] = alpha
            kept += 1
    return N_draws, alpha_draws, capped

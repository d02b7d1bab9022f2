"""The Gibbs sampler of the latent-class capture–recapture model, compiled with numba.

Works on distinct capture patterns: each iteration costs O(patterns × classes × lists).
Manrique-Vallier (2016, Biometrics 72:1246), steps in order: class counts of each observed pattern
(multinomial), the number unseen (negative binomial under p(N) ∝ 1/N) and their classes, list
probabilities (Beta), stick-breaking weights, and the concentration α (Gamma).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _allocate(count: int, weights: np.ndarray, total: float, K: int, out: np.ndarray, order: np.ndarray) -> None:
    """Split ``count`` people among K classes ~ Multinomial(count, weights / total).

    Few people: one categorical draw each (a uniform and a cumulative search); many people:
    conditional binomials, one per class. Both are exact in any class ``order``; visiting the
    heaviest classes first only makes the count run out sooner.
    """
    out[:] = 0
    if count == 0:
        return
    if count <= 2 * K:
        for _ in range(count):
            u = np.random.random() * total
            acc = 0.0
            i = 0
            while i < K - 1:
                acc += weights[order[i]]
                if u < acc:
                    break
                i += 1
            out[order[i]] += 1
        return
    remaining = count
    rest = total
    for i in range(K - 1):
        k = order[i]
        if remaining == 0:
            return
        q = weights[k] / rest if rest > 0 else 1.0
        c = remaining if q >= 1.0 else np.random.binomial(remaining, max(q, 0.0))
        out[k] = c
        remaining -= c
        rest -= weights[k]
    out[order[K - 1]] += remaining


@numba.njit(cache=True, nogil=True)
def run_chain(patterns: np.ndarray, counts: np.ndarray, n_classes: int, a_alpha: float, b_alpha: float,
              burn_in: int, n_samples: int, thin: int, seed: int, max_missing: int) -> tuple[np.ndarray, np.ndarray, int]:
    """One chain; returns the kept draws of N and α and how many draws hit ``max_missing``."""
    np.random.seed(seed)
    n_pat, J = patterns.shape
    K = n_classes
    n_obs = 0
    for p in range(n_pat):
        n_obs += counts[p]
    lam = np.random.uniform(0.1, 0.9, (K, J))
    pi = np.full(K, 1.0 / K)
    alpha = 1.0
    n0 = n_obs // 2
    N_draws = np.empty(n_samples)
    alpha_draws = np.empty(n_samples)
    capped = 0
    class_n = np.zeros(K)
    class_x = np.zeros((K, J))
    probs = np.empty(K)
    alloc = np.zeros(K, dtype=np.int64)
    V = np.empty(K)
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
        # 1. classes of the observed people, pattern by pattern
        for p in range(n_pat):
            s = 0.0
            for k in range(K):
                lik = pi[k]
                for j in range(J):
                    lik *= lam[k, j] if patterns[p, j] == 1 else 1.0 - lam[k, j]
                probs[k] = lik
                s += lik
            _allocate(counts[p], probs, s, K, alloc, order)
            for k in range(K):
                c = alloc[k]
                if c == 0:
                    continue
                class_n[k] += c
                for j in range(J):
                    if patterns[p, j] == 1:
                        class_x[k, j] += c
        # 2. the unseen: N - n ~ NegBin(n, 1 - nu0) under p(N) ∝ 1/N
        nu0 = 0.0
        for k in range(K):
            miss = pi[k]
            for j in range(J):
                miss *= 1.0 - lam[k, j]
            probs[k] = miss
            nu0 += miss
        miss_total = nu0
        nu0 = min(max(nu0, 1e-300), 1.0 - 1e-12)
        n0 = np.random.negative_binomial(n_obs, 1.0 - nu0)
        if max_missing >= 0 and n0 > max_missing:
            n0 = max_missing
            if it >= burn_in:
                capped += 1
        _allocate(n0, probs, miss_total, K, alloc, order)
        for k in range(K):
            class_n[k] += alloc[k]
        # 3. list probabilities
        for k in range(K):
            if class_n[k] == 0.0:
                # Beta(1, 1) is the uniform: an empty class needs no gamma draws
                for j in range(J):
                    lam[k, j] = np.random.random()
                continue
            for j in range(J):
                lam[k, j] = np.random.beta(1.0 + class_x[k, j], 1.0 + class_n[k] - class_x[k, j])
        # 4. stick-breaking weights
        tail = 0.0
        for k in range(K):
            tail += class_n[k]
        log_sum = 0.0
        prod = 1.0
        for k in range(K):
            tail -= class_n[k]
            if k < K - 1:
                V[k] = np.random.beta(1.0 + class_n[k], alpha + tail)
                V[k] = min(max(V[k], 1e-12), 1.0 - 1e-12)
                log_sum += np.log(1.0 - V[k])
            else:
                V[k] = 1.0
            pi[k] = V[k] * prod
            prod *= 1.0 - V[k]
        # 5. concentration
        alpha = np.random.gamma(a_alpha + K - 1, 1.0 / (b_alpha - log_sum))
        if it >= burn_in and (it - burn_in) % thin == thin - 1:
            N_draws[kept] = n_obs + n0
            alpha_draws[kept] = alpha
            kept += 1
    return N_draws, alpha_draws, capped

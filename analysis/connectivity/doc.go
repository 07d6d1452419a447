// Package connectivity infers functional and effective connectivity from
// spike or electrode events (analysis.Events) and measures the topology of
// the resulting graph.
//
// Pairwise statistics:
//
//   - CrossCorrelograms: counts of event pairs at each lag, with the exact
//     expectation under interval jitter (Amarasingham et al. 2012, J
//     Neurophysiol 107:517), which keeps everything slower than the jitter
//     window (network bursts, rate co-modulation) and tests the fine
//     timing; a directed link i → j is an excess at positive lags, tested
//     with the Poisson tail of the jitter mean (conservative for this null;
//     Hoeffding 1956) and a Bonferroni correction over the lags, and gives
//     the delay and the excess probability per event (efficacy).
//   - STTC: the spike time tiling coefficient (Cutts & Eglen 2014, J
//     Neurosci 34:14288), the rate-robust synchrony index of MEA-NAP and
//     Elephant.
//   - TransferEntropy: TE_u(X → Y) = I(y_t; x_{t−u} | y_{t−1} … y_{t−k}) in
//     bits on binary bins (Schreiber 2000, PRL 85:461), maximised over the
//     delay u (Wibral et al. 2013, PLoS One 8:e55809), with a surrogate
//     test that jitters the source and stops early for clear non-links
//     (Besag & Clifford 1991, Biometrika 78:301).
//
// Graph measures, on the undirected graph of the significant links
// (Undirected; gonum graph types), compared with degree-preserving null
// models (Maslov & Sneppen 2002):
//
//   - Clustering C (Watts & Strogatz 1998), characteristic path length L
//     of the largest component and global efficiency (Latora & Marchiori
//     2001).
//   - SmallWorldness: σ = (C/C_r)/(L/L_r) (Humphries & Gurney 2008) and
//     ω = L_r/L − C/C_l (Telesford et al. 2011) against random and
//     latticized references (Sporns & Zwi 2004), as networkx's sigma and
//     omega.
//   - RichClubCoefficient: φ(k) = 2E_k/(N_k(N_k − 1)) over the nodes of
//     degree > k, normalised by rewired references, ρ(k) = φ/φ_rand
//     (Colizza et al. 2006, Nat Phys 2:110), with a permutation p-value.
//
// Every random choice comes from streams keyed by a seed and the item it
// serves (surrogate and unit, reference graph), and work is split by rows,
// so results do not depend on the number of workers. This is the
// connectivity part of `bl1 analyze` (connectivity.npz).
package connectivity

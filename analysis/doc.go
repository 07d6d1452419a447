// Package analysis computes the statistics by which a simulated culture is
// compared with recordings, on spike or electrode events (Events: times in
// ms, unit ids, a window). Every function states its definition and source
// in its own documentation; the families are:
//
//   - Firing (rates.go): per-unit rates, the fraction of active units
//     (> 0.1 Hz), ISI coefficients of variation, the burstiness index of
//     Wagenaar et al. (2005, J Neurosci 25:680), the population rate;
//     synchrony (synchrony.go): Golomb's χ (Golomb & Rinzel 1993).
//   - Network bursts (bursts.go): the population-rate threshold detector of
//     BL-1 (RateThreshold) and the electrode method of Wagenaar, Pine &
//     Potter (2006, BMC Neurosci 7:11; Wagenaar2006): per-channel burstlets
//     with ISI thresholds merged across channels; SummarizeBursts gives the
//     rate per minute, duration, inter-burst interval mean and CV,
//     recruitment and the fraction of spikes in bursts.
//   - Criticality (avalanche.go, powerlaw.go, branching.go): neuronal
//     avalanches (Beggs & Plenz 2003), discrete power-law fits by maximum
//     likelihood with x_min chosen by the Kolmogorov-Smirnov distance, a
//     bootstrap goodness-of-fit p-value and likelihood-ratio tests against
//     exponential and log-normal tails (Clauset, Shalizi & Newman 2009), the
//     branching ratio by the naive and the multistep-regression estimators
//     (Wilting & Priesemann 2018), and the crackling-noise scaling relation
//     (Sethna, Dahmen & Myers 2001; Friedman et al. 2012).
//   - Comparison (compare.go): Welch's two-sample t-test (Welch 1947) and
//     the Mann-Whitney U test with tie correction (Mann & Whitney 1947),
//     for example to compare a game's early and late performance.
//   - Functional connectivity and information theory live in the
//     sub-packages connectivity (correlograms with a jitter null, STTC,
//     transfer entropy, graph measures) and information (entropy, mutual
//     information, active information storage, integration, neural
//     complexity), on the discrete trains of Events.UnitBins; this is
//     `bl1 analyze`.
//   - Validation (culture.go): Analyze runs the statistics above on a Recording
//     (neurons and, when an MEA recorded, channels) and Grade checks the
//     results against published ranges (Wagenaar2006Ranges); this is
//     `bl1 validate`.
//
// Unlike BL-1, power-law exponents are maximum-likelihood density
// exponents (not least-squares slopes of the survival function compared
// with density ranges), there is one definition of the burst rate, and the
// branching ratio is also estimated without the subsampling bias.
package analysis

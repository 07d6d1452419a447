// Package information measures the information in binned activity of a
// culture's channels or neurons: entropy, mutual information, active
// information storage, integration and neural complexity.
//
// Discrete estimators work on symbol sequences (e.g. 1 when a bin holds an
// event) by plug-in frequencies, optionally with the Miller-Madow bias
// correction (m − 1)/(2N ln 2) per entropy (m the cells seen, N the
// samples; Miller 1955; Panzeri & Treves 1996, Network 7:87):
//
//	H(X)    = −Σ p(x) log₂ p(x)
//	I(X; Y) = H(X) + H(Y) − H(X, Y)
//	A(X)    = I(x_t; x_{t−1} … x_{t−k})        active information storage
//	                                            (Lizier, Prokopenko & Zomaya 2012, Inf Sci 208:39)
//	I(X)    = Σ_i H(X_i) − H(X_1 … X_n)         integration (Tononi, Sporns & Edelman 1994,
//	                                            PNAS 91:5033, eq. 1)
//	C_N(X)  = Σ_k [⟨H(X_j^k)⟩_j − (k/n) H(X)]   neural complexity (ibid., eq. 2)
//
// all in bits. Plug-in joint entropies need many more samples than joint
// states, so for tens of channels the integration and complexity come from
// the Gaussian estimator on the covariance Σ of the binned counts,
// H(X_S) = ½ log₂((2πe)^|S| det Σ_S), as in Tononi et al. (1994): the
// integration is −½ log₂ det of the correlation matrix, and the complexity
// averages log-determinants over all subsets of each size (exactly for a
// dozen units, over random subsets beyond, with a standard error).
//
// Analyze applies them to a recording (analysis.Events): this is the
// information part of `bl1 analyze` (info.json). Unlike BL-1, whose
// complexity mixes the full system's size with a 10-neuron entropy
// estimate, every term here is of the same system.
package information

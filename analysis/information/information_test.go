package information

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// h2 is the binary entropy in bits.
func h2(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return -p*math.Log2(p) - (1-p)*math.Log2(1-p)
}

func bern(rng *rand.Rand, p float64) int32 {
	if rng.Float64() < p {
		return 1
	}
	return 0
}

// MI of a correlated Bernoulli pair: X ~ B(0.3), Y copies X and flips it
// with probability 0.1; I = H(Y) − H(Y|X) = h(0.3·0.9 + 0.7·0.1) − h(0.1)
// (computed analytically).
func TestMutualInformationBernoulli(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 200000
	x, y := make([]int32, n), make([]int32, n)
	for i := range n {
		x[i] = bern(rng, 0.3)
		y[i] = x[i] ^ bern(rng, 0.1)
	}
	want := h2(0.3*0.9+0.7*0.1) - h2(0.1)
	got, err := MutualInformation(x, y, true)
	if err != nil {
		t.Fatal(err)
	}
	// SD of the plug-in MI ≈ √(Var[log p(x,y)/(p(x)p(y))]/N) < 0.004 here.
	if math.Abs(got-want) > 0.004 {
		t.Errorf("MI %g, want %g", got, want)
	}
}

// Independent channels: the plug-in MI is biased up by its χ² mean,
// (m_xy − m_x − m_y + 1)/(2N ln 2) = 1/(2N ln 2) for binary variables
// (Panzeri & Treves 1996; Roulston 1999), and the corrected estimate is 0
// within its sampling spread √2/(2N ln 2) (the SD of χ²₁/(2N ln 2)).
func TestMutualInformationIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const n, reps = 5000, 400
	var plug, mm float64
	x, y := make([]int32, n), make([]int32, n)
	for range reps {
		for i := range n {
			x[i], y[i] = bern(rng, 0.2), bern(rng, 0.4)
		}
		a, _ := MutualInformation(x, y, false)
		b, _ := MutualInformation(x, y, true)
		plug += a / reps
		mm += b / reps
	}
	bias := 1 / (2 * n * math.Ln2)
	sd := math.Sqrt2 / (2 * n * math.Ln2)
	se := sd / math.Sqrt(reps)
	if math.Abs(plug-bias) > 4*se {
		t.Errorf("plug-in mean %g, want its bias %g (SE %g)", plug, bias, se)
	}
	if math.Abs(mm) > 4*se {
		t.Errorf("corrected mean %g, want 0 (SE %g)", mm, se)
	}
}

// AIS of a binary Markov chain with P(1|0) = a, P(1|1) = b: stationary
// π₁ = a/(1 − b + a), A = h(π₁) − π₀ h(a) − π₁ h(b) for every history
// k ≥ 1 (Lizier et al. 2012; computed analytically).
func TestAISMarkov(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const a, b, n = 0.1, 0.6, 400000
	x := make([]int32, n)
	for i := 1; i < n; i++ {
		p := a
		if x[i-1] == 1 {
			p = b
		}
		x[i] = bern(rng, p)
	}
	pi1 := a / (1 - b + a)
	want := h2(pi1) - (1-pi1)*h2(a) - pi1*h2(b)
	for _, k := range []int{1, 2, 4} {
		got, err := ActiveInformationStorage(x, k, true)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 0.003 {
			t.Errorf("k=%d: AIS %g, want %g", k, got, want)
		}
	}
	// An independent sequence stores nothing.
	for i := range x {
		x[i] = bern(rng, 0.3)
	}
	if got, _ := ActiveInformationStorage(x, 3, true); math.Abs(got) > 1e-4 {
		t.Errorf("independent: AIS %g", got)
	}
}

// AIS of an order-2 binary autoregressive process: P(x_t = 1 | x_{t−1},
// x_{t−2}) from a table; the stationary law of the pairs is found here by
// iterating the chain's transition matrix, and A(k ≥ 2) = H(x_t) − H(x_t |
// x_{t−1}, x_{t−2}) while A(1) is smaller.
func TestAISOrder2(t *testing.T) {
	p1 := [4]float64{0.1, 0.6, 0.35, 0.8} // by (x_{t−1} << 1 | x_{t−2})
	// State s = (x_{t−1}, x_{t−2}) → (x_t, x_{t−1}).
	pi := [4]float64{0.25, 0.25, 0.25, 0.25}
	for range 10000 {
		var next [4]float64
		for s, w := range pi {
			prev := s >> 1
			next[1<<1|prev] += w * p1[s]
			next[prev] += w * (1 - p1[s])
		}
		pi = next
	}
	var q1, hc float64
	for s, w := range pi {
		q1 += w * p1[s]
		hc += w * h2(p1[s])
	}
	want := h2(q1) - hc
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 1000000
	x := make([]int32, n)
	for i := 2; i < n; i++ {
		x[i] = bern(rng, p1[x[i-1]<<1|x[i-2]])
	}
	a2, _ := ActiveInformationStorage(x, 2, true)
	a3, _ := ActiveInformationStorage(x, 3, true)
	a1, _ := ActiveInformationStorage(x, 1, true)
	if math.Abs(a2-want) > 0.003 || math.Abs(a3-want) > 0.003 {
		t.Errorf("AIS k=2 %g, k=3 %g, want %g", a2, a3, want)
	}
	if !(a1 < want-0.01) {
		t.Errorf("AIS k=1 %g not below %g", a1, want)
	}
}

// commonCause draws n binary variables that copy a fair coin z, each
// flipped with probability eps. Its joint law is known: P(x) = ½ Π_i
// (x_i = 0 ? 1−ε : ε) + ½ Π_i (x_i = 1 ? 1−ε : ε), and any k of the
// variables follow the same law with k in place of n.
func commonCause(rng *rand.Rand, n, samples int, eps float64) [][]int32 {
	xs := make([][]int32, n)
	for i := range xs {
		xs[i] = make([]int32, samples)
	}
	for t := range samples {
		z := bern(rng, 0.5)
		for i := range xs {
			xs[i][t] = z ^ bern(rng, eps)
		}
	}
	return xs
}

// hCommon is the exact joint entropy of k variables of commonCause: states
// with j ones occur C(k, j) times.
func hCommon(k int, eps float64) float64 {
	var h float64
	for j := 0; j <= k; j++ {
		p := 0.5*math.Pow(eps, float64(j))*math.Pow(1-eps, float64(k-j)) + 0.5*math.Pow(1-eps, float64(j))*math.Pow(eps, float64(k-j))
		h -= binom(k, j) * p * math.Log2(p)
	}
	return h
}

func binom(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}

// Integration and complexity of correlated Bernoulli variables against
// their exact values: I = n·1 − H_n, C = Σ_k (H_k − (k/n) H_n).
func TestDiscreteIntegrationComplexity(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n, eps = 5, 0.15
	xs := commonCause(rng, n, 300000, eps)
	wantI := float64(n) - hCommon(n, eps)
	var wantC float64
	for k := 1; k <= n; k++ {
		wantC += hCommon(k, eps) - float64(k)/n*hCommon(n, eps)
	}
	I, err := MultiInformation(xs, true)
	if err != nil {
		t.Fatal(err)
	}
	C, _ := Complexity(xs, true)
	if math.Abs(I-wantI) > 0.01 || math.Abs(C-wantC) > 0.01 {
		t.Errorf("integration %g (want %g), complexity %g (want %g)", I, wantI, C, wantC)
	}
	// Independent channels: both vanish within the bias bound (2^n − 1 −
	// n degrees of freedom over 2N ln 2, here 26/(2·300000·ln 2) ≈ 6e-5).
	ind := commonCause(rng, n, 300000, 0.5)
	I0, _ := MultiInformation(ind, true)
	C0, _ := Complexity(ind, true)
	if math.Abs(I0) > 3e-4 || math.Abs(C0) > 3e-4 {
		t.Errorf("independent: integration %g, complexity %g", I0, C0)
	}
}

// equicorrelated is the n×n covariance with unit variances and
// correlation rho: det of any k×k principal submatrix is
// (1 − ρ)^(k−1) (1 + (k − 1)ρ).
func equicorrelated(n int, rho float64) *mat.SymDense {
	c := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			v := rho
			if i == j {
				v = 1
			}
			c.SetSym(i, j, v)
		}
	}
	return c
}

func logDetEqui(k int, rho float64) float64 {
	return (float64(k-1)*math.Log2(1-rho) + math.Log2(1+float64(k-1)*rho))
}

// Gaussian integration and complexity against closed forms.
func TestGaussianClosedForm(t *testing.T) {
	for _, tc := range []struct {
		n   int
		rho float64
	}{{2, 0.5}, {8, 0.3}, {12, 0.7}, {40, 0.2}} {
		c := equicorrelated(tc.n, tc.rho)
		I, err := GaussianIntegration(c)
		if err != nil {
			t.Fatal(err)
		}
		if want := -logDetEqui(tc.n, tc.rho) / 2; math.Abs(I-want) > 1e-10 {
			t.Errorf("n %d ρ %g: integration %g, want %g", tc.n, tc.rho, I, want)
		}
		var want float64
		for k := 1; k <= tc.n; k++ {
			want += (logDetEqui(k, tc.rho) - float64(k)/float64(tc.n)*logDetEqui(tc.n, tc.rho)) / 2
		}
		C, se, err := GaussianComplexity(c, 12, 20, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Every k-subset has the same determinant, so sampling is exact too
		// (up to rounding in the determinants).
		if math.Abs(C-want) > 1e-9 || se > 1e-6 {
			t.Errorf("n %d ρ %g: complexity %g ± %g, want %g", tc.n, tc.rho, C, se, want)
		}
	}
	// Two Gaussians with correlation ρ share −½ log₂(1 − ρ²) bits.
	I, _ := GaussianIntegration(equicorrelated(2, 0.6))
	if want := -0.5 * math.Log2(1-0.36); math.Abs(I-want) > 1e-12 {
		t.Errorf("pair: %g, want %g", I, want)
	}
}

// On a covariance without symmetry, the sampled complexity agrees with the
// exact enumeration within its standard error.
func TestGaussianComplexitySampled(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	const n = 14
	a := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var c mat.SymDense
	c.SymOuterK(1, a)
	for i := range n {
		c.SetSym(i, i, c.At(i, i)+float64(n)) // well conditioned
	}
	exact, _, err := GaussianComplexity(&c, 14, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	sampled, se, err := GaussianComplexity(&c, 0, 200, 3)
	if err != nil {
		t.Fatal(err)
	}
	if se <= 0 || math.Abs(sampled-exact) > 4*se {
		t.Errorf("sampled %g ± %g, exact %g", sampled, se, exact)
	}
}

func TestInvalid(t *testing.T) {
	if _, err := MutualInformation([]int32{1, 2}, []int32{1}, true); err == nil {
		t.Error("unequal lengths")
	}
	if _, err := ActiveInformationStorage([]int32{0, 2, 1}, 1, true); err == nil {
		t.Error("non-binary AIS")
	}
	if _, err := ActiveInformationStorage([]int32{0, 1}, 2, true); err == nil {
		t.Error("too short")
	}
	if _, err := Complexity(make([][]int32, 17), true); err == nil {
		t.Error("17 variables")
	}
	if _, err := GaussianIntegration(mat.NewSymDense(2, []float64{1, 1, 1, 1})); err == nil {
		t.Error("singular covariance")
	}
}

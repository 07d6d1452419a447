package rng

import "math"

// Gamma is the odd increment of SplitMix64 (2^64 / golden ratio).
const gamma = 0x9e3779b97f4a7c15

// Stream names an independent random stream of a run. Values are fixed
// forever: changing one changes every result drawn from that stream.
type Stream uint64

// Streams used by the simulator.
const (
	Placement  Stream = 1  // neuron positions
	Types      Stream = 2  // assignment of cell types to neurons
	Connect    Stream = 3  // which pairs are connected
	Weights    Stream = 4  // synaptic weight jitter
	Drive      Stream = 5  // background drive, keyed by (neuron, step)
	Parameters Stream = 6  // per-neuron parameter heterogeneity
	Structural Stream = 7  // structural plasticity: growth and pruning
	Routing    Stream = 8  // random routing of MEA electrodes to channels
	Recording  Stream = 9  // MEA recording noise, keyed by (step, neuron, electrode)
	Clusters   Stream = 10 // cluster centres and membership of clustered placement
	Ablation   Stream = 11 // the virtual CL1's random spike counts, keyed by reply (package cl1)
)

// Mix is the SplitMix64 output function: a bijection of uint64 with full
// avalanche.
func Mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Key is the key of one stream of one run.
type Key uint64

// NewKey returns the key of stream s for the given seed.
func NewKey(seed uint64, s Stream) Key {
	return Key(Mix(Mix(seed+gamma) ^ Mix(uint64(s)*gamma)))
}

// At returns the i-th 64-bit value of the stream.
func (k Key) At(i uint64) uint64 { return Mix(uint64(k) + (i+1)*gamma) }

// Sub returns the key of the sub-stream i (for example one step of the
// drive, or one presynaptic neuron's row of connections).
func (k Key) Sub(i uint64) Key { return Key(Mix(uint64(k)^Mix((i+1)*gamma)) + gamma) }

// Source returns a sequential generator positioned at the start of the
// stream: its n-th output equals k.At(n).
func (k Key) Source() Source { return Source{state: uint64(k)} }

// Source is a sequential SplitMix64 generator. Its zero value is usable.
type Source struct{ state uint64 }

// Uint64 returns the next value.
func (s *Source) Uint64() uint64 {
	s.state += gamma
	return Mix(s.state)
}

// Float64 returns a uniform value in [0, 1) with 53 random bits.
func (s *Source) Float64() float64 { return Float64(s.Uint64()) }

// Open returns a uniform value in (0, 1), never 0.
func (s *Source) Open() float64 { return Open(s.Uint64()) }

// Norm returns a standard normal deviate.
func (s *Source) Norm() float64 { return Norm(s.Uint64()) }

// Intn returns a uniform integer in [0, n). It panics if n <= 0.
func (s *Source) Intn(n int) int {
	if n <= 0 {
		panic("rng: Intn argument must be positive")
	}
	// Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32.
	hi, _ := mul64(s.Uint64(), uint64(n))
	return int(hi)
}

// Geometric returns the number of failures before the first success of
// Bernoulli(p) trials, for 0 < p <= 1, by inversion: floor(ln U / ln(1-p)).
// lnq must be ln(1-p) (precomputed by the caller; -Inf when p = 1).
func (s *Source) Geometric(lnq float64) int {
	if math.IsInf(lnq, -1) {
		return 0
	}
	g := math.Log(s.Open()) / lnq
	if g >= math.MaxInt32 {
		return math.MaxInt32
	}
	return int(g)
}

// Float64 maps 64 random bits to a uniform value in [0, 1).
func Float64(u uint64) float64 { return float64(u>>11) * 0x1p-53 }

// Open maps 64 random bits to a uniform value in (0, 1).
func Open(u uint64) float64 { return (float64(u>>12) + 0.5) * 0x1p-52 }

func mul64(x, y uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	x0, x1 := x&mask32, x>>32
	y0, y1 := y&mask32, y>>32
	w0 := x0 * y0
	t := x1*y0 + w0>>32
	w1 := t&mask32 + x0*y1
	hi = x1*y1 + t>>32 + w1>>32
	lo = x * y
	return
}

package optim

// Constraint projects a parameter back onto its feasible set.
type Constraint interface {
	Project(x []float64)
}

var (
	_ Constraint = NonNegative{}
	_ Constraint = Bounds{}
	_ Constraint = Sign(nil)
	_ Constraint = Mask(nil)
	_ Constraint = All(nil)
)

// NonNegative clamps every entry at 0 from below (conductances, weights
// whose sign is the presynaptic neuron's).
type NonNegative struct{}

// Project implements Constraint.
func (NonNegative) Project(x []float64) {
	for i, v := range x {
		if v < 0 {
			x[i] = 0
		}
	}
}

// Bounds clamps every entry to [Lo, Hi].
type Bounds struct{ Lo, Hi float64 }

// Project implements Constraint.
func (b Bounds) Project(x []float64) {
	for i, v := range x {
		x[i] = max(b.Lo, min(b.Hi, v))
	}
}

// Sign keeps each entry's sign (Dale's law for signed weights): +1 means
// >= 0, -1 means <= 0, 0 leaves the entry free.
type Sign []int8

const badLength = "optim: constraint and parameter lengths differ"

// Project implements Constraint.
func (s Sign) Project(x []float64) {
	if len(s) != len(x) {
		panic(badLength)
	}
	for i, v := range x {
		if s[i] > 0 && v < 0 || s[i] < 0 && v > 0 {
			x[i] = 0
		}
	}
}

// Mask is a fixed sparsity pattern: entries where it is false stay 0.
type Mask []bool

// Project implements Constraint.
func (m Mask) Project(x []float64) {
	if len(m) != len(x) {
		panic(badLength)
	}
	for i, keep := range m {
		if !keep {
			x[i] = 0
		}
	}
}

// All applies several constraints in order.
type All []Constraint

// Project implements Constraint.
func (a All) Project(x []float64) {
	for _, c := range a {
		c.Project(x)
	}
}

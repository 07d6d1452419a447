package analysis_test

import (
	"fmt"

	"github.com/bl1-go/bl1/analysis"
)

// Events at 0.5, 1.2, 1.9 and 4.9 ms in 1 ms bins from 0 to 5 ms.
func ExampleEvents_UnitBins() {
	e := analysis.Events{T: []float64{0.5, 1.2, 1.9, 4.9}, ID: []int32{0, 1, 1, 0}, N: 2, T1: 5}
	bins, nb, err := e.UnitBins(1)
	fmt.Println(bins, nb, err)
	// Output: [[0 4] [1 1]] 5 <nil>
}

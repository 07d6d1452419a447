package plot

import (
	"path/filepath"
	"testing"
)

// The loss figure is a PNG of 8 × 6 inches at gonum/plot's 96 dpi, in
// two panels; bad input is an error, not a panic.
func TestLoss(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.png")
	loss := []float64{10, 3, 1, 0.5, 0, 0.2}
	values := [][]float64{{0.07, 0.2}, {0.072, 0.19}, {0.071, 0.2}, {0.07, 0.2}, {0.07, 0.2}, {0.07, 0.2}}
	if err := Loss(path, "fit", loss, []string{"g_exc", "g_inh"}, values); err != nil {
		t.Fatal(err)
	}
	img := decode(t, path)
	if b := img.Bounds(); b.Dx() != 768 || b.Dy() != 576 {
		t.Errorf("image %v, want 768 × 576", b)
	}
	if err := Loss(path, "fit", nil, nil, nil); err == nil {
		t.Error("accepted no iterations")
	}
	if err := Loss(path, "fit", loss, []string{"g"}, values); err == nil {
		t.Error("accepted rows of 2 values for 1 name")
	}
}

package npy

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// The header follows the .npy 1.0 layout: magic, version, little-endian
// header length, a dict literal padded with spaces to a 64-byte multiple
// and ended by a newline (NumPy format documentation, "Format Version 1.0").
func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		dtype string
		shape []int
		dict  string
	}{
		{"<f8", []int{3}, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"},
		{"<f4", []int{2, 5}, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), }"},
		{"|b1", []int{0}, "{'descr': '|b1', 'fortran_order': False, 'shape': (0,), }"},
	} {
		h := Header(tc.dtype, tc.shape)
		if len(h)%64 != 0 {
			t.Fatalf("header length %d not a multiple of 64", len(h))
		}
		if string(h[:8]) != "\x93NUMPY\x01\x00" {
			t.Fatalf("magic %q", h[:8])
		}
		if hl := int(h[8]) | int(h[9])<<8; hl != len(h)-10 {
			t.Fatalf("header length field %d, want %d", hl, len(h)-10)
		}
		if got := strings.TrimRight(string(h[10:]), " \n"); got != tc.dict {
			t.Fatalf("dict %q, want %q", got, tc.dict)
		}
		if h[len(h)-1] != '\n' {
			t.Fatal("header does not end with a newline")
		}
	}
}

// An archive written here reads back with an independent reader (npyio).
func TestNPZRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.npz")
	z, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f64 := []float64{0.5, -1, 3e300}
	f32 := []float32{1, 2, 3, 4, 5, 6}
	i32 := []int32{-7, 0, 1 << 30}
	i64 := []int64{-1 << 40, 5}
	bs := []bool{true, false, true}
	if err := z.Float64("f64", f64); err != nil {
		t.Fatal(err)
	}
	if err := z.Float32("f32", f32, 2, 3); err != nil {
		t.Fatal(err)
	}
	if err := z.Int32("i32", i32); err != nil {
		t.Fatal(err)
	}
	if err := z.Int64("i64", i64); err != nil {
		t.Fatal(err)
	}
	if err := z.Bool("b", bs); err != nil {
		t.Fatal(err)
	}
	if err := z.Strings("s", []string{"RS", "LTS", "AdEx_é"}); err != nil {
		t.Fatal(err)
	}
	// Nothing is visible before Close.
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("archive visible before Close")
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var g64 []float64
	var g32 []float32
	var gi32 []int32
	var gi64 []int64
	var gb []bool
	for _, c := range []struct {
		name string
		ptr  any
	}{{"f64.npy", &g64}, {"f32.npy", &g32}, {"i32.npy", &gi32}, {"i64.npy", &gi64}, {"b.npy", &gb}} {
		if err := r.Read(c.name, c.ptr); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	if !slices.Equal(g64, f64) || !slices.Equal(g32, f32) || !slices.Equal(gi32, i32) || !slices.Equal(gi64, i64) || !slices.Equal(gb, bs) {
		t.Fatalf("read back %v %v %v %v %v", g64, g32, gi32, gi64, gb)
	}
	if h := r.Header("f32.npy"); h == nil || !slices.Equal(h.Descr.Shape, []int{2, 3}) {
		t.Fatalf("f32 header %+v", h)
	}
	// The string array is '<U6' (6 code points of UTF-32LE per element).
	rc, err := r.Open("s.npy")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Contains(raw, []byte("'descr': '<U6'")) || len(raw)%64 != (3*6*4)%64 {
		t.Fatalf("string array header/size wrong: %d bytes", len(raw))
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	z, err := Create(filepath.Join(dir, "a.npz"))
	if err != nil {
		t.Fatal(err)
	}
	z.Float64("x", []float64{1})
	z.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("abort left %v", ents)
	}
}

func TestSpoolStreams(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSpool(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	const n = 300000 // more than the 1 MiB buffer
	for i := range n {
		s.Int32(int32(i))
	}
	path := filepath.Join(dir, "s.npz")
	z, _ := Create(path)
	if err := z.Array("x", "<i4", []int{n}, func(w io.Writer) error { _, err := s.WriteTo(w); return err }); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var got []int32
	if err := npz.Read(mustOpen(t, path), "x.npy", &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != n || got[n-1] != n-1 || got[12345] != 12345 {
		t.Fatalf("spooled array wrong: %d values", len(got))
	}
	defer func() {
		if recover() == nil {
			t.Fatal("wrong-size value did not panic")
		}
	}()
	s.Float64(1)
}

func mustOpen(t *testing.T, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// When NumPy is installed (Debian's python3-numpy), np.load reads every
// dtype with the right values; this is what users will do.
func TestNumPyLoads(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	for _, p := range []string{"/usr/bin/python3", py} {
		if exec.Command(p, "-c", "import numpy").Run() == nil {
			py = p
			break
		}
	}
	if exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("numpy not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.npz")
	z, _ := Create(path)
	z.Float64("t_ms", []float64{0.5, 1.5})
	z.Int32("neuron", []int32{3, 7})
	z.Float32("v", []float32{1, 2, 3, 4, 5, 6}, 3, 2)
	z.Bool("exc", []bool{true, false})
	z.Strings("type", []string{"RS", "LTS"})
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	script := `import numpy as np, sys
d = np.load(sys.argv[1])
assert d["t_ms"].dtype == np.float64 and list(d["t_ms"]) == [0.5, 1.5]
assert d["neuron"].dtype == np.int32 and list(d["neuron"]) == [3, 7]
assert d["v"].shape == (3, 2) and d["v"][2, 1] == 6
assert d["exc"].dtype == np.bool_ and list(d["exc"]) == [True, False]
assert list(d["type"]) == ["RS", "LTS"]
print("ok")`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("numpy: %v\n%s", err, out)
	}
}

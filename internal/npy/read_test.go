package npy

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
)

// Arrays written by this package read back unchanged.
func TestReadBack(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.npz")
	z, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f32 := []float32{1.5, -2, 3e-30}
	f64 := []float64{0.1, 1e300}
	i32 := []int32{-1, 7}
	i64 := []int64{1 << 40, -3}
	z.Float32("f32", f32)
	z.Float64("f64", f64)
	z.Int32("i32", i32)
	z.Int64("i64", i64)
	z.Bytes("meta", []byte(`{"a":1}`))
	z.Float32("m", []float32{1, 2, 3, 4, 5, 6}, 2, 3)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	m, err := ReadNPZ(p)
	if err != nil {
		t.Fatal(err)
	}
	g32, _ := m["f32"].Float32()
	g64, _ := m["f64"].Float64()
	gi32, _ := m["i32"].Int32()
	gi64, _ := m["i64"].Int64()
	meta, _ := m["meta"].Bytes()
	if !slices.Equal(g32, f32) || !slices.Equal(g64, f64) || !slices.Equal(gi32, i32) || !slices.Equal(gi64, i64) || string(meta) != `{"a":1}` {
		t.Fatal("values differ")
	}
	if !slices.Equal(m["m"].Shape, []int{2, 3}) || m["m"].Len() != 6 {
		t.Fatalf("shape %v", m["m"].Shape)
	}
	if _, err := m["f32"].Float64(); err == nil {
		t.Fatal("dtype not checked")
	}
}

// FuzzReadNPY: no input panics.
func FuzzReadNPY(f *testing.F) {
	var b bytes.Buffer
	b.Write(Header("<f4", []int{2}))
	b.Write([]byte{0, 0, 128, 63, 0, 0, 0, 64})
	f.Add(b.Bytes())
	f.Add(Header("<U3", []int{1, 2}))
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadNPY(bytes.NewReader(data))
		if err == nil && len(a.Data) != a.Len()*func() int { s, _ := itemSize(a.Dtype); return s }() {
			t.Fatalf("data length %d for shape %v", len(a.Data), a.Shape)
		}
	})
}

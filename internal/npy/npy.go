// Package npy writes NumPy .npy arrays and .npz archives (format 1.0,
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html)
// so that Python users load every output with one np.load call. Arrays are
// written from slices or streamed from spool files, so a long run's spikes
// never need to sit in memory; npz members are stored uncompressed.
package npy

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/bl1-go/bl1/internal/atomicfile"
)

// Header returns the .npy header of a C-ordered array of the given NumPy
// dtype descriptor ('<f8', '<i4', '|b1', '<U3', ...) and shape, padded so
// that the data starts at a multiple of 64 bytes.
func Header(dtype string, shape []int) []byte {
	var sh strings.Builder
	sh.WriteString("(")
	for i, d := range shape {
		if i > 0 {
			sh.WriteString(", ")
		}
		fmt.Fprintf(&sh, "%d", d)
	}
	if len(shape) == 1 {
		sh.WriteString(",")
	}
	sh.WriteString(")")
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", dtype, sh.String())
	total := 10 + len(dict) + 1
	pad := (64 - total%64) % 64
	h := make([]byte, 0, total+pad)
	h = append(h, "\x93NUMPY\x01\x00"...)
	h = binary.LittleEndian.AppendUint16(h, uint16(len(dict)+pad+1))
	h = append(h, dict...)
	for range pad {
		h = append(h, ' ')
	}
	return append(h, '\n')
}

// NPZ is an .npz archive being written atomically.
type NPZ struct {
	f  *atomicfile.File
	zw *zip.Writer
}

// Create starts an .npz archive at path.
func Create(path string) (*NPZ, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	return &NPZ{f: f, zw: zip.NewWriter(f)}, nil
}

// Array adds array name (without .npy) of the given dtype and shape; write
// must produce exactly the array's bytes, little-endian, C order.
func (z *NPZ) Array(name, dtype string, shape []int, write func(w io.Writer) error) error {
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Store})
	if err != nil {
		return err
	}
	if _, err := w.Write(Header(dtype, shape)); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := write(bw); err != nil {
		return fmt.Errorf("npy: %s: %w", name, err)
	}
	return bw.Flush()
}

// Float64 adds a float64 array.
func (z *NPZ) Float64(name string, x []float64) error {
	return z.Array(name, "<f8", []int{len(x)}, func(w io.Writer) error { return PutFloat64(w, x) })
}

// Float32 adds a float32 array with the given shape (nil: 1-D).
func (z *NPZ) Float32(name string, x []float32, shape ...int) error {
	if shape == nil {
		shape = []int{len(x)}
	}
	return z.Array(name, "<f4", shape, func(w io.Writer) error { return PutFloat32(w, x) })
}

// Int32 adds an int32 array.
func (z *NPZ) Int32(name string, x []int32) error {
	return z.Array(name, "<i4", []int{len(x)}, func(w io.Writer) error { return PutInt32(w, x) })
}

// Int64 adds an int64 array.
func (z *NPZ) Int64(name string, x []int64) error {
	return z.Array(name, "<i8", []int{len(x)}, func(w io.Writer) error { return PutInt64(w, x) })
}

// Bool adds a bool array.
func (z *NPZ) Bool(name string, x []bool) error {
	return z.Array(name, "|b1", []int{len(x)}, func(w io.Writer) error {
		b := make([]byte, len(x))
		for i, v := range x {
			if v {
				b[i] = 1
			}
		}
		_, err := w.Write(b)
		return err
	})
}

// Strings adds a fixed-width Unicode string array (dtype '<U' + width), the
// type np.array(['RS', 'FS']) has.
func (z *NPZ) Strings(name string, x []string) error {
	width := 1
	for _, s := range x {
		width = max(width, utf8.RuneCountInString(s))
	}
	return z.Array(name, fmt.Sprintf("<U%d", width), []int{len(x)}, func(w io.Writer) error {
		b := make([]byte, 4*width)
		for _, s := range x {
			clear(b)
			k := 0
			for _, r := range s {
				binary.LittleEndian.PutUint32(b[4*k:], uint32(r))
				k++
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close finishes the archive and publishes it.
func (z *NPZ) Close() error {
	if err := z.zw.Close(); err != nil {
		z.f.Abort()
		return err
	}
	return z.f.Commit()
}

// Abort discards the archive.
func (z *NPZ) Abort() { z.f.Abort() }

// put writes x in chunks, each value encoded by appendLE.
func put[T any](w io.Writer, x []T, appendLE func([]byte, T) []byte) error {
	const chunk = 8192
	b := make([]byte, 0, 8*min(len(x), chunk))
	for len(x) > 0 {
		k := min(len(x), chunk)
		b = b[:0]
		for _, v := range x[:k] {
			b = appendLE(b, v)
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		x = x[k:]
	}
	return nil
}

// PutFloat64 writes x little-endian.
func PutFloat64(w io.Writer, x []float64) error {
	return put(w, x, func(b []byte, v float64) []byte { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) })
}

// PutFloat32 writes x little-endian.
func PutFloat32(w io.Writer, x []float32) error {
	return put(w, x, func(b []byte, v float32) []byte { return binary.LittleEndian.AppendUint32(b, math.Float32bits(v)) })
}

// PutInt32 writes x little-endian.
func PutInt32(w io.Writer, x []int32) error {
	return put(w, x, func(b []byte, v int32) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) })
}

// PutInt64 writes x little-endian.
func PutInt64(w io.Writer, x []int64) error {
	return put(w, x, func(b []byte, v int64) []byte { return binary.LittleEndian.AppendUint64(b, uint64(v)) })
}

// Bytes adds a uint8 array (for example a JSON document).
func (z *NPZ) Bytes(name string, b []byte) error {
	return z.Array(name, "|u1", []int{len(b)}, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

package npy

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Array is an array read from an .npy file: its dtype descriptor, shape and
// raw little-endian bytes in C order.
type Array struct {
	Dtype string
	Shape []int
	Data  []byte
}

// Len returns the number of elements.
func (a Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// ReadNPY reads one .npy array (format 1.0, 2.0 or 3.0, C order, dtypes
// this package writes).
func ReadNPY(r io.Reader) (Array, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return Array{}, fmt.Errorf("npy: header: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return Array{}, errors.New("npy: not an .npy file (bad magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return Array{}, fmt.Errorf("npy: header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return Array{}, fmt.Errorf("npy: header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return Array{}, fmt.Errorf("npy: unsupported format version %d", pre[6])
	}
	if hlen > 1<<20 {
		return Array{}, fmt.Errorf("npy: header of %d bytes", hlen)
	}
	h := make([]byte, hlen)
	if _, err := io.ReadFull(r, h); err != nil {
		return Array{}, fmt.Errorf("npy: header: %w", err)
	}
	a, err := parseHeader(string(h))
	if err != nil {
		return a, err
	}
	size, err := itemSize(a.Dtype)
	if err != nil {
		return a, err
	}
	n := a.Len()
	if n < 0 || n > (1<<40)/max(size, 1) {
		return a, fmt.Errorf("npy: shape %v too large", a.Shape)
	}
	a.Data = make([]byte, 0, min(n*size, 1<<24))
	lr := io.LimitReader(r, int64(n*size))
	buf, err := io.ReadAll(lr)
	if err != nil {
		return a, fmt.Errorf("npy: data: %w", err)
	}
	if len(buf) != n*size {
		return a, fmt.Errorf("npy: data truncated: %d of %d bytes", len(buf), n*size)
	}
	a.Data = buf
	return a, nil
}

// parseHeader reads the dict literal of an .npy header.
func parseHeader(h string) (Array, error) {
	var a Array
	h = strings.TrimSpace(h)
	field := func(key string) (string, error) {
		i := strings.Index(h, "'"+key+"'")
		if i < 0 {
			return "", fmt.Errorf("npy: header lacks %q", key)
		}
		rest := strings.TrimSpace(h[i+len(key)+2:])
		if !strings.HasPrefix(rest, ":") {
			return "", fmt.Errorf("npy: malformed header near %q", key)
		}
		return strings.TrimSpace(rest[1:]), nil
	}
	d, err := field("descr")
	if err != nil {
		return a, err
	}
	if len(d) < 2 || d[0] != '\'' {
		return a, errors.New("npy: malformed descr")
	}
	end := strings.IndexByte(d[1:], '\'')
	if end < 0 {
		return a, errors.New("npy: malformed descr")
	}
	a.Dtype = d[1 : 1+end]
	f, err := field("fortran_order")
	if err != nil {
		return a, err
	}
	if strings.HasPrefix(f, "True") {
		return a, errors.New("npy: Fortran order is not supported")
	}
	s, err := field("shape")
	if err != nil {
		return a, err
	}
	if !strings.HasPrefix(s, "(") {
		return a, errors.New("npy: malformed shape")
	}
	end = strings.IndexByte(s, ')')
	if end < 0 {
		return a, errors.New("npy: malformed shape")
	}
	a.Shape = []int{}
	for _, p := range strings.Split(s[1:end], ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return a, fmt.Errorf("npy: bad dimension %q", p)
		}
		a.Shape = append(a.Shape, v)
	}
	return a, nil
}

func itemSize(dtype string) (int, error) {
	switch dtype {
	case "<f8", "<i8", "<u8":
		return 8, nil
	case "<f4", "<i4", "<u4":
		return 4, nil
	case "|b1", "|u1", "|i1":
		return 1, nil
	}
	if strings.HasPrefix(dtype, "<U") {
		w, err := strconv.Atoi(dtype[2:])
		if err != nil || w < 1 || w > 1<<16 {
			return 0, fmt.Errorf("npy: bad string dtype %q", dtype)
		}
		return 4 * w, nil
	}
	return 0, fmt.Errorf("npy: unsupported dtype %q", dtype)
}

// ReadNPZ reads every array of an .npz archive, keyed by name without the
// .npy suffix.
func ReadNPZ(path string) (map[string]Array, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("npz %s: %w", path, err)
	}
	defer zr.Close()
	out := map[string]Array{}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".npy") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("npz %s: %s: %w", path, f.Name, err)
		}
		a, err := ReadNPY(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("npz %s: %s: %w", path, f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = a
	}
	return out, nil
}

func (a Array) check(dtype string) error {
	if a.Dtype != dtype {
		return fmt.Errorf("npy: dtype %s, want %s", a.Dtype, dtype)
	}
	return nil
}

// Float32 returns the array's values; it must be '<f4'.
func (a Array) Float32() ([]float32, error) {
	if err := a.check("<f4"); err != nil {
		return nil, err
	}
	out := make([]float32, len(a.Data)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(a.Data[4*i:]))
	}
	return out, nil
}

// Float64 returns the array's values; it must be '<f8'.
func (a Array) Float64() ([]float64, error) {
	if err := a.check("<f8"); err != nil {
		return nil, err
	}
	out := make([]float64, len(a.Data)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(a.Data[8*i:]))
	}
	return out, nil
}

// Int32 returns the array's values; it must be '<i4'.
func (a Array) Int32() ([]int32, error) {
	if err := a.check("<i4"); err != nil {
		return nil, err
	}
	out := make([]int32, len(a.Data)/4)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(a.Data[4*i:]))
	}
	return out, nil
}

// Int64 returns the array's values; it must be '<i8'.
func (a Array) Int64() ([]int64, error) {
	if err := a.check("<i8"); err != nil {
		return nil, err
	}
	out := make([]int64, len(a.Data)/8)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(a.Data[8*i:]))
	}
	return out, nil
}

// Bytes returns the raw bytes of a '|u1' array.
func (a Array) Bytes() ([]byte, error) {
	if err := a.check("|u1"); err != nil {
		return nil, err
	}
	return a.Data, nil
}

// Bool returns the values of a '|b1' array.
func (a Array) Bool() ([]bool, error) {
	if err := a.check("|b1"); err != nil {
		return nil, err
	}
	out := make([]bool, len(a.Data))
	for i, b := range a.Data {
		out[i] = b != 0
	}
	return out, nil
}

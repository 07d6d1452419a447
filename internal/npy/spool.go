package npy

import (
	"bufio"
	"encoding/binary"
	"io"
	"math"
	"os"
)

// Spool accumulates raw little-endian values of one fixed size in a
// temporary file, so that an array of unbounded length is built with
// bounded memory and later streamed into an archive.
type Spool struct {
	f    *os.File
	w    *bufio.Writer
	size int   // bytes per value
	n    int64 // values written
	buf  [8]byte
	err  error
}

// NewSpool creates a spool of size-byte values in dir (removed by Close).
func NewSpool(dir string, size int) (*Spool, error) {
	f, err := os.CreateTemp(dir, ".spool-*.tmp")
	if err != nil {
		return nil, err
	}
	return &Spool{f: f, w: bufio.NewWriterSize(f, 1<<20), size: size}, nil
}

// Len returns the number of values written.
func (s *Spool) Len() int64 { return s.n }

// Float64 appends one float64 (the spool's size must be 8).
func (s *Spool) Float64(v float64) {
	binary.LittleEndian.PutUint64(s.buf[:], math.Float64bits(v))
	s.put(8)
}

// Float32 appends one float32 (size 4).
func (s *Spool) Float32(v float32) {
	binary.LittleEndian.PutUint32(s.buf[:], math.Float32bits(v))
	s.put(4)
}

// Int32 appends one int32 (size 4).
func (s *Spool) Int32(v int32) {
	binary.LittleEndian.PutUint32(s.buf[:], uint32(v))
	s.put(4)
}

func (s *Spool) put(k int) {
	if k != s.size {
		panic("npy: spool value size mismatch")
	}
	if s.err == nil {
		_, s.err = s.w.Write(s.buf[:k])
	}
	s.n++
}

// Err returns the first write error.
func (s *Spool) Err() error { return s.err }

// WriteTo copies the spooled bytes to w.
func (s *Spool) WriteTo(w io.Writer) (int64, error) {
	if s.err != nil {
		return 0, s.err
	}
	if err := s.w.Flush(); err != nil {
		return 0, err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.Copy(w, s.f)
	if err != nil {
		return n, err
	}
	_, err = s.f.Seek(0, io.SeekEnd)
	return n, err
}

// Close removes the spool file.
func (s *Spool) Close() error {
	s.f.Close()
	return os.Remove(s.f.Name())
}

// ReadPairs calls fn with the int32 values of two spools of equal length,
// in order, then done.
func ReadPairs(a, b *Spool, fn func(x, y int32) error, done func() error) error {
	ra, err := a.reader()
	if err != nil {
		return err
	}
	defer ra.Close()
	rb, err := b.reader()
	if err != nil {
		return err
	}
	defer rb.Close()
	ba, bb := bufio.NewReaderSize(ra, 1<<16), bufio.NewReaderSize(rb, 1<<16)
	var x, y [4]byte
	for k := int64(0); k < a.n && k < b.n; k++ {
		if _, err := io.ReadFull(ba, x[:]); err != nil {
			return err
		}
		if _, err := io.ReadFull(bb, y[:]); err != nil {
			return err
		}
		if err := fn(int32(binary.LittleEndian.Uint32(x[:])), int32(binary.LittleEndian.Uint32(y[:]))); err != nil {
			return err
		}
	}
	return done()
}

// reader flushes the spool and opens its file for reading from the start.
func (s *Spool) reader() (*os.File, error) {
	if s.err != nil {
		return nil, s.err
	}
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	return os.Open(s.f.Name())
}

package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bl1-go/bl1/sim"
)

// live starts a monitor at :0 over a 2,000-neuron culture that runs in the
// background until the test ends.
func live(t *testing.T) *Monitor {
	t.Helper()
	e, r := rig(t, 2000)
	m, err := Attach(":0", e, r, Options{Title: "test culture", FPS: 20})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		obs := append(r.Observers(), sim.Observer(m))
		for ctx.Err() == nil {
			e.Run(ctx, 200, obs...)
			time.Sleep(10 * time.Millisecond) // about 10x real time: frames keep changing
		}
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		m.Close()
	})
	return m
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// The dashboard, the statistics, single frames and the MJPEG streams:
// multipart/x-mixed-replace with boundary "frame", image/jpeg parts whose
// Content-Length is their size (the framing of spec §7), frames that
// change as the culture runs.
func TestServer(t *testing.T) {
	m := live(t)
	if !strings.HasPrefix(m.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %s: an address without a host must mean loopback", m.URL())
	}
	resp, page := get(t, m.URL())
	if resp.StatusCode != 200 || !strings.Contains(string(page), "<title>test culture: live monitor</title>") ||
		!strings.Contains(string(page), `src="/stream/activity.mjpeg"`) {
		t.Fatalf("page %d:\n%s", resp.StatusCode, page)
	}
	m.SetStats("cl1", func() any { return map[string]any{"replies": 7, "counts": []float32{1, 2}} })
	_, b := get(t, m.URL()+"stats.json")
	var secs []struct {
		Name   string                     `json:"name"`
		Values map[string]json.RawMessage `json:"values"`
	}
	if err := json.Unmarshal(b, &secs); err != nil || len(secs) != 2 || secs[0].Name != "culture" || secs[1].Name != "cl1" ||
		string(secs[1].Values["replies"]) != "7" || secs[0].Values["t_s"] == nil {
		t.Fatalf("stats.json %s: %v", b, err)
	}
	for p, size := range map[string]image.Point{"activity": {640, 360}, "heatmap": {640, 360}, "rate": {640, 360}, "all": {1280, 720}} {
		resp, b := get(t, m.URL()+"frame/"+p+".jpg")
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil || resp.Header.Get("Content-Type") != "image/jpeg" || img.Bounds().Size() != size {
			t.Fatalf("frame %s: %v, %v", p, err, resp.Header)
		}
	}
	for _, path := range []string{"stream/nope.mjpeg", "frame/nope.jpg", "nope"} {
		if resp, _ := get(t, m.URL()+path); resp.StatusCode != 404 {
			t.Errorf("/%s: %d", path, resp.StatusCode)
		}
	}
	resp, err := http.Get(m.URL() + "stream/heatmap.mjpeg")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/x-mixed-replace" || params["boundary"] != "frame" {
		t.Fatalf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(resp.Body, "frame")
	var frames [][]byte
	for range 6 {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := strconv.Atoi(part.Header.Get("Content-Length")); part.Header.Get("Content-Type") != "image/jpeg" || n != len(b) {
			t.Fatalf("part %v of %d bytes", part.Header, len(b))
		}
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
		frames = append(frames, b)
	}
	if bytes.Equal(frames[0], frames[5]) {
		t.Error("the stream's frames do not change while the culture runs")
	}
	// Close ends open streams.
	done := make(chan error, 1)
	go func() { done <- m.Close() }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Close hangs with a client watching")
	}
	if _, err := io.ReadAll(resp.Body); err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Logf("stream after close: %v", err)
	}
}

func TestServeErrors(t *testing.T) {
	a, err := NewActivityMonitor([]bool{true}, 0.5, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"8080", "no-such-host.invalid:80", ":99999"} {
		if m, err := Serve(addr, a, Options{}); err == nil {
			m.Close()
			t.Errorf("%q accepted", addr)
		}
	}
}

func TestFlatten(t *testing.T) {
	got := flatten(nil, "cl1", json.RawMessage(`{"b": 1.5, "a": {"x": [1, 2.25]}, "s": "ok", "n": 12345678}`))
	want := []string{"cl1.b: 1.5", "cl1.a.x: [1 2.25]", "cl1.s: ok", "cl1.n: 12345678"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%q, want %q", got, want)
	}
}

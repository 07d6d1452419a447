package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// free ports for the server in tests
var freePorts = []string{"-stim-port", "0", "-event-port", "0", "-feedback-port", "0"}

// A session without a trainer: it runs in real time for -duration and
// writes the run folder and the session's files.
func TestCL1Session(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"cl1", "-o", dir, "-duration", "0.5", "-tick-frequency", "20"}, freePorts...)
	args = append(args, small[:4]...) // the small culture, not its -duration
	code, stdout, stderr := bl1(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "done: 600 neurons") || !strings.Contains(stderr, "virtual CL1: stim 127.0.0.1:") {
		t.Fatalf("stdout %s\nstderr %s", stdout, stderr)
	}
	for _, f := range []string{"config.yaml", "summary.json", "spikes.npz", "mea_spikes.npz", "mea_heatmap.png", "cl1.json", "cl1_stims.npz", "cl1_replies.npz", "events.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if s := readSummary(t, dir); s.SimS != 0.5 || s.Partial || s.MEA == nil || !(s.RealtimeFactor > 0.8 && s.RealtimeFactor < 1.2) {
		t.Errorf("summary: %g s simulated at %.2fx realtime, partial %v", s.SimS, s.RealtimeFactor, s.Partial)
	}
	var info struct {
		TickHz float64 `json:"tick_hz"`
		Stats  struct {
			Ticks int64 `json:"ticks"`
		} `json:"stats"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "cl1.json"))
	if err := json.Unmarshal(b, &info); err != nil || info.TickHz != 20 || info.Stats.Ticks != 10 {
		t.Errorf("cl1.json %s: %v", b, err)
	}
}

// The load test: a trainer on loopback, one stim after each reply, no
// reply lost.
func TestCL1LoadTest(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"cl1", "-o", dir, "-loadtest", "300", "-tick-frequency", "500", "-artifact-wait-ms", "0", "-collect-window-ms", "2"}, small[:4]...)
	code, stdout, stderr := bl1(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "load test: 300 stims, 300 replies, 0 lost") {
		t.Fatalf("stdout %s", stdout)
	}
	var r struct {
		Sent, Replies, Lost, Stale int
		P99                        float64 `json:"p99_ms"`
		Server                     struct {
			Stims, Replies int
		} `json:"server"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "loadtest.json"))
	if err := json.Unmarshal(b, &r); err != nil || r.Sent != 300 || r.Replies != 300 || r.Stale != 0 || r.Server.Stims != 300 || r.Server.Replies != 300 || !(r.P99 > 0) {
		t.Fatalf("loadtest.json %s: %v", b, err)
	}
}

func TestCL1BadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-tick-frequency", "0"}, "-tick-frequency"},
		{[]string{"-spike-ablation", "noise"}, "-spike-ablation"},
		{[]string{"-artifact-wait-ms", "-5"}, "-artifact-wait-ms"},
		{[]string{"-stim-port", "70000"}, "-stim-port"},
		{[]string{"-set", "mea.layout=mcs60"}, "mea.layout: cl1"},
		{[]string{"-loadtest", "-3"}, "-loadtest"},
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"a.yaml", "b.yaml"}, "at most one config"},
		{[]string{"-monitor", "nohost"}, "-monitor"},
	} {
		args := append(append([]string{"cl1", "-o", t.TempDir(), "-duration", "0.1"}, freePorts...), c.args...)
		code, _, stderr := bl1(t, append(args, small[:4]...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %s", c.args, code, stderr)
		}
	}
}

// bl1 run serves the dashboard while it runs.
func TestRunMonitor(t *testing.T) {
	args := append([]string{"run", "-o", t.TempDir(), "-monitor", ":0"}, small[:4]...)
	args = append(args, "-duration", "0.2")
	code, _, stderr := bl1(t, args...)
	if code != 0 || !strings.Contains(stderr, "monitor: http://127.0.0.1:") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

package cl1

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// python3 returns Debian's Python, or skips the test.
func python3(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("python3 not found: the tests against Python's struct module need it")
	return ""
}

type pyPacket struct {
	Kind          string          `json:"kind"`
	Hex           string          `json:"hex"`
	TS            uint64          `json:"ts"`
	Freq          json.RawMessage `json:"freq"`
	Amp           json.RawMessage `json:"amp"`
	Counts        []float64       `json:"counts"`
	Type          json.RawMessage `json:"type"`
	Channels      []int           `json:"channels"`
	Pulses        uint32          `json:"pulses"`
	Unpredictable int             `json:"unpredictable"`
	Name          string          `json:"name"`
	Data          json.RawMessage `json:"data"`
	LengthOK      bool            `json:"length_ok"`
}

func floats(t *testing.T, raw json.RawMessage) []float64 {
	t.Helper()
	var v []float64
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// Packets that Python's struct module packs with the spec's format strings
// (<Q16f, <Q8f, <QBB64BIfIB32sx, <QI + JSON) decode to the values Python
// packed, and packets Go encodes unpack in Python to the values Go holds.
func TestPythonStruct(t *testing.T) {
	py := python3(t)
	out, err := exec.Command(py, "testdata/packets.py", "gen", "200", "7").Output()
	if err != nil {
		t.Fatal(err)
	}
	var back bytes.Buffer // Go's encodings, for Python to parse
	var sent []pyPacket
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p pyPacket
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		b, err := hex.DecodeString(p.Hex)
		if err != nil {
			t.Fatal(err)
		}
		var enc []byte
		switch p.Kind {
		case "stim":
			c, err := DecodeStimCommand(b)
			f, a := floats(t, p.Freq), floats(t, p.Amp)
			for i := range Groups {
				if err != nil || float64(c.FrequencyHz[i]) != f[i] || float64(c.AmplitudeUA[i]) != a[i] || c.TimestampUs != p.TS {
					t.Fatalf("stim %s: %+v, %v; Python packed %v %v", p.Hex, c, err, f, a)
				}
			}
			enc, _ = c.AppendBinary(nil)
		case "spike":
			d, err := DecodeSpikeData(b)
			for j := range Groups {
				if err != nil || float64(d.Counts[j]) != p.Counts[j] || d.TimestampUs != p.TS {
					t.Fatalf("spike %s: %+v, %v; Python packed %v", p.Hex, d, err, p.Counts)
				}
			}
			enc, _ = d.AppendBinary(nil)
		case "feedback":
			f, err := DecodeFeedback(b)
			var typ int
			json.Unmarshal(p.Type, &typ)
			amp := floats(t, json.RawMessage("["+string(p.Amp)+"]"))[0]
			if err != nil || f.TimestampUs != p.TS || int(f.Type) != typ || !slices.Equal(f.Channels, p.Channels) ||
				float64(f.AmplitudeUA) != amp || f.Pulses != p.Pulses || f.Unpredictable != (p.Unpredictable == 1) || f.Name != p.Name {
				t.Fatalf("feedback %s: %+v, %v; Python packed %+v", p.Hex, f, err, p)
			}
			if enc, err = f.AppendBinary(nil); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, b) {
				t.Fatalf("feedback re-encodes to %x, Python packed %x", enc, b)
			}
		case "event":
			e, err := DecodeEvent(b)
			var typ string
			json.Unmarshal(p.Type, &typ)
			if err != nil || e.TimestampUs != p.TS || e.Type != typ || !sameJSON(t, e.Data, p.Data) {
				t.Fatalf("event %q: %+v, %v", b, e, err)
			}
			if enc, err = e.AppendBinary(nil); err != nil {
				t.Fatal(err)
			}
			// Go writes the text as Python's json.dumps does.
			if !bytes.Equal(enc, b) {
				t.Fatalf("event re-encodes to\n%q\nPython packed\n%q", enc, b)
			}
		}
		if p.Kind != "event" && p.Kind != "feedback" && !bytes.Equal(enc, b) {
			t.Fatalf("%s re-encodes to %x, Python packed %x", p.Kind, enc, b)
		}
		sent = append(sent, p)
		json.NewEncoder(&back).Encode(map[string]string{"kind": p.Kind, "hex": hex.EncodeToString(enc)})
	}
	if len(sent) != 800 {
		t.Fatalf("%d packets from Python, want 800", len(sent))
	}
	// Python reads Go's packets back.
	cmd := exec.Command(py, "testdata/packets.py", "parse")
	cmd.Stdin = &back
	cmd.Stderr = os.Stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(sent) {
		t.Fatalf("Python parsed %d packets of %d", len(lines), len(sent))
	}
	for i, line := range lines {
		var got pyPacket
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		want := sent[i]
		ok := got.TS == want.TS
		switch want.Kind {
		case "stim":
			ok = ok && slices.Equal(floats(t, got.Freq), floats(t, want.Freq)) && slices.Equal(floats(t, got.Amp), floats(t, want.Amp))
		case "spike":
			ok = ok && slices.Equal(got.Counts, want.Counts)
		case "feedback":
			ok = ok && string(got.Type) == string(want.Type) && slices.Equal(got.Channels, want.Channels) && string(got.Freq) == string(want.Freq) &&
				string(got.Amp) == string(want.Amp) && got.Pulses == want.Pulses && got.Unpredictable == want.Unpredictable && got.Name == want.Name
		case "event":
			ok = ok && got.LengthOK && string(got.Type) == string(want.Type) && sameJSON(t, got.Data, want.Data)
		}
		if !ok {
			t.Fatalf("%s: Python unpacked %s from Go's bytes, want %+v", want.Kind, line, want)
		}
	}
}

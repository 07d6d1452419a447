package cl1

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// unhex reads a hex dump (offsets and comments after "|" are not bytes).
func unhex(t *testing.T, dump string) []byte {
	t.Helper()
	var b []byte
	for _, line := range strings.Split(dump, "\n") {
		line, _, _ = strings.Cut(line, "|")
		if i := strings.Index(line, ":"); i >= 0 {
			line = line[i+1:]
		}
		for _, f := range strings.Fields(line) {
			x, err := hex.DecodeString(f)
			if err != nil {
				t.Fatalf("%q: %v", f, err)
			}
			b = append(b, x...)
		}
	}
	return b
}

// ts is 2026-01-01T00:00:00Z in µs, the timestamp of the spec's examples.
const ts = 1767225600000000

// The example packets of ../shared/spec/cl1-protocol.md §1.9, computed there
// with Python's struct module and cross-checked against doom-neuron's
// udp_protocol.py: decoding gives their values, encoding their bytes.
func TestSpecExampleStim(t *testing.T) {
	a := unhex(t, `
0000: 00 40 20 46 48 47 06 00 00 00 80 40 00 00 20 41
0010: 00 00 a0 41 00 00 20 42 00 00 b0 41 00 00 80 40
0020: 00 00 50 41 00 00 f0 41 00 00 80 3f 00 00 c0 3f
0030: 00 00 00 40 00 00 20 40 00 00 e0 3f 00 00 80 3f
0040: 00 00 a0 3f 00 00 10 40`)
	want := StimCommand{TimestampUs: ts,
		FrequencyHz: [8]float32{4, 10, 20, 40, 22, 4, 13, 30},
		AmplitudeUA: [8]float32{1.0, 1.5, 2.0, 2.5, 1.75, 1.0, 1.25, 2.25}}
	got, err := DecodeStimCommand(a)
	if err != nil || got != want {
		t.Fatalf("example A: %+v, %v", got, err)
	}
	if enc, _ := want.AppendBinary(nil); !bytes.Equal(enc, a) {
		t.Fatalf("example A encodes to\n%x\nwant\n%x", enc, a)
	}
	// Example B: non-round values round-trip as float32 (1.8734 is
	// 0x3FEFCB92); the CL1 side truncates frequencies to [23 4 40 11 30 17 8 35].
	b := unhex(t, `
0000: 00 40 20 46 48 47 06 00 9a 99 bd 41 00 00 80 40
0010: 00 00 20 42 00 00 34 41 00 00 f4 41 00 00 88 41
0020: 66 66 0e 41 cd cc 0c 42 92 cb ef 3f 00 00 80 3f
0030: 00 00 20 40 9a 99 99 3f cd cc 0c 40 00 00 c0 3f
0040: 66 66 86 3f cd cc 1c 40`)
	got, err = DecodeStimCommand(b)
	if err != nil {
		t.Fatal(err)
	}
	f := []float32{23.7, 4, 40, 11.25, 30.5, 17, 8.9, 35.2}
	am := []float32{1.8734, 1, 2.5, 1.2, 2.2, 1.5, 1.05, 2.45}
	var trunc []int
	for i := range Groups {
		if got.FrequencyHz[i] != f[i] || got.AmplitudeUA[i] != am[i] {
			t.Errorf("example B pair %d: %g Hz %g µA", i, got.FrequencyHz[i], got.AmplitudeUA[i])
		}
		trunc = append(trunc, int(got.FrequencyHz[i]))
	}
	if math.Float32bits(got.AmplitudeUA[0]) != 0x3FEFCB92 || !slices.Equal(trunc, []int{23, 4, 40, 11, 30, 17, 8, 35}) {
		t.Errorf("example B: %x, %v", math.Float32bits(got.AmplitudeUA[0]), trunc)
	}
}

func TestSpecExampleSpikes(t *testing.T) {
	c := unhex(t, `
0000: 40 4d 23 46 48 47 06 00 00 00 40 40 00 00 00 00
0010: 00 00 80 3f 00 00 00 40 00 00 00 00 00 00 80 3f
0020: 00 00 00 00 00 00 00 00`)
	want := SpikeData{TimestampUs: ts + 200000, Counts: [8]float32{3, 0, 1, 2, 0, 1, 0, 0}}
	got, err := DecodeSpikeData(c)
	if err != nil || got != want {
		t.Fatalf("example C: %+v, %v", got, err)
	}
	if enc, _ := want.AppendBinary(nil); !bytes.Equal(enc, c) {
		t.Fatalf("example C encodes to %x", enc)
	}
}

// feedbackBytes lays out a feedback packet field by field from §1.4's
// table, independently of AppendBinary.
func feedbackBytes(typ byte, chans []byte, freq uint32, amp []byte, pulses uint32, unpred byte, name string) []byte {
	b := []byte{0x00, 0x40, 0x20, 0x46, 0x48, 0x47, 0x06, 0x00, typ, byte(len(chans))}
	b = append(b, chans...)
	for len(b) < 74 {
		b = append(b, 0xff)
	}
	b = append(b, byte(freq), byte(freq>>8), byte(freq>>16), byte(freq>>24))
	b = append(b, amp...)
	b = append(b, byte(pulses), byte(pulses>>8), byte(pulses>>16), byte(pulses>>24), unpred)
	n := make([]byte, 32)
	copy(n, name)
	return append(append(b, n...), 0)
}

func TestSpecExampleFeedback(t *testing.T) {
	// Example D, reward_positive, and its dump's rows 0x00, 0x40, 0x50.
	d := feedbackBytes(2, []byte{19, 20, 22}, 20, []byte{0, 0, 0, 0x40}, 30, 0, "reward_positive")
	for _, row := range []struct {
		off  int
		dump string
	}{
		{0x00, "00 40 20 46 48 47 06 00 02 03 13 14 16 ff ff ff"},
		{0x40, "ff ff ff ff ff ff ff ff ff ff 14 00 00 00 00 00"},
		{0x50, "00 40 1e 00 00 00 00 72 65 77 61 72 64 5f 70 6f"},
		{0x60, "73 69 74 69 76 65 00 00 00 00 00 00 00 00 00 00"},
		{0x70, "00 00 00 00 00 00 00 00"},
	} {
		if want := unhex(t, row.dump); !bytes.Equal(d[row.off:row.off+len(want)], want) {
			t.Fatalf("layout at %#x: %x, spec says %x", row.off, d[row.off:row.off+len(want)], want)
		}
	}
	cases := []struct {
		name string
		b    []byte
		want Feedback
	}{
		{"D reward_positive", d, Feedback{ts, Reward, []int{19, 20, 22}, 20, 2.0, 30, false, "reward_positive"}},
		{"E interrupt", feedbackBytes(0, []byte{23, 24, 26}, 0, []byte{0, 0, 0, 0}, 0, 0, "reward_negative"),
			Feedback{ts, Interrupt, []int{23, 24, 26}, 0, 0, 0, false, "reward_negative"}},
		{"E reward", feedbackBytes(2, []byte{23, 24, 26}, 40, []byte{0, 0, 0x20, 0x40}, 135, 1, "reward_negative"),
			Feedback{ts, Reward, []int{23, 24, 26}, 40, 2.5, 135, true, "reward_negative"}},
		{"F enemy_kill", feedbackBytes(1, []byte{35, 36, 38}, 20, []byte{0, 0, 0x20, 0x40}, 40, 0, "enemy_kill"),
			Feedback{ts, EventFB, []int{35, 36, 38}, 20, 2.5, 40, false, "enemy_kill"}},
	}
	for _, c := range cases {
		if len(c.b) != FeedbackSize {
			t.Fatalf("%s: %d bytes", c.name, len(c.b))
		}
		got, err := DecodeFeedback(c.b)
		if err != nil || !feedbackEqual(got, c.want) {
			t.Errorf("%s: %+v, %v", c.name, got, err)
		}
		if enc, err := c.want.AppendBinary(nil); err != nil || !bytes.Equal(enc, c.b) {
			t.Errorf("%s encodes to %x, %v", c.name, enc, err)
		}
	}
	// Unused slots are 0xFF and dropped, wherever they are.
	gaps := feedbackBytes(2, []byte{19, 0xff, 22}, 20, []byte{0, 0, 0, 0x40}, 30, 0, "x")
	if got, err := DecodeFeedback(gaps); err != nil || !slices.Equal(got.Channels, []int{19, 22}) {
		t.Errorf("0xFF in the listed slots: %v, %v", got.Channels, err)
	}
}

func feedbackEqual(a, b Feedback) bool {
	return a.TimestampUs == b.TimestampUs && a.Type == b.Type && slices.Equal(a.Channels, b.Channels) && a.FrequencyHz == b.FrequencyHz &&
		a.AmplitudeUA == b.AmplitudeUA && a.Pulses == b.Pulses && a.Unpredictable == b.Unpredictable && a.Name == b.Name
}

func TestSpecExampleEvent(t *testing.T) {
	// Example G: 118 bytes, JSON length 106, Python's separators.
	text := `{"timestamp": 1767225600000000, "event_type": "episode_end", "data": {"episode": 1, "episode_length": 57}}`
	g := append(unhex(t, "00 40 20 46 48 47 06 00 6a 00 00 00"), text...)
	if len(g) != 118 {
		t.Fatalf("%d bytes", len(g))
	}
	e, err := DecodeEvent(g)
	if err != nil || e.TimestampUs != ts || e.Type != "episode_end" {
		t.Fatalf("%+v, %v", e, err)
	}
	var data map[string]int
	if err := json.Unmarshal(e.Data, &data); err != nil || data["episode"] != 1 || data["episode_length"] != 57 {
		t.Fatalf("data %s: %v", e.Data, err)
	}
	enc, err := Event{TimestampUs: ts, Type: "episode_end", Data: json.RawMessage(`{"episode":1,"episode_length":57}`)}.AppendBinary(nil)
	if err != nil || !bytes.Equal(enc, g) {
		t.Fatalf("encodes to %q, %v", enc, err)
	}
	// Separators inside strings stay as they are.
	enc, err = Event{TimestampUs: 1, Type: "x", Data: json.RawMessage(`{"a":"b,c:d\"e,"}`)}.AppendBinary(nil)
	if err != nil || !strings.HasSuffix(string(enc), `"data": {"a": "b,c:d\"e,"}}`) {
		t.Fatalf("%q, %v", enc, err)
	}
}

// Each kind of bad packet is refused with its kind and the offending
// byte. The limits are the CL SDK's (§4: |I| <= 3 µA, bursts <= 200 Hz,
// alternating phases, so no amplitude 0; channels 0..63, 0, 7, 56, 63
// grounded, 4 the reference).
func TestBadPackets(t *testing.T) {
	good := StimCommand{TimestampUs: ts, FrequencyHz: [8]float32{4, 10, 20, 40, 22, 4, 13, 30}, AmplitudeUA: [8]float32{1, 1.5, 2, 2.5, 1.75, 1, 1.25, 2.25}}
	stim := func(f func(*StimCommand)) []byte {
		c := good
		f(&c)
		b, _ := c.AppendBinary(nil)
		return b
	}
	gb, _ := good.AppendBinary(nil)
	fb := func(f func(*Feedback)) []byte {
		x := Feedback{TimestampUs: ts, Type: Reward, Channels: []int{19, 20, 22}, FrequencyHz: 20, AmplitudeUA: 2, Pulses: 30, Name: "r"}
		f(&x)
		b, err := x.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ev := func(text string, n int) []byte {
		b := le.AppendUint64(nil, ts)
		b = le.AppendUint32(b, uint32(n))
		return append(b, text...)
	}
	nan32 := float32(math.NaN())
	for _, c := range []struct {
		name   string
		decode func([]byte) error
		b      []byte
		kind   Kind
		offset int
	}{
		{"stim 71 bytes", stimErr, gb[:71], Short, 71},
		{"stim 73 bytes", stimErr, append(slices.Clone(gb), 0), Long, 73},
		{"stim empty", stimErr, nil, Short, 0},
		{"stim NaN frequency", stimErr, stim(func(c *StimCommand) { c.FrequencyHz[2] = nan32 }), NaN, 16},
		{"stim +Inf amplitude", stimErr, stim(func(c *StimCommand) { c.AmplitudeUA[7] = float32(math.Inf(1)) }), NaN, 68},
		{"stim amplitude 0", stimErr, stim(func(c *StimCommand) { c.AmplitudeUA[0] = 0 }), Amplitude, 40},
		{"stim amplitude 3.01", stimErr, stim(func(c *StimCommand) { c.AmplitudeUA[1] = 3.01 }), Amplitude, 44},
		{"stim amplitude -3.5", stimErr, stim(func(c *StimCommand) { c.AmplitudeUA[1] = -3.5 }), Amplitude, 44},
		{"stim frequency 0.9", stimErr, stim(func(c *StimCommand) { c.FrequencyHz[3] = 0.9 }), Frequency, 20},
		{"stim frequency 201", stimErr, stim(func(c *StimCommand) { c.FrequencyHz[3] = 201 }), Frequency, 20},
		{"stim frequency -5", stimErr, stim(func(c *StimCommand) { c.FrequencyHz[0] = -5 }), Frequency, 8},
		{"feedback 119 bytes", fbErr, fb(func(*Feedback) {})[:119], Short, 119},
		{"feedback 121 bytes", fbErr, append(fb(func(*Feedback) {}), 0), Long, 121},
		{"feedback type 3", fbErr, func() []byte { b := fb(func(*Feedback) {}); b[8] = 3; return b }(), Type, 8},
		{"feedback 65 channels", fbErr, func() []byte { b := fb(func(*Feedback) {}); b[9] = 65; return b }(), Channel, 9},
		{"feedback channel 64", fbErr, func() []byte { b := fb(func(*Feedback) {}); b[11] = 64; return b }(), Channel, 11},
		{"feedback ground channel", fbErr, fb(func(f *Feedback) { f.Channels = []int{19, 63} }), Channel, 11},
		{"feedback reference channel", fbErr, fb(func(f *Feedback) { f.Channels = []int{4} }), Channel, 10},
		{"feedback NaN amplitude", fbErr, fb(func(f *Feedback) { f.AmplitudeUA = nan32 }), NaN, 78},
		{"feedback amplitude 3.5", fbErr, fb(func(f *Feedback) { f.AmplitudeUA = 3.5 }), Amplitude, 78},
		{"feedback 201 Hz", fbErr, fb(func(f *Feedback) { f.FrequencyHz = 201 }), Frequency, 74},
		{"feedback too many pulses", fbErr, fb(func(f *Feedback) { f.Pulses = MaxPulses + 1 }), Pulses, 82},
		{"event 11 bytes", evErr, ev("", 0)[:11], Short, 11},
		{"event 4097 bytes", evErr, ev(strings.Repeat(" ", 4085), 4085), Long, 4097},
		{"event length mismatch", evErr, ev(`{"event_type": "x"}`, 5), JSON, 8},
		{"event not JSON", evErr, ev(`{"event_type": `, 15), JSON, 12},
		{"event without type", evErr, ev(`{"data": {}}`, 12), JSON, 12},
		{"event type not a string", evErr, ev(`{"event_type": 3}`, 17), JSON, 12},
		{"event invalid UTF-8", evErr, ev("{\"event_type\": \"\xff\"}", 19), JSON, 12},
	} {
		err := c.decode(c.b)
		var pe *PacketError
		if !errors.As(err, &pe) || pe.Kind != c.kind || pe.Offset != c.offset {
			t.Errorf("%s: %v, want kind %s at byte %d", c.name, err, c.kind, c.offset)
		}
	}
	// What the CL1 side skips is not an error: bursts with no channel, a
	// frequency or amplitude <= 0, or no pulses.
	for _, f := range []func(*Feedback){
		func(f *Feedback) { f.Channels = nil },
		func(f *Feedback) { f.FrequencyHz = 0 },
		func(f *Feedback) { f.AmplitudeUA = -1 },
		func(f *Feedback) { f.Pulses = 0 },
	} {
		x, err := DecodeFeedback(fb(f))
		if err != nil || !x.Skipped() {
			t.Errorf("%+v: %v, skipped %v", x, err, x.Skipped())
		}
	}
	// A negative stim amplitude is an anodic-first pulse, valid for the SDK.
	if _, err := DecodeStimCommand(stim(func(c *StimCommand) { c.AmplitudeUA[0] = -2 })); err != nil {
		t.Error(err)
	}
}

func stimErr(b []byte) error { _, err := DecodeStimCommand(b); return err }
func fbErr(b []byte) error   { _, err := DecodeFeedback(b); return err }
func evErr(b []byte) error   { _, err := DecodeEvent(b); return err }

func TestEncodeErrors(t *testing.T) {
	if _, err := (Feedback{Channels: make([]int, 65)}).AppendBinary(nil); err == nil {
		t.Error("65 channels encoded")
	}
	if _, err := (Feedback{Channels: []int{64}}).AppendBinary(nil); err == nil {
		t.Error("channel 64 encoded")
	}
	if _, err := (Feedback{Name: strings.Repeat("x", 33)}).AppendBinary(nil); err == nil {
		t.Error("33-byte name encoded")
	}
	if _, err := (Event{Type: "x", Data: json.RawMessage(`{"a": "` + strings.Repeat("x", 4096) + `"}`)}).AppendBinary(nil); err == nil {
		t.Error("event over 4096 bytes encoded")
	}
	if _, err := (Event{Type: "x", Data: json.RawMessage(`{`)}).AppendBinary(nil); err == nil {
		t.Error("bad JSON encoded")
	}
}

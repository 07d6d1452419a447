package cl1

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/bl1-go/bl1/mea"
)

// Default UDP ports of doom-neuron's protocol (spec §1.1).
const (
	StimPort     = 12345 // trainer → CL1: StimCommand
	SpikePort    = 12346 // CL1 → trainer: SpikeData
	EventPort    = 12347 // trainer → CL1: Event
	FeedbackPort = 12348 // trainer → CL1: Feedback
)

// Packet sizes, bytes (spec §1.2–1.5).
const (
	StimSize        = 72   // <Q16f
	SpikeSize       = 40   // <Q8f
	FeedbackSize    = 120  // <QBB64BIfIB32sx
	EventHeaderSize = 12   // <QI, then the JSON text
	EventMaxSize    = 4096 // the CL1 side reads events with a 4096-byte buffer
)

// Groups is the number of channel groups of a stimulation command and a
// spike reply.
const Groups = 8

// Limits a packet must respect: the CL SDK's (spec §4; mea.CL1Limits), and
// this server's cap on the pulses of one feedback burst.
const (
	MaxAmplitudeUA = 3     // per phase
	MaxBurstHz     = 200   // BurstDesign
	PhaseUs        = 120   // phase width of every pulse the CL1 side sends (CL1Config)
	MaxPulses      = 10000 // a longer burst is refused, as a full channel queue is on a device
)

// Kind classifies a bad packet.
type Kind int

// Kinds of bad packets.
const (
	Short     Kind = iota // fewer bytes than the layout
	Long                  // more bytes than the layout
	NaN                   // a non-finite float
	Amplitude             // an amplitude the CL SDK refuses: 0 or |A| > 3 µA
	Frequency             // a frequency the CL SDK refuses
	Type                  // an unknown feedback type
	Channel               // a channel outside 0..63, grounded or reference, or too many channels
	Pulses                // more pulses in a burst than MaxPulses
	JSON                  // an event whose length or JSON text is wrong
	numKinds
)

var kindNames = [numKinds]string{"short", "long", "nan", "amplitude", "frequency", "type", "channel", "pulses", "json"}

func (k Kind) String() string {
	if k >= 0 && k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// PacketError is a packet that does not decode: its kind, the byte offset
// of the offending field and what is wrong.
type PacketError struct {
	Packet string // "stim", "feedback" or "event"
	Kind   Kind
	Offset int // byte offset of the field (the length for Short and Long)
	Msg    string
}

func (e *PacketError) Error() string {
	return fmt.Sprintf("cl1: %s packet: %s at byte %d: %s", e.Packet, e.Kind, e.Offset, e.Msg)
}

func bad(packet string, k Kind, off int, format string, a ...any) *PacketError {
	return &PacketError{Packet: packet, Kind: k, Offset: off, Msg: fmt.Sprintf(format, a...)}
}

func checkSize(packet string, b []byte, want int) error {
	switch {
	case len(b) < want:
		return bad(packet, Short, len(b), "%d bytes, want %d", len(b), want)
	case len(b) > want:
		return bad(packet, Long, len(b), "%d bytes, want %d", len(b), want)
	}
	return nil
}

var le = binary.LittleEndian

// StimCommand is a stimulation command (port 12345, 72 bytes, <Q16f):
// per group i a frequency (Hz) and an amplitude (µA). The CL1 side
// applies pair i as one biphasic pulse (120 µs per phase, −A then +A) on
// encoding electrode i (spec §1.2).
type StimCommand struct {
	TimestampUs uint64 // Unix time at packing, µs
	FrequencyHz [Groups]float32
	AmplitudeUA [Groups]float32
}

// DecodeStimCommand decodes and checks a stimulation command as the CL SDK
// would: every amplitude finite, not 0 (a pulse of two zero phases has no
// alternating polarity) and at most 3 µA in size; every frequency finite
// and, truncated to an integer as the CL1 side does, in [1, 200] Hz.
func DecodeStimCommand(b []byte) (StimCommand, error) {
	var c StimCommand
	if err := checkSize("stim", b, StimSize); err != nil {
		return c, err
	}
	c.TimestampUs = le.Uint64(b)
	for i := range Groups {
		c.FrequencyHz[i] = math.Float32frombits(le.Uint32(b[8+4*i:]))
		c.AmplitudeUA[i] = math.Float32frombits(le.Uint32(b[40+4*i:]))
	}
	for i := range Groups {
		fo, ao := 8+4*i, 40+4*i
		f, a := float64(c.FrequencyHz[i]), float64(c.AmplitudeUA[i])
		switch {
		case !finite(f):
			return c, bad("stim", NaN, fo, "frequency[%d] = %g", i, f)
		case !finite(a):
			return c, bad("stim", NaN, ao, "amplitude[%d] = %g", i, a)
		case math.Trunc(f) < 1 || math.Trunc(f) > MaxBurstHz:
			return c, bad("stim", Frequency, fo, "frequency[%d] = %g Hz, whose integer part must be in [1, %d]", i, f, MaxBurstHz)
		case a == 0 || math.Abs(a) > MaxAmplitudeUA:
			return c, bad("stim", Amplitude, ao, "amplitude[%d] = %g µA, must be non-zero and at most %d µA in size", i, a, MaxAmplitudeUA)
		}
	}
	return c, nil
}

// AppendBinary appends the 72-byte packet (it never fails).
func (c StimCommand) AppendBinary(b []byte) ([]byte, error) {
	b = le.AppendUint64(b, c.TimestampUs)
	for _, f := range c.FrequencyHz {
		b = le.AppendUint32(b, math.Float32bits(f))
	}
	for _, a := range c.AmplitudeUA {
		b = le.AppendUint32(b, math.Float32bits(a))
	}
	return b, nil
}

// SpikeData is a spike reply (port 12346, 40 bytes, <Q8f): the spikes of
// each channel group, as float32 counts.
type SpikeData struct {
	TimestampUs uint64 // Unix time at packing, µs
	Counts      [Groups]float32
}

// DecodeSpikeData decodes a spike reply; counts must be finite and not
// negative.
func DecodeSpikeData(b []byte) (SpikeData, error) {
	var d SpikeData
	if err := checkSize("spike", b, SpikeSize); err != nil {
		return d, err
	}
	d.TimestampUs = le.Uint64(b)
	for j := range Groups {
		d.Counts[j] = math.Float32frombits(le.Uint32(b[8+4*j:]))
		if v := float64(d.Counts[j]); !finite(v) || v < 0 {
			return d, bad("spike", NaN, 8+4*j, "count[%d] = %g, must be finite and >= 0", j, v)
		}
	}
	return d, nil
}

// AppendBinary appends the 40-byte packet (it never fails).
func (d SpikeData) AppendBinary(b []byte) ([]byte, error) {
	b = le.AppendUint64(b, d.TimestampUs)
	for _, c := range d.Counts {
		b = le.AppendUint32(b, math.Float32bits(c))
	}
	return b, nil
}

// FeedbackType is the type byte of a feedback command.
type FeedbackType uint8

// Feedback types (spec §1.4).
const (
	Interrupt FeedbackType = 0 // stop stimulation on the channels
	EventFB   FeedbackType = 1 // a game event's burst
	Reward    FeedbackType = 2 // a reward's burst
)

func (t FeedbackType) String() string {
	switch t {
	case Interrupt:
		return "interrupt"
	case EventFB:
		return "event"
	case Reward:
		return "reward"
	}
	return fmt.Sprintf("unknown(%d)", uint8(t))
}

// Feedback is a feedback command (port 12348, 120 bytes,
// <QBB64BIfIB32sx). Interrupt stops stimulation on Channels; Event and
// Reward deliver Pulses biphasic pulses (120 µs per phase, −A then +A) at
// FrequencyHz on all Channels at once, unless there are no channels or the
// frequency or amplitude is not positive, when the CL1 side skips them.
type Feedback struct {
	TimestampUs   uint64
	Type          FeedbackType
	Channels      []int // channels[:num_channels] without the 0xFF fillers
	FrequencyHz   uint32
	AmplitudeUA   float32
	Pulses        uint32
	Unpredictable bool // logged only, as on the CL1 side
	Name          string
}

// Skipped reports whether the CL1 side ignores a burst command: no
// channels, or a frequency or amplitude that is not positive.
func (f Feedback) Skipped() bool {
	return f.Type != Interrupt && (len(f.Channels) == 0 || f.FrequencyHz == 0 || !(f.AmplitudeUA > 0) || f.Pulses == 0)
}

// DecodeFeedback decodes and checks a feedback command: a known type, at
// most 64 channels, each in 0..63 (0xFF fills unused slots); a burst that
// is not skipped must use usable CL1 electrodes (not grounded or the
// reference), at most 3 µA, at most 200 Hz and at most MaxPulses pulses.
func DecodeFeedback(b []byte) (Feedback, error) {
	var f Feedback
	if err := checkSize("feedback", b, FeedbackSize); err != nil {
		return f, err
	}
	f.TimestampUs = le.Uint64(b)
	f.Type = FeedbackType(b[8])
	if f.Type > Reward {
		return f, bad("feedback", Type, 8, "type %d, want 0 (interrupt), 1 (event) or 2 (reward)", b[8])
	}
	n := int(b[9])
	if n > 64 {
		return f, bad("feedback", Channel, 9, "num_channels = %d, at most 64", n)
	}
	for k := range n {
		c := b[10+k]
		if c == 0xFF {
			continue
		}
		if c > 63 {
			return f, bad("feedback", Channel, 10+k, "channel %d, want 0..63 (or 0xFF for none)", c)
		}
		f.Channels = append(f.Channels, int(c))
	}
	f.FrequencyHz = le.Uint32(b[74:])
	f.AmplitudeUA = math.Float32frombits(le.Uint32(b[78:]))
	f.Pulses = le.Uint32(b[82:])
	f.Unpredictable = b[86] != 0
	f.Name = strings.ToValidUTF8(string(bytes.TrimRight(b[87:119], "\x00")), "?") // at most the 32 bytes it had
	if a := float64(f.AmplitudeUA); !finite(a) {
		return f, bad("feedback", NaN, 78, "amplitude = %g", a)
	}
	if f.Type == Interrupt || f.Skipped() {
		return f, nil
	}
	switch {
	case f.AmplitudeUA > MaxAmplitudeUA:
		return f, bad("feedback", Amplitude, 78, "amplitude = %g µA, at most %d µA", f.AmplitudeUA, MaxAmplitudeUA)
	case f.FrequencyHz > MaxBurstHz:
		return f, bad("feedback", Frequency, 74, "frequency = %d Hz, at most %d Hz", f.FrequencyHz, MaxBurstHz)
	case f.Pulses > MaxPulses:
		return f, bad("feedback", Pulses, 82, "pulses = %d, at most %d", f.Pulses, MaxPulses)
	}
	for k, c := range f.Channels {
		if !cl1.Usable(c) {
			return f, bad("feedback", Channel, 10+k, "channel %d is the CL1's %s; it cannot stimulate", c, unusable(c))
		}
	}
	return f, nil
}

// cl1 is the CL1 layout, for its channel rules.
var cl1 = mea.CL1(0, 0)

func unusable(c int) string {
	if c == mea.CL1Reference {
		return "reference"
	}
	return "ground"
}

// AppendBinary appends the 120-byte packet. It fails if there are more than
// 64 channels, a channel outside 0..63 or a name longer than 32 bytes.
func (f Feedback) AppendBinary(b []byte) ([]byte, error) {
	if len(f.Channels) > 64 {
		return b, fmt.Errorf("cl1: feedback with %d channels, at most 64", len(f.Channels))
	}
	if len(f.Name) > 32 {
		return b, fmt.Errorf("cl1: feedback name %q is %d bytes, at most 32", f.Name, len(f.Name))
	}
	b = le.AppendUint64(b, f.TimestampUs)
	b = append(b, byte(f.Type), byte(len(f.Channels)))
	for k := range 64 {
		if k >= len(f.Channels) {
			b = append(b, 0xFF)
			continue
		}
		c := f.Channels[k]
		if c < 0 || c > 63 {
			return b, fmt.Errorf("cl1: feedback channel %d, want 0..63", c)
		}
		b = append(b, byte(c))
	}
	b = le.AppendUint32(b, f.FrequencyHz)
	b = le.AppendUint32(b, math.Float32bits(f.AmplitudeUA))
	b = le.AppendUint32(b, f.Pulses)
	u := byte(0)
	if f.Unpredictable {
		u = 1
	}
	b = append(b, u)
	var name [32]byte
	copy(name[:], f.Name)
	b = append(b, name[:]...)
	return append(b, 0), nil
}

// Event is event metadata (port 12347): a <QI header (timestamp, JSON
// length) and JSON text {"timestamp": µs, "event_type": "...", "data": {...}}.
// "episode_end" is written to the session's data stream;
// "training_complete" ends the session.
type Event struct {
	TimestampUs uint64
	Type        string          `json:"event_type"`
	Data        json.RawMessage `json:"data"`
}

// DecodeEvent decodes event metadata: the header's length must match the
// text, which must be a JSON object with a string event_type, within
// EventMaxSize bytes in all.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	if len(b) < EventHeaderSize {
		return e, bad("event", Short, len(b), "%d bytes, want at least the %d-byte header", len(b), EventHeaderSize)
	}
	if len(b) > EventMaxSize {
		return e, bad("event", Long, len(b), "%d bytes, at most %d", len(b), EventMaxSize)
	}
	e.TimestampUs = le.Uint64(b)
	n := le.Uint32(b[8:])
	text := b[EventHeaderSize:]
	if uint64(n) != uint64(len(text)) {
		return e, bad("event", JSON, 8, "header says %d bytes of JSON, the packet has %d", n, len(text))
	}
	if !utf8.Valid(text) {
		return e, bad("event", JSON, EventHeaderSize, "the JSON text is not valid UTF-8")
	}
	// Keys match exactly, as in Python (encoding/json would also take
	// "Event_Type").
	var body map[string]json.RawMessage
	if err := json.Unmarshal(text, &body); err != nil {
		return e, bad("event", JSON, EventHeaderSize, "%v", err)
	}
	if err := json.Unmarshal(body["event_type"], &e.Type); err != nil || body["event_type"] == nil || string(body["event_type"]) == "null" {
		return e, bad("event", JSON, EventHeaderSize, "no string event_type")
	}
	e.Data = body["data"]
	return e, nil
}

// AppendBinary appends the packet, with the JSON text in Python's default
// layout (", " and ": " separators) as doom-neuron's trainer writes it.
func (e Event) AppendBinary(b []byte) ([]byte, error) {
	typ, err := json.Marshal(e.Type)
	if err != nil {
		return b, err
	}
	data := e.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	var text bytes.Buffer
	fmt.Fprintf(&text, `{"timestamp": %d, "event_type": %s, "data": `, e.TimestampUs, typ)
	if err := pySeparators(&text, data); err != nil {
		return b, fmt.Errorf("cl1: event data: %w", err)
	}
	text.WriteByte('}')
	if EventHeaderSize+text.Len() > EventMaxSize {
		return b, fmt.Errorf("cl1: event of %d bytes, at most %d", EventHeaderSize+text.Len(), EventMaxSize)
	}
	b = le.AppendUint64(b, e.TimestampUs)
	b = le.AppendUint32(b, uint32(text.Len()))
	return append(b, text.Bytes()...), nil
}

// pySeparators writes JSON with Python's json.dumps separators.
func pySeparators(w *bytes.Buffer, data json.RawMessage) error {
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return err
	}
	s := compact.Bytes()
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		w.WriteByte(c)
		switch {
		case inString && c == '\\':
			i++
			w.WriteByte(s[i])
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			w.WriteByte(' ')
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

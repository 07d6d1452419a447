package cl1

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// FuzzDecode: no datagram panics a decoder; every failure is a
// *PacketError; what decodes re-encodes to a packet that decodes to the
// same values (for stims and spike replies, to the same bytes). The seed
// corpus is the spec's examples and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	stim, _ := StimCommand{TimestampUs: ts, FrequencyHz: [8]float32{4, 10, 20, 40, 22, 4, 13, 30},
		AmplitudeUA: [8]float32{1, 1.5, 2, 2.5, 1.75, 1, 1.25, 2.25}}.AppendBinary(nil)
	spike, _ := SpikeData{TimestampUs: ts, Counts: [8]float32{3, 0, 1, 2, 0, 1, 0, 0}}.AppendBinary(nil)
	fb, _ := Feedback{TimestampUs: ts, Type: Reward, Channels: []int{19, 20, 22}, FrequencyHz: 20, AmplitudeUA: 2, Pulses: 30, Name: "reward_positive"}.AppendBinary(nil)
	ev, _ := Event{TimestampUs: ts, Type: "episode_end", Data: json.RawMessage(`{"episode": 1}`)}.AppendBinary(nil)
	for _, b := range [][]byte{stim, spike, fb, ev, stim[:71], fb[:119], ev[:12], nil} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(err error) bool {
			var pe *PacketError
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *PacketError", err, err)
			}
			return err == nil
		}
		if c, err := DecodeStimCommand(b); check(err) {
			enc, _ := c.AppendBinary(nil)
			if !bytes.Equal(enc, b) {
				t.Fatalf("stim %x re-encodes to %x", b, enc)
			}
		}
		if d, err := DecodeSpikeData(b); check(err) {
			enc, _ := d.AppendBinary(nil)
			if !bytes.Equal(enc, b) {
				t.Fatalf("spike reply %x re-encodes to %x", b, enc)
			}
		}
		if x, err := DecodeFeedback(b); check(err) {
			enc, err := x.AppendBinary(nil)
			if err != nil {
				t.Fatalf("feedback %+v does not encode: %v", x, err)
			}
			y, err := DecodeFeedback(enc)
			if err != nil || !feedbackEqual(x, y) || !slices.Equal(x.Channels, y.Channels) {
				t.Fatalf("feedback %+v re-decodes to %+v, %v", x, y, err)
			}
		}
		if e, err := DecodeEvent(b); check(err) {
			enc, err := e.AppendBinary(nil)
			if err != nil {
				if len(b) > EventMaxSize-64 { // Python's separators can push a long text over the limit
					return
				}
				t.Fatalf("event %+v does not encode: %v", e, err)
			}
			e2, err := DecodeEvent(enc)
			if len(e.Data) == 0 {
				e.Data = json.RawMessage("{}") // a missing "data" is written as {}
			}
			if err != nil || e2.TimestampUs != e.TimestampUs || e2.Type != e.Type || !sameJSON(t, e2.Data, e.Data) {
				t.Fatalf("event %q re-decodes to %+v, %v", b, e2, err)
			}
		}
	})
}

package configs

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/games"
)

// dishbrain.yaml's pong section is DefaultPong: a config with an empty
// pong section plays the same game.
func TestDishbrainIsTheDefaultPong(t *testing.T) {
	c, err := Load("dishbrain.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*c.Pong, DefaultPong()) {
		t.Errorf("dishbrain.yaml's pong section\n%+v\ndiffers from DefaultPong\n%+v", *c.Pong, DefaultPong())
	}
	gc, err := c.PongConfig()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*gc, games.DefaultConfig()) {
		t.Errorf("dishbrain.yaml plays\n%+v\nnot games.DefaultConfig\n%+v", *gc, games.DefaultConfig())
	}
	e, err := Parse("empty.yaml", []byte("mea: {layout: cl1}\npong: {}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*e.Pong, DefaultPong()) {
		t.Errorf("an empty pong section is %+v", *e.Pong)
	}
	if d := Default(); d.Pong != nil {
		t.Error("default.yaml has a pong section")
	}
	// The resolved config reloads to the same section.
	y, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse("resolved.yaml", y, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Pong, c.Pong) {
		t.Errorf("round trip changed the pong section: %+v", r.Pong)
	}
}

// Invalid pong sections are errors naming the file, line and key.
func TestPongErrors(t *testing.T) {
	base := "mea: {layout: cl1}\npong:\n"
	for _, tc := range []struct {
		doc, set string
		want     string
	}{
		{base + "  mode: reward\n", "", "bad.yaml:3: pong.mode = \"reward\", must be fep, open_loop or silent"},
		{base + "  sensory:\n    channels: [3, 11, 19, 27, 35, 43, 51, 70]\n", "", "bad.yaml:4: pong.sensory.channels[7] = 70: not a usable electrode"},
		{base + "  sensory: {channels: [0, 11, 19, 27, 35, 43, 51, 59]}\n", "", "bad.yaml:3: pong.sensory.channels[0] = 0: not a usable electrode"},
		{base + "  motor:\n    up: [8, 9, 64]\n", "", "bad.yaml:4: pong.motor.up[2] = 64"},
		{base + "  sensory:\n    amplitude_ua: 4\n", "", "bad.yaml:4: pong.sensory.amplitude_ua = 4 exceeds the CL1's limit of 3 µA per phase"},
		{base + "  feedback:\n    miss: {amplitude_ua: 3, width_us: 1100}\n", "", "bad.yaml:4: pong.feedback.miss: phases[0]: charge 3300 pC"},
		{base + "  feedback:\n    hit: {frequency_hz: 250}\n", "", "bad.yaml:4: pong.feedback.hit.frequency_hz = 250 exceeds the CL1's limit of 200 Hz"},
		{base + "  sensory: {max_hz: 400}\n", "", "bad.yaml:3: pong.sensory.max_hz = 400 exceeds"},
		{base + "  tick_ms: 0.7\n", "", "bad.yaml:3: pong.tick_ms = 0.7, must be a positive whole number"},
		{base + "  paddle_height: 0\n", "", "bad.yaml:3: pong.paddle_height = 0"},
		{base + "  experiment: {modes: [fep, rest]}\n", "", "bad.yaml:3: pong.experiment.modes[1]: mode = \"rest\""},
		{base + "  colour: red\n", "", "bad.yaml:3: pong.colour: unknown key \"colour\" in pong"},
		{"pong: {mode: fep}\n", "", "bad.yaml:1: pong: the game needs an MEA"},
		{base + "  mode: fep\n", "pong.motor.down=[13, 8]", "-set pong.motor.down=[13, 8]: pong.motor.down[1] = 8: already used in motor.up[0]"},
	} {
		var sets []string
		if tc.set != "" {
			sets = []string{tc.set}
		}
		_, err := Parse("bad.yaml", []byte(tc.doc), sets)
		var ce *Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one starting with %q", tc.doc, err, tc.want)
		}
	}
}

package plot

import (
	"image/color"

	"gonum.org/v1/plot/palette/moreland"
)

// Viridis returns n colours (n >= 2) of the colour scale of ElectrodeMap,
// from dark purple (low) to yellow (high), evenly spaced.
func Viridis(n int) []color.RGBA {
	cm, err := moreland.NewLuminance(viridisAnchors)
	if err != nil {
		panic("plot: viridis: " + err.Error()) // the anchors are fixed and valid
	}
	cm.SetMin(0)
	cm.SetMax(1)
	out := make([]color.RGBA, n)
	for i := range out {
		c, err := cm.At(float64(i) / float64(n-1))
		if err != nil {
			panic("plot: viridis: " + err.Error())
		}
		out[i] = color.RGBAModel.Convert(c).(color.RGBA)
	}
	return out
}

package cl1

// Channel groups of doom-neuron's CL1 configuration (spec §1.3, §3): a
// spike reply carries the spikes of group j in Counts[j], and a stimulation
// command's pair i drives Encoding[i].
var (
	GroupNames    = [Groups]string{"encoding", "move_forward", "move_backward", "move_left", "move_right", "turn_left", "turn_right", "attack"}
	GroupChannels = [Groups][]int{
		{8, 9, 10, 17, 18, 25, 27, 28},
		{41, 42, 49},
		{50, 51, 58},
		{13, 14, 21},
		{45, 46, 53},
		{29, 30, 31, 37},
		{59, 60, 61, 62},
		{32, 33, 34},
	}
	// Encoding are the electrodes the stimulation pairs drive, in order.
	Encoding = GroupChannels[0]
)

// groupOf maps a channel (0..63) to its group, or -1.
var groupOf = func() (g [64]int8) {
	for c := range g {
		g[c] = -1
	}
	for j, chans := range GroupChannels {
		for _, c := range chans {
			g[c] = int8(j)
		}
	}
	return g
}()

// Package monitor watches a running culture: an ActivityMonitor (an
// observer of the engine) keeps the last window of activity, a Renderer
// draws it, and a Monitor serves it over HTTP as a dashboard page with
// live MJPEG panels and the statistics as JSON.
//
// # What is shown
//
//   - activity: a spike raster of up to 400 neurons evenly spaced by index
//     (excitatory blue, inhibitory red; neurons are ordered by position, so
//     a wave shows as slanted lines) over a mountain plot, the electrode
//     events per bin stacked as filled areas by group of electrodes (the
//     layout's rows, or groups set with SetGroups: the 8 channel groups of
//     doom-neuron under `bl1 cl1`), or the excitatory and inhibitory
//     spikes without an array;
//   - heatmap: events per second of each electrode over the last second,
//     the array seen from above with y up (as mea_heatmap.png), on the
//     viridis scale; electrodes that do not record are grey;
//   - rate: the population rate, spikes per neuron per second in bins of
//     10 ms, of all, excitatory and inhibitory neurons;
//   - statistics: sections of key-value pairs, the culture's own (simulated
//     time, realtime factor, rate over the window) and any added with
//     SetStats (the server's packet counts, a game's score).
//
// # Cost
//
// The observer takes a mutex once per step and counts into fixed rings; it
// does not allocate. Frames are drawn on a ticker (5 per second by
// default) in the monitor's own goroutine, from a copy of the window, and
// only while a client watches the panel; a 640 × 360 panel draws and
// encodes as JPEG in a few milliseconds.
//
// # HTTP
//
//	GET /                        the dashboard: three MJPEG panels and the statistics table
//	GET /stream/PANEL.mjpeg      multipart/x-mixed-replace; boundary=frame (activity, heatmap, rate, all)
//	GET /frame/PANEL.jpg         the next frame of a panel
//	GET /stats.json              [{"name": ..., "values": {...}}, ...]
//
// The MJPEG framing is that of doom-neuron's mjpeg_server.py (spec §7), so
// the `all` stream (the four panels in one 1280 × 720 picture) can replace
// the game view in doom-neuron's visualisation.html. The server listens on
// loopback unless the address names another host.
package monitor

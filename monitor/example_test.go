package monitor_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/monitor"
	"github.com/bl1-go/bl1/sim"
)

// Attach a live dashboard to a running culture: one observer after the
// rig's, and any statistics of your own.
func ExampleAttach() {
	cfg, err := configs.Load("cl1.yaml", []string{"culture.n_neurons=1000", "culture.substrate_um=[950, 950]"})
	if err != nil {
		log.Fatal(err)
	}
	spec, _ := cfg.CultureSpec()
	c, err := culture.Build(spec, 0)
	if err != nil {
		log.Fatal(err)
	}
	e, err := sim.New(c, cfg.SimConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	mcfg, _ := cfg.MEAConfig()
	rig, err := mea.New(e, *mcfg, cfg.Simulation.Seed, "")
	if err != nil {
		log.Fatal(err)
	}
	defer rig.Close()

	mon, err := monitor.Attach(":0", e, rig, monitor.Options{Title: "my culture"}) // :0 picks a free port
	if err != nil {
		log.Fatal(err)
	}
	defer mon.Close()
	var trials atomic.Int64 // read by the monitor's goroutines
	mon.SetStats("experiment", func() any { return map[string]int64{"trials": trials.Load()} })

	for range 3 {
		if err := e.Run(context.Background(), 200, append(rig.Observers(), mon)...); err != nil {
			log.Fatal(err)
		}
		trials.Add(1)
	}
	fmt.Println(strings.HasPrefix(mon.URL(), "http://127.0.0.1:"))
	resp, err := http.Get(mon.URL() + "frame/heatmap.jpg")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Header.Get("Content-Type"), mon.Stats().TimeS, "s")
	// Output:
	// true
	// image/jpeg 0.3 s
}

// Command bl1 simulates cortical cultures on multi-electrode arrays.
//
//	bl1 run [CONFIG] [flags]      simulate a culture (default: the embedded default.yaml)
//	bl1 bench [-sizes ...]        measure simulation speed at several sizes
//	bl1 pong [CONFIG] [flags]     play closed-loop Pong (default: the embedded dishbrain.yaml)
//	bl1 cl1 [CONFIG] [flags]      a virtual CL1 for doom-neuron's UDP protocol
//	bl1 configs                   list the embedded configs
//	bl1 config NAME               print an embedded config
//	bl1 version                   print the version
//
// Exit status: 0 on success, 1 when a run fails, 2 on bad input (flags,
// config, output folder).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/output"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError marks bad input (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badInput(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

const usage = `bl1: cortical culture simulator

usage:
  bl1 run [CONFIG] [-o DIR] [-seed N] [-workers N] [-duration S] [-set key=value ...] [-save-connectivity]
  bl1 bench [-sizes 1000,10000,100000] [-duration S] [-o FILE]
  bl1 fit CONFIG -target TARGET [-params g_exc,g_inh,...] [-iters N] [-o DIR]
  bl1 validate [CONFIG | RUN-FOLDER] [-o DIR] [-set key=value ...]
  bl1 analyze RUN-FOLDER [-o DIR] [-units auto|channels|neurons] [-links te|ccg] [-alpha 0.01]
  bl1 sweep CONFIG -grid key=v1,v2,... | -random key=lo:hi [-seeds 1,2,3] [-o DIR]
  bl1 pong [CONFIG] [-mode fep|open_loop|silent] [-o DIR] [-monitor :PORT] [-experiment [-seeds N]] [-train N]
  bl1 cl1 [CONFIG] [-monitor :PORT] [-tick-frequency 10] [-stim-port 12345 ...]   a virtual CL1 for doom-neuron
  bl1 configs            list the embedded reference configs
  bl1 config NAME        print an embedded config
  bl1 version

Run 'bl1 COMMAND -h' for a command's flags.
`

// Main runs the command line and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(args[1:], stdout, stderr)
	case "bench":
		err = cmdBench(args[1:], stdout, stderr)
	case "fit":
		err = cmdFit(args[1:], stdout, stderr)
	case "validate":
		err = cmdValidate(args[1:], stdout, stderr)
	case "analyze":
		err = cmdAnalyze(args[1:], stdout, stderr)
	case "sweep":
		err = cmdSweep(args[1:], stdout, stderr)
	case "pong":
		err = cmdPong(args[1:], stdout, stderr)
	case "cl1":
		err = cmdCL1(args[1:], stdout, stderr)
	case "bench-one": // internal: one size of bench in a fresh process
		err = cmdBenchOne(args[1:], stdout)
	case "configs":
		for _, n := range configs.Names() {
			fmt.Fprintln(stdout, n)
		}
	case "config":
		if len(args) != 2 {
			err = badInput("usage: bl1 config NAME (one of %s)", strings.Join(configs.Names(), ", "))
			break
		}
		b, ok := configs.Embedded(args[1])
		if !ok {
			err = badInput("no embedded config %q (have %s)", args[1], strings.Join(configs.Names(), ", "))
			break
		}
		stdout.Write(b)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "bl1", output.VersionString())
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = badInput("unknown command %q\n\n%s", args[0], usage)
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "bl1:", err)
	var u usageError
	var ce *configs.Error
	if errors.As(err, &u) || errors.As(err, &ce) {
		return 2
	}
	return 1
}

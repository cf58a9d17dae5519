// Command vtgraph searches, creates, shares and exports VirusTotal Threat
// Graphs from the command line. Run "vtgraph help" for its commands, and
// "vtgraph demo" for a tour against a built-in server that needs no API key
// and no network.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/vtgraphs/vtgraphs/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

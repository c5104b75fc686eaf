// Command pulumi-language-nodejs is mailform's own Node.js language host for the Pulumi engine.
//
// The official host (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not
// obtainable from the Go module proxy, so this small replacement implements the parts of the
// LanguageRuntime gRPC service that a `runtime: nodejs` program needs: it runs the program through
// @pulumi/pulumi's own launcher (node_modules/@pulumi/pulumi/cmd/run), exactly as the official
// host does, and leaves code generation and plugin hosting unimplemented.
//
// The engine launches it as
//
//	pulumi-language-nodejs [--logtostderr] [-v=N] [--tracing URL] <engine-address>
//
// and reads the gRPC port from the first line of stdout. Everything the process (and the Node.js
// programs it starts) writes to stdout/stderr afterwards is shown by the CLI as program output.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is reported through GetPluginInfo. It tracks the engine/SDK version this host was
// written against; the build metadata marks it as mailform's implementation.
const version = "3.248.0+mailform"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func run(argv []string) error {
	// A private FlagSet: the engine passes only these flags (see buildPluginArguments in
	// sdk/go/common/resource/plugin/plugin.go), and keeping them off flag.CommandLine avoids
	// clashing with flags that imported packages may register there.
	fs := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	tracing := fs.String("tracing", "", "emit tracing to a Zipkin-compatible endpoint (passed on to the program)")
	logToStderr := fs.Bool("logtostderr", false, "write diagnostic logs to stderr")
	verbose := fs.Int("v", 0, "log verbosity (with --logtostderr)")
	if err := fs.Parse(argv); err != nil {
		return err
	}

	// The engine passes its own gRPC address as the last positional argument. When attaching
	// (PULUMI_DEBUG_LANGUAGES) there is none and it arrives through Handshake instead.
	engineAddress := ""
	if args := fs.Args(); len(args) > 0 {
		engineAddress = args[len(args)-1]
	}

	logf := func(level int, format string, a ...any) {
		if *logToStderr && *verbose >= level {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", a...)
		}
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	// If the engine goes away without killing us, exit instead of lingering: at once when the
	// engine that launched us was our parent (a kill -9 of the CLI reparents us), and through the
	// engine's health check otherwise (an attached host).
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 30*time.Second, cancel); err != nil {
			return fmt.Errorf("could not start health check against the engine at %s: %w", engineAddress, err)
		}
		go exitWithParent(ctx, cancel)
	}

	h := newHost(engineAddress, *tracing, logf)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(s, h)
			return nil
		},
	})
	if err != nil {
		return err
	}

	// The port, alone on the first line of stdout, is how the engine finds us.
	fmt.Printf("%d\n", handle.Port)
	logf(1, "serving LanguageRuntime on 127.0.0.1:%d (engine %q)", handle.Port, engineAddress)

	select {
	case err := <-handle.Done:
		return err
	case <-ctx.Done():
		h.interruptAll()
		return nil
	}
}

// exitWithParent cancels ctx when this process's parent changes (the parent died and we were
// reparented), checking four times a second.
func exitWithParent(ctx context.Context, cancel context.CancelFunc) {
	parent := os.Getppid()
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != parent {
				cancel()
				return
			}
		}
	}
}

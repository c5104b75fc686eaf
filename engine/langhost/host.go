package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// host implements pulumirpc.LanguageRuntimeServer. Methods not defined here (code generation,
// Template, Pack, Link, RunPlugin) answer Unimplemented through the embedded type.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string
	logf    func(level int, format string, a ...any)

	mu            sync.Mutex
	engineAddress string
	running       map[*exec.Cmd]struct{}
	cancelled     map[*exec.Cmd]bool
}

func newHost(engineAddress, tracing string, logf func(int, string, ...any)) *host {
	return &host{
		engineAddress: engineAddress,
		tracing:       tracing,
		logf:          logf,
		running:       map[*exec.Cmd]struct{}{},
		cancelled:     map[*exec.Cmd]bool{},
	}
}

// Handshake is only sent by the 3.248.0 engine when it attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); a launched host gets the engine address as its positional argument.
func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if addr := req.GetEngineAddress(); addr != "" {
		h.engineAddress = addr
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) getEngineAddress() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins reports no plugins: the only provider mailform uses is the dynamic provider
// `pulumi-nodejs`, which the engine resolves itself (executable pulumi-resource-pulumi-nodejs on
// PATH or next to the pulumi binary). Plugins are still loaded on demand when a program registers
// a resource of another package.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports no packages, for the same reason as GetRequiredPlugins.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// RuntimeOptionsPrompts asks nothing during `pulumi new`.
func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// About reports the node executable on PATH and its version.
func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "mailform " + version},
	}, nil
}

// Cancel interrupts any program that is still running (SIGINT, as Ctrl-C would) and
// acknowledges; such a Run then returns an error. Later Runs are not affected.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.interruptAll()
	return &emptypb.Empty{}, nil
}

func (h *host) track(cmd *exec.Cmd) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.running[cmd] = struct{}{}
}

// untrack forgets cmd and says whether it was interrupted by Cancel.
func (h *host) untrack(cmd *exec.Cmd) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.running, cmd)
	c := h.cancelled[cmd]
	delete(h.cancelled, cmd)
	return c
}

func (h *host) interruptAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		if cmd.Process != nil {
			h.cancelled[cmd] = true
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// exitCodeAlreadyReported is the exit code @pulumi/pulumi/cmd/run uses after it has logged a
// user-actionable error itself (nodeJSProcessExitedAfterLoggingUserActionableMessage in
// cmd/run/index.js). The host must then tell the engine to bail without adding a message.
const exitCodeAlreadyReported = 32

// runModule is the launcher shipped with the Node.js SDK that the program is run through.
const runModule = "@pulumi/pulumi/cmd/run"

// runtimeOptions are the `runtime.options` from Pulumi.yaml that this host honours. They reach the
// host as ProgramInfo.options.
type runtimeOptions struct {
	// typescript makes cmd/run register ts-node (env PULUMI_NODEJS_TYPESCRIPT). Default true, as
	// with the official host; set it to false when a loader such as tsx is given in nodeargs.
	typescript bool
	// tsconfig is a tsconfig path for ts-node (env PULUMI_NODEJS_TSCONFIG_PATH).
	tsconfig string
	// nodeargs are extra arguments for node itself, placed before the launcher script.
	nodeargs []string
}

func parseRuntimeOptions(s *structpb.Struct) (runtimeOptions, error) {
	opts := runtimeOptions{typescript: true}
	if s == nil {
		return opts, nil
	}
	for key, v := range s.GetFields() {
		switch key {
		case "typescript":
			b, err := boolOption(key, v)
			if err != nil {
				return opts, err
			}
			opts.typescript = b
		case "tsconfig":
			str, ok := v.GetKind().(*structpb.Value_StringValue)
			if !ok {
				return opts, fmt.Errorf("runtime option %q must be a string", key)
			}
			opts.tsconfig = str.StringValue
		case "nodeargs":
			str, ok := v.GetKind().(*structpb.Value_StringValue)
			if !ok {
				return opts, fmt.Errorf("runtime option %q must be a string", key)
			}
			args, err := splitArgs(str.StringValue)
			if err != nil {
				return opts, fmt.Errorf("runtime option nodeargs: %w", err)
			}
			opts.nodeargs = args
		default:
			// packagemanager and anything else: nothing for this host to do.
		}
	}
	return opts, nil
}

func boolOption(key string, v *structpb.Value) (bool, error) {
	switch k := v.GetKind().(type) {
	case *structpb.Value_BoolValue:
		return k.BoolValue, nil
	case *structpb.Value_StringValue:
		b, err := strconv.ParseBool(k.StringValue)
		if err == nil {
			return b, nil
		}
	}
	return false, fmt.Errorf("runtime option %q must be a boolean", key)
}

// splitArgs splits a command-line fragment on whitespace, honouring single quotes, double quotes
// and backslash escapes the way a POSIX shell would (without any expansion).
func splitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inArg = true, true
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote in %q", quote, s)
	}
	if escaped {
		return nil, fmt.Errorf("trailing backslash in %q", s)
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// nodeInvocation is everything needed to start a program; built by planRun, executed by Run.
type nodeInvocation struct {
	args []string // arguments after the node executable
	dir  string   // working directory of the node process
	env  []string // additions to the inherited environment (later entries win)
}

// planRun maps a RunRequest onto the node command line that @pulumi/pulumi/cmd/run/index.js parses
// (minimist, stopEarly: flags first, then the program, then the program's own arguments):
//
//	node [nodeargs...] <runDir> --monitor=M [--engine=E] --project=P --stack=S --pwd=D
//	     [--organization=O] [--root-directory=R] [--dry-run] [--parallel=N] [--tracing=T]
//	     <entry point> [args...]
func planRun(req *pulumirpc.RunRequest, engineAddress, tracing, runDir string) (nodeInvocation, error) {
	if req.GetMonitorAddress() == "" {
		return nodeInvocation{}, errors.New("RunRequest has no monitor address")
	}
	info := req.GetInfo()
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return nodeInvocation{}, err
	}

	pwd := req.GetPwd()
	if pwd == "" {
		pwd = info.GetProgramDirectory()
	}
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram() //nolint:staticcheck // fallback for engines that send no ProgramInfo
	}
	if entry == "" {
		entry = "."
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runDir, "--monitor="+req.GetMonitorAddress())
	if engineAddress != "" {
		args = append(args, "--engine="+engineAddress)
	}
	args = append(args,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+pwd,
	)
	if org := req.GetOrganization(); org != "" {
		args = append(args, "--organization="+org)
	}
	if root := info.GetRootDirectory(); root != "" {
		args = append(args, "--root-directory="+root)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if p := req.GetParallel(); p > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(p)))
	}
	if tracing != "" {
		args = append(args, "--tracing="+tracing)
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nodeInvocation{}, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nodeInvocation{}, err
	}
	env := []string{
		"PULUMI_CONFIG=" + string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS=" + string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT=" + strconv.FormatBool(opts.typescript),
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	return nodeInvocation{args: args, dir: pwd, env: env}, nil
}

// findRunModule locates node_modules/@pulumi/pulumi/cmd/run the way Node's resolver would: in the
// program directory or any directory above it (the program directory is usually below the
// project root, e.g. `main: program/index.ts`). If that fails, node itself is asked.
func findRunModule(ctx context.Context, node, programDir string) (string, error) {
	for dir := programDir; ; {
		candidate := filepath.Join(dir, "node_modules", filepath.FromSlash(runModule))
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	cmd := exec.CommandContext(ctx, node, "-e", "console.log(require.resolve('"+runModule+"'))")
	cmd.Dir = programDir
	if out, err := cmd.Output(); err == nil {
		if p := strings.TrimSpace(string(out)); p != "" {
			return filepath.Dir(p), nil
		}
	}
	return "", fmt.Errorf("could not find %s from %s: is @pulumi/pulumi installed "+
		"(run `npm install` in the project)?", runModule, programDir)
}

// Run executes the program under node and reports how it ended.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return nil, errors.New("this language host does not support attaching a debugger")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: " + err.Error()}, nil
	}
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	runDir, err := findRunModule(ctx, node, programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	plan, err := planRun(req, h.getEngineAddress(), h.tracing, runDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	cmd := exec.Command(node, plan.args...)
	cmd.Dir = plan.dir
	cmd.Env = append(os.Environ(), plan.env...)
	// Node shares our stdout/stderr, which the engine reads and shows as program output.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	h.logf(5, "running %s %s in %s", node, strings.Join(plan.args, " "), plan.dir)

	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: "could not start node: " + err.Error()}, nil
	}
	h.track(cmd)
	// If the engine abandons the call, stop the program too.
	stop := context.AfterFunc(ctx, func() {
		_ = cmd.Process.Signal(os.Interrupt)
		time.AfterFunc(10*time.Second, func() { _ = cmd.Process.Kill() })
	})
	waitErr := cmd.Wait()
	stop()
	cancelled := h.untrack(cmd)

	return runResponse(waitErr, cancelled || ctx.Err() != nil), nil
}

// runResponse turns the way node exited into the engine's (error, bail) pair.
func runResponse(waitErr error, cancelled bool) *pulumirpc.RunResponse {
	if waitErr == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(waitErr, &exitErr) {
		return &pulumirpc.RunResponse{Error: "problem waiting for the node program: " + waitErr.Error()}
	}
	if cancelled {
		return &pulumirpc.RunResponse{Error: "the program was cancelled"}
	}
	switch code := exitErr.ExitCode(); code {
	case exitCodeAlreadyReported:
		// cmd/run has already logged the error through the engine: stop without another message.
		return &pulumirpc.RunResponse{Bail: true}
	case -1:
		return &pulumirpc.RunResponse{Error: "the program was terminated: " + exitErr.String()}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("the program exited with non-zero exit code: %d", code)}
	}
}

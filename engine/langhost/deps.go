package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

type packageJSON struct {
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

// findPackageDir returns the nearest directory at or above dir holding a package.json.
func findPackageDir(dir string) (string, bool) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func readPackageJSON(path string) (packageJSON, error) {
	var pkg packageJSON
	data, err := os.ReadFile(path)
	if err != nil {
		return pkg, err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return pkg, fmt.Errorf("parsing %s: %w", path, err)
	}
	return pkg, nil
}

func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	return fallback
}

// GetProgramDependencies lists the direct dependencies and devDependencies declared in the nearest
// package.json, each with the version installed under node_modules when there is one and the
// declared range otherwise. Transitive dependencies are not reported even when asked for.
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDirectory(req.GetInfo(), req.GetPwd()) //nolint:staticcheck // deprecated fallback
	pkgDir, ok := findPackageDir(dir)
	if !ok {
		return &pulumirpc.GetProgramDependenciesResponse{}, nil
	}
	pkg, err := readPackageJSON(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		return nil, err
	}
	declared := map[string]string{}
	for name, v := range pkg.DevDependencies {
		declared[name] = v
	}
	for name, v := range pkg.Dependencies {
		declared[name] = v
	}
	names := make([]string, 0, len(declared))
	for name := range declared {
		names = append(names, name)
	}
	sort.Strings(names)

	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, name := range names {
		v := declared[name]
		installed, err := readPackageJSON(filepath.Join(pkgDir, "node_modules", filepath.FromSlash(name), "package.json"))
		if err == nil && installed.Version != "" {
			v = installed.Version
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	return resp, nil
}

// InstallDependencies runs `npm install` in the directory of the nearest package.json, but only
// when that directory has no node_modules yet; otherwise (and when there is no package.json) it
// does nothing. npm's output is streamed back to the engine.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDirectory(req.GetInfo(), req.GetDirectory()) //nolint:staticcheck // deprecated fallback
	pkgDir, ok := findPackageDir(dir)
	if !ok {
		return nil
	}
	if _, err := os.Stat(filepath.Join(pkgDir, "node_modules")); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}

	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("node_modules is missing in %s and npm is not on PATH: %w", pkgDir, err)
	}
	var mu sync.Mutex // a gRPC stream must not be sent on concurrently
	send := func(resp *pulumirpc.InstallDependenciesResponse) error {
		mu.Lock()
		defer mu.Unlock()
		return server.Send(resp)
	}
	cmd := exec.CommandContext(server.Context(), npm, "install")
	cmd.Dir = pkgDir
	cmd.Stdout = streamWriter(func(b []byte) error { return send(&pulumirpc.InstallDependenciesResponse{Stdout: b}) })
	cmd.Stderr = streamWriter(func(b []byte) error { return send(&pulumirpc.InstallDependenciesResponse{Stderr: b}) })
	if err := send(&pulumirpc.InstallDependenciesResponse{
		Stdout: []byte("Installing dependencies with `npm install` in " + pkgDir + "\n"),
	}); err != nil {
		return err
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install in %s failed: %w", pkgDir, err)
	}
	return nil
}

type streamWriter func([]byte) error

func (w streamWriter) Write(p []byte) (int, error) {
	// The caller may reuse p after Write returns; the message keeps its own copy.
	if err := w(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

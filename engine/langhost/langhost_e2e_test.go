package main

// End-to-end test: the real Pulumi CLI runs a real TypeScript program through this language host,
// with the built-in dynamic provider, a local file backend and a secret config value.
//
// Needs: a pulumi CLI (env PULUMI_BIN, else `pulumi` on PATH), node and go on PATH, and a
// node_modules with @pulumi/pulumi and tsx (env MAILFORM_NODE_MODULES, else the repository's
// node_modules two levels up). Skipped, saying which is missing, otherwise.

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const e2eProgram = `import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) {
    return { id: "thing-" + inputs.name, outs: { name: inputs.name, greeting: "hello " + inputs.name } };
  },
};

class Thing extends pulumi.dynamic.Resource {
  declare readonly greeting: pulumi.Output<string>;
  constructor(name: string) {
    super(provider, name, { name, greeting: undefined }, {});
  }
}

const config = new pulumi.Config();
const secret = config.requireSecret("token");
const thing = new Thing("one");

console.log("stdout from the program; execArgv=" + JSON.stringify(process.execArgv));
console.error("stderr from the program");

export const greeting = thing.greeting;
export const secretLength = secret.apply((s) => s.length);
export const secretEcho = secret;
export const project = pulumi.getProject();
export const stack = pulumi.getStack();
`

const e2eSecret = "s3cr3t-Value-for-e2e"

type e2eEnv struct {
	t      *testing.T
	dir    string // project directory
	env    []string
	pulumi string
}

func (e *e2eEnv) run(args ...string) (string, error) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.pulumi, append(args, "--color=never")...)
	cmd.Dir = e.dir
	cmd.Env = e.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (e *e2eEnv) mustRun(args ...string) string {
	e.t.Helper()
	out, err := e.run(args...)
	if err != nil {
		e.t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func TestEndToEndWithPulumiCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	pulumiBin := os.Getenv("PULUMI_BIN")
	if pulumiBin == "" {
		p, err := exec.LookPath("pulumi")
		if err != nil {
			t.Skip("no pulumi CLI: set PULUMI_BIN or put pulumi on PATH (engine/setup.sh builds one)")
		}
		pulumiBin = p
	}
	pulumiBin, err := filepath.Abs(pulumiBin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH (needed to build the language host)")
	}
	nodeModules := os.Getenv("MAILFORM_NODE_MODULES")
	if nodeModules == "" {
		nodeModules = filepath.Join("..", "..", "node_modules")
	}
	nodeModules, err = filepath.Abs(nodeModules)
	if err != nil {
		t.Fatal(err)
	}
	dynamicProvider := filepath.Join(nodeModules, "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs")
	for _, need := range []string{dynamicProvider, filepath.Join(nodeModules, "tsx", "package.json")} {
		if _, err := os.Stat(need); err != nil {
			t.Skipf("node_modules at %s lacks %s: run npm install or set MAILFORM_NODE_MODULES", nodeModules, need)
		}
	}

	tmp := t.TempDir()
	binDir := filepath.Join(tmp, "bin")
	projDir := filepath.Join(tmp, "project")
	stateDir := filepath.Join(tmp, "state")
	homeDir := filepath.Join(tmp, "home")
	for _, d := range []string{binDir, filepath.Join(projDir, "program"), stateDir, homeDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// The host under test, built from this package.
	build := exec.Command(goBin, "build", "-trimpath", "-o", filepath.Join(binDir, "pulumi-language-nodejs"), ".")
	build.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the language host: %v\n%s", err, out)
	}
	if err := os.Symlink(pulumiBin, filepath.Join(binDir, "pulumi")); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(dynamicProvider)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(binDir, "pulumi-resource-pulumi-nodejs"), string(script), 0o755)

	// The project mirrors mailform's own layout: main in a subdirectory, tsx as loader.
	if err := os.Symlink(nodeModules, filepath.Join(projDir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(projDir, "package.json"), `{"name": "langhost-e2e", "version": "0.0.0", "private": true}`+"\n", 0o644)
	writeFile(t, filepath.Join(projDir, "Pulumi.yaml"), `name: langhost-e2e
runtime:
  name: nodejs
  options:
    typescript: false
    nodeargs: "--import tsx"
main: program/index.ts
`, 0o644)
	programFile := filepath.Join(projDir, "program", "index.ts")
	writeFile(t, programFile, e2eProgram, 0o644)

	// A clean environment: no ambient Pulumi settings, our binaries first on PATH.
	env := []string{}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PULUMI_") || strings.HasPrefix(kv, "PATH=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PULUMI_HOME="+homeDir,
		"PULUMI_CONFIG_PASSPHRASE=test",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true",
	)
	e := &e2eEnv{t: t, dir: projDir, env: env, pulumi: filepath.Join(binDir, "pulumi")}

	e.mustRun("login", "file://"+stateDir)
	e.mustRun("stack", "init", "dev", "--non-interactive")
	e.mustRun("config", "set", "--secret", "token", e2eSecret, "--non-interactive")

	t.Run("up", func(t *testing.T) {
		out := e.mustRun("up", "--yes", "--non-interactive", "--skip-preview")
		for _, want := range []string{
			"stdout from the program",
			`execArgv=["--import","tsx"]`, // nodeargs reached node
			"stderr from the program",
			"pulumi-nodejs:dynamic:Resource",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("pulumi up output lacks %q:\n%s", want, out)
			}
		}
		var outputs map[string]any
		if err := json.Unmarshal([]byte(e.mustRun("stack", "output", "--json", "--show-secrets")), &outputs); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"greeting":     "hello one",
			"secretLength": float64(len(e2eSecret)),
			"secretEcho":   e2eSecret,
			"project":      "langhost-e2e",
			"stack":        "dev",
		}
		for k, v := range want {
			if outputs[k] != v {
				t.Errorf("stack output %s = %#v, want %#v (all: %v)", k, outputs[k], v, outputs)
			}
		}
		if masked := e.mustRun("stack", "output", "secretEcho"); strings.Contains(masked, e2eSecret) {
			t.Errorf("secret output shown in plaintext without --show-secrets: %s", masked)
		}
		// The secret must be stored encrypted, in the stack config and the state alike.
		for _, root := range []string{stateDir, projDir} {
			_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
					return nil
				}
				if data, err := os.ReadFile(path); err == nil && strings.Contains(string(data), e2eSecret) {
					t.Errorf("secret found in plaintext in %s", path)
				}
				return nil
			})
		}
	})

	t.Run("preview has no changes", func(t *testing.T) {
		e.mustRun("preview", "--expect-no-changes", "--non-interactive")
	})

	t.Run("error already reported by the program bails", func(t *testing.T) {
		writeFile(t, programFile, e2eProgram+"\nthrow new Error(\"boom from the program\");\n", 0o644)
		defer writeFile(t, programFile, e2eProgram, 0o644)
		out, err := e.run("preview", "--non-interactive")
		if err == nil {
			t.Fatalf("preview of a throwing program succeeded:\n%s", out)
		}
		if !strings.Contains(out, "boom from the program") {
			t.Errorf("the program's error is not shown:\n%s", out)
		}
		if strings.Contains(out, "non-zero exit code") {
			t.Errorf("host added its own message although the program had reported the error (bail):\n%s", out)
		}
	})

	t.Run("non-zero exit is an error", func(t *testing.T) {
		writeFile(t, programFile, e2eProgram+"\nprocess.exit(3);\n", 0o644)
		defer writeFile(t, programFile, e2eProgram, 0o644)
		out, err := e.run("preview", "--non-interactive")
		if err == nil {
			t.Fatalf("preview of a program exiting with 3 succeeded:\n%s", out)
		}
		if !strings.Contains(out, "the program exited with non-zero exit code: 3") {
			t.Errorf("missing exit-code error:\n%s", out)
		}
	})

	t.Run("destroy", func(t *testing.T) {
		e.mustRun("destroy", "--yes", "--non-interactive", "--skip-preview")
		var export struct {
			Deployment struct {
				Resources []json.RawMessage `json:"resources"`
			} `json:"deployment"`
		}
		if err := json.Unmarshal([]byte(e.mustRun("stack", "export")), &export); err != nil {
			t.Fatal(err)
		}
		if n := len(export.Deployment.Resources); n != 0 {
			t.Errorf("%d resources left after destroy", n)
		}
	})

	e.mustRun("stack", "rm", "--yes", "--non-interactive")
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

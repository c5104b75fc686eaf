package main

import (
	"os/exec"
	"reflect"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestPlanRunMapsTheRequestOntoCmdRun(t *testing.T) {
	options, err := structpb.NewStruct(map[string]any{"typescript": false, "nodeargs": "--import tsx"})
	if err != nil {
		t.Fatal(err)
	}
	req := &pulumirpc.RunRequest{
		Project:          "mailform",
		Stack:            "dev",
		Pwd:              "/p/program",
		Args:             []string{"extra"},
		Config:           map[string]string{"mailform:token": "t", "aws:region": "x"},
		ConfigSecretKeys: []string{"mailform:token"},
		DryRun:           true,
		Parallel:         8,
		MonitorAddress:   "127.0.0.1:1",
		Organization:     "organization",
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    "/p",
			ProgramDirectory: "/p/program",
			EntryPoint:       "index.ts",
			Options:          options,
		},
	}
	plan, err := planRun(req, "127.0.0.1:2", "", "/p/node_modules/@pulumi/pulumi/cmd/run")
	if err != nil {
		t.Fatal(err)
	}
	wantArgs := []string{
		"--import", "tsx",
		"/p/node_modules/@pulumi/pulumi/cmd/run",
		"--monitor=127.0.0.1:1",
		"--engine=127.0.0.1:2",
		"--project=mailform",
		"--stack=dev",
		"--pwd=/p/program",
		"--organization=organization",
		"--root-directory=/p",
		"--dry-run",
		"--parallel=8",
		"index.ts",
		"extra",
	}
	if !reflect.DeepEqual(plan.args, wantArgs) {
		t.Errorf("args\n got %q\nwant %q", plan.args, wantArgs)
	}
	if plan.dir != "/p/program" {
		t.Errorf("dir = %q", plan.dir)
	}
	wantEnv := []string{
		`PULUMI_CONFIG={"aws:region":"x","mailform:token":"t"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["mailform:token"]`,
		"PULUMI_NODEJS_TYPESCRIPT=false",
	}
	if !reflect.DeepEqual(plan.env, wantEnv) {
		t.Errorf("env\n got %q\nwant %q", plan.env, wantEnv)
	}

	// An update (not a preview) without config, parallelism or options.
	req.DryRun, req.Parallel, req.Config, req.ConfigSecretKeys, req.Args = false, 0, nil, nil, nil
	req.Info.Options = nil
	plan, err = planRun(req, "", "http://trace", "/run")
	if err != nil {
		t.Fatal(err)
	}
	wantArgs = []string{
		"/run", "--monitor=127.0.0.1:1", "--project=mailform", "--stack=dev", "--pwd=/p/program",
		"--organization=organization", "--root-directory=/p", "--tracing=http://trace", "index.ts",
	}
	if !reflect.DeepEqual(plan.args, wantArgs) {
		t.Errorf("args\n got %q\nwant %q", plan.args, wantArgs)
	}
	wantEnv = []string{`PULUMI_CONFIG={}`, `PULUMI_CONFIG_SECRET_KEYS=[]`, "PULUMI_NODEJS_TYPESCRIPT=true"}
	if !reflect.DeepEqual(plan.env, wantEnv) {
		t.Errorf("env\n got %q\nwant %q", plan.env, wantEnv)
	}

	if _, err := planRun(&pulumirpc.RunRequest{}, "", "", "/run"); err == nil {
		t.Error("a request without monitor address was accepted")
	}
}

func TestParseRuntimeOptions(t *testing.T) {
	s, err := structpb.NewStruct(map[string]any{
		"typescript": "false", "tsconfig": "tsconfig.pulumi.json", "nodeargs": "--max-old-space-size=4096 --import tsx",
		"packagemanager": "npm",
	})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := parseRuntimeOptions(s)
	if err != nil {
		t.Fatal(err)
	}
	want := runtimeOptions{
		typescript: false,
		tsconfig:   "tsconfig.pulumi.json",
		nodeargs:   []string{"--max-old-space-size=4096", "--import", "tsx"},
	}
	if !reflect.DeepEqual(opts, want) {
		t.Errorf("got %+v, want %+v", opts, want)
	}
	bad, _ := structpb.NewStruct(map[string]any{"nodeargs": 3})
	if _, err := parseRuntimeOptions(bad); err == nil {
		t.Error("numeric nodeargs accepted")
	}
	bad, _ = structpb.NewStruct(map[string]any{"typescript": "maybe"})
	if _, err := parseRuntimeOptions(bad); err == nil {
		t.Error("typescript: maybe accepted")
	}
}

func TestSplitArgs(t *testing.T) {
	cases := map[string][]string{
		"":                                 nil,
		"  --import tsx ":                  {"--import", "tsx"},
		`--title "a b" 'c d' e\ f`:         {"--title", "a b", "c d", "e f"},
		`--x="quoted \"inner\"" ''`:        {`--x=quoted "inner"`, ""},
		"--import\ttsx\n--enable-foo":      {"--import", "tsx", "--enable-foo"},
		`--require=./a\'s.js "x'y"`:        {"--require=./a's.js", "x'y"},
		`--conditions=development --trace`: {"--conditions=development", "--trace"},
	}
	for in, want := range cases {
		got, err := splitArgs(in)
		if err != nil {
			t.Errorf("splitArgs(%q): %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("splitArgs(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{`"open`, `'open`, `trailing\`} {
		if _, err := splitArgs(in); err == nil {
			t.Errorf("splitArgs(%q) accepted", in)
		}
	}
}

func TestRunResponse(t *testing.T) {
	exit := func(code string) error { return exec.Command("sh", "-c", "exit "+code).Run() }

	if r := runResponse(nil, false); r.Error != "" || r.Bail {
		t.Errorf("success: %+v", r)
	}
	if r := runResponse(exit("32"), false); r.Error != "" || !r.Bail {
		t.Errorf("exit 32 must bail without message: %+v", r)
	}
	if r := runResponse(exit("3"), false); r.Error != "the program exited with non-zero exit code: 3" || r.Bail {
		t.Errorf("exit 3: %+v", r)
	}
	if r := runResponse(exit("32"), true); r.Error != "the program was cancelled" || r.Bail {
		t.Errorf("cancelled: %+v", r)
	}
	killed := exec.Command("sh", "-c", "kill -9 $$").Run()
	if r := runResponse(killed, false); r.Bail || r.Error == "" {
		t.Errorf("killed: %+v", r)
	}
}

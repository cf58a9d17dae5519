package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vtgraphBin is this command, built once by TestMain for the tests that
// run it as a process; buildErr says why it could not be.
var vtgraphBin, buildErr = "", error(nil)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vtgraph-test")
	if err != nil {
		panic(err)
	}
	vtgraphBin, buildErr = build(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func build(dir string) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "vtgraph")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// buildVtgraph returns the built command, failing the test when the build
// failed and skipping it where there is no go command.
func buildVtgraph(t *testing.T) string {
	t.Helper()
	if errors.Is(buildErr, exec.ErrNotFound) {
		t.Skip("the go command is not on PATH")
	}
	require.NoError(t, buildErr)
	return vtgraphBin
}

var baseURLLine = regexp.MustCompile(`^Base URL: (http://127\.0\.0\.1:\d+/api/v3)$`)

// TestServeProcess runs "vtgraph serve" as users do, drives it with the
// built command and a raw request, and stops it with Ctrl-C's signal.
func TestServeProcess(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent on Windows")
	}
	bin := buildVtgraph(t)

	serve := exec.Command(bin, "serve", "--port", "0")
	stdout, err := serve.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	serve.Stderr = &stderr
	require.NoError(t, serve.Start())
	exited := make(chan error, 1)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = serve.Process.Kill()
			<-exited
		}
	})

	base := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := baseURLLine.FindStringSubmatch(sc.Text()); m != nil {
				base <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		exited <- serve.Wait()
	}()
	var baseURL string
	select {
	case baseURL = <-base:
	case err := <-exited:
		stopped = true
		t.Fatalf("serve exited before printing its URL: %v\n%s", err, stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("serve printed no base URL within a minute")
	}

	vtgraph := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "VT_BASE_URL="+baseURL, "VT_API_KEY=alice-test-key")
		cmd.Stdin = strings.NewReader(stdin)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, "vtgraph %s: %s", strings.Join(args, " "), stderr.String())
		return string(out)
	}
	var created struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(vtgraph("login-lantern.example\n203.0.113.77\n",
		"create", "--name", "Served by a process", "--indicators", "-", "--json")), &created))
	assert.Contains(t, vtgraph("", "search", "--filter", "owner:alice"), "Served by a process")
	assert.Contains(t, vtgraph("", "get", created.ID), "NODES     2 (2 entities)")

	req, err := http.NewRequest(http.MethodGet, baseURL+"/graphs/"+created.ID, nil)
	require.NoError(t, err)
	req.Header.Set("x-apikey", "bob-test-key")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), `"description":"Served by a process"`)

	require.NoError(t, serve.Process.Signal(os.Interrupt))
	select {
	case err := <-exited:
		stopped = true
		assert.NoError(t, err, "serve exits 0 on Ctrl-C: %s", stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("serve did not stop within a minute of the interrupt")
	}
	assert.Contains(t, stderr.String(), "vtgraph serve: stopped")
	u, err := url.Parse(baseURL)
	require.NoError(t, err)
	if conn, err := net.Dial("tcp", u.Host); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections", u.Host)
	}
}

// TestVersionProcess runs the built command's version.
func TestVersionProcess(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(buildVtgraph(t), "version").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(out), "vtgraph version "), "%s", out)
	assert.Contains(t, string(out), "module github.com/vtgraphs/vtgraphs\n")
}

package awsconnect_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeGoBlocks returns the ```go blocks of README.md's section titled
// heading.
func readmeGoBlocks(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// TestReadmeMinimalUseCompiles builds README's "A minimal use" code as the
// body of a function, with the names it leaves to the platform (ctx,
// roleARN, platformConfig, deriver, modeOf) declared, so the README can
// not drift from the API.
func TestReadmeMinimalUseCompiles(t *testing.T) {
	blocks := readmeGoBlocks(t, "A minimal use")
	if len(blocks) < 2 {
		t.Fatalf("README's minimal use has %d Go blocks; want the external ID and the Connection-to-connector flow", len(blocks))
	}
	body := strings.Join(blocks, "\n")
	for _, want := range []string{"connectors.NewResolver", ".Check(ctx, conn)", "resolver.Config(ctx, conn)", "s3.NewFromConnection"} {
		if !strings.Contains(body, want) {
			t.Errorf("README's minimal use does not show %s", want)
		}
	}
	// Use every name the blocks declare right after it, as a platform's
	// code would.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "readme.go", "package p\nfunc f() {\n"+body+"\n}", 0)
	if err != nil {
		t.Fatalf("README's minimal use does not parse: %v", err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		block, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		var list []ast.Stmt
		for _, st := range block.List {
			list = append(list, st)
			if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				for _, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
						list = append(list, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_")}, Tok: token.ASSIGN, Rhs: []ast.Expr{ast.NewIdent(id.Name)}})
					}
				}
			}
		}
		block.List = list
		return true
	})
	var used strings.Builder
	if err := printer.Fprint(&used, fset, f.Decls[0].(*ast.FuncDecl).Body); err != nil {
		t.Fatal(err)
	}
	body = strings.TrimSuffix(strings.TrimPrefix(used.String(), "{"), "}")
	src := `package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

func main() {
	var (
		ctx            context.Context
		roleARN        string
		platformConfig aws.Config
		deriver        scope.Deriver
		modeOf         connectors.ModeFunc
	)
	_, _ = sts.NewFromConfig, role.NewCache
` + body + "\n}\n"

	// The program is built in place through an overlay, so it resolves the
	// module's own packages and go.sum without writing into the tree.
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(wd, "internal", "readmeexample", "main.go"): file}})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-overlay", overlayFile, "-o", os.DevNull, "./internal/readmeexample")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README's minimal use does not compile against the API: %v\n%s\n--- the program:\n%s", err, out, src)
	}
}

// TestReadmeGoDocPointersResolve runs each `go doc` command README names:
// each must name a package that exists.
func TestReadmeGoDocPointersResolve(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds := regexp.MustCompile("`go doc ([^`]+)`").FindAllStringSubmatch(string(b), -1)
	if len(cmds) == 0 {
		t.Fatal("README names no go doc command")
	}
	for _, m := range cmds {
		args := append([]string{"doc"}, strings.Fields(m[1])...)
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			t.Errorf("README's `go doc %s` fails: %v\n%s", m[1], err, out)
		} else if len(out) < 100 {
			t.Errorf("README's `go doc %s` prints almost nothing: %s", m[1], out)
		}
	}
}

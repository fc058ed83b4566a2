package awsconnect_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/redis/go-redis/v9"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/cloudwatch"
	"github.com/awsconnect/awsconnect/connectors/lambda"
	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/connectors/s3"
	"github.com/awsconnect/awsconnect/connectors/ses"
	"github.com/awsconnect/awsconnect/connectors/signedhttp"
	"github.com/awsconnect/awsconnect/connectors/sigv4"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/redisstore"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

const modulePath = "github.com/awsconnect/awsconnect"

// The known secrets every value in the table is built with.
const (
	accessSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
	sessionSecret = "SESSIONTOKENSECRETVALUE"
	hmacSecret    = "DERIVER-HMAC-SECRET-KEY"
	fieldSecret   = "FIELD-TOKEN-SECRET"
)

// secretReachers builds, for each exported type of the library that holds
// or can reach a secret, a value holding the known secrets. Adding such a
// type without an entry here fails TestEveryTypeThatReachesASecretIsListed;
// an entry's value is walked through every rendering by
// TestNoRenderingPrintsASecret.
func secretReachers(t *testing.T) map[string]any {
	ctx := context.Background()
	cfg := aws.Config{Region: "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", accessSecret, sessionSecret)}
	// The connectors get cfg, with the static provider (a value, which fmt
	// walks into) that Resolver.Config gives an access-key connection; the
	// resolver gets the same behind the SDK's cache after a retrieval, as
	// platforms' configs usually are.
	cached := cfg.Copy()
	cached.Credentials = aws.NewCredentialsCache(cfg.Credentials)
	if _, err := cached.Credentials.Retrieve(ctx); err != nil {
		t.Fatal(err)
	}
	deriver := scope.Deriver{Prefix: "acme", Secret: []byte(hmacSecret)}
	stsFake := secretSTS{}
	cache := role.NewCache(stsFake)
	t.Cleanup(func() { _ = cache.Close() })
	spec := role.Spec{RoleARN: "arn:aws:iam::111122223333:role/r", ExternalID: "acme_ws1"}
	provider, err := cache.Provider(spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Retrieve(ctx); err != nil {
		t.Fatal(err)
	}
	resolverOpts := connectors.Options{STS: sts.NewFromConfig(cfg), PlatformAccountID: "999988887777"}
	resolver := connectors.NewResolver(cached, deriver, connectors.FixedMode(scope.WorkspaceMode), cache,
		func(o *connectors.Options) { o.STS = resolverOpts.STS })
	conn := connectors.Connection{ID: "c", WorkspaceID: "ws1", Kind: "unregistered", Region: "eu-west-1",
		Endpoint: "https://user:" + fieldSecret + "@example.com/?t=" + fieldSecret,
		Auth:     connectors.Auth{Type: connectors.AuthAccessKey, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: connectors.Secret(accessSecret)},
		Fields:   map[string]string{"token": fieldSecret}} // an unregistered kind's fields are all redacted
	registerSecretFieldKind.Do(func() {
		connectors.Register(connectors.Kind{Name: secretFieldKind, Title: "Secret field",
			Fields:      []connectors.Field{{Key: "token", Label: "Token", Secret: true}, {Key: "url", Label: "URL"}},
			Operations:  []connectors.OperationInfo{{Name: "Read", Title: "Read"}},
			Permissions: func(connectors.Connection, []connectors.Operation) ([]policy.Requirement, error) { return nil, nil },
			New:         func(aws.Config, connectors.Connection) (connectors.Checker, error) { return nil, nil }})
	})
	fieldConn := conn
	fieldConn.Kind = secretFieldKind
	fieldConn.Fields = map[string]string{"token": fieldSecret, "url": "https://example.com"}
	ring, err := redisstore.NewKeyRing([]byte(hmacSecret+hmacSecret), redisstore.Key{ID: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	redisClient := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", Password: fieldSecret, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = redisClient.Close() })
	store, err := redisstore.New(redisClient, ring)
	if err != nil {
		t.Fatal(err)
	}
	settings := connectors.NewSettings(resolver)
	scopes := &connectors.MemoryScopes{}
	scopes.AddDeriver("v1", deriver)
	return map[string]any{
		"connectors.Settings":                       settings,
		"redisstore.Key":                            redisstore.Key{ID: "k1", Secret: []byte(hmacSecret)},
		"redisstore.KeyRing":                        ring,
		"redisstore.Store":                          store,
		"role.Options with store":                   role.Options{Store: store},
		"connectors.Connection with a secret field": fieldConn,
		"connectors.Switcher":                       connectors.NewSwitcher(settings),
		"connectors.Monitor":                        connectors.NewMonitor(resolver, func(context.Context) ([]connectors.Connection, error) { return nil, nil }, func(connectors.DriftEvent) {}),
		"connectors.MemoryScopes":                   scopes,
		"connectors.Secret":                         connectors.Secret(accessSecret),
		"connectors.Auth":                           conn.Auth,
		"connectors.Connection":                     conn,
		"connectors.Resolver":                       resolver,
		"connectors.Options":                        resolverOpts,
		"scope.Deriver":                             deriver,
		"role.Cache":                                cache,
		"signedhttp.Transport":                      signedhttp.NewTransport(cfg.Credentials),
		"signedhttp.Connector":                      signedhttp.New(cfg),
		"sigv4.Transport":                           sigv4.NewTransport(cfg.Credentials),
		"sigv4.Connector":                           sigv4.New(cfg),
		"s3.Connector":                              s3.New(cfg, func(o *s3.Options) { o.Bucket = "b" }),
		"lambda.Connector":                          lambda.New(cfg),
		"ses.Connector":                             ses.New(cfg),
		"cloudwatch.Connector":                      cloudwatch.New(cfg),
		"lex.Connector":                             lex.New(cfg),
		// Not exported types, but what role.Cache.Provider hands out, with
		// credentials cached in it.
		"role provider": provider,
	}
}

// secretFieldKind is a connector kind with a secret field, registered once
// in the default registry, which Connection's renderings consult.
const secretFieldKind = "redaction-secret-field"

var registerSecretFieldKind sync.Once

// secretSTS mints credentials holding the known secrets.
type secretSTS struct{}

func (secretSTS) AssumeRole(_ context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{AccessKeyId: aws.String("ASIAEXAMPLE"),
		SecretAccessKey: aws.String(accessSecret), SessionToken: aws.String(sessionSecret),
		Expiration: aws.Time(time.Now().Add(time.Hour))}}, nil
}

// renderings prints v every way a program may: each fmt verb, as a field
// of a struct, JSON, and slog's text and JSON handlers.
func renderings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3f", "%t"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["field "+verb] = fmt.Sprintf(verb, struct{ V any }{v})
		out["slice "+verb] = fmt.Sprintf(verb, []any{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	if j, err := json.Marshal(v); err == nil {
		out["json"] = string(j)
	} else {
		out["json error"] = err.Error()
	}
	if j, err := json.Marshal(struct{ V any }{v}); err == nil {
		out["json field"] = string(j)
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("msg", "v", v, slog.Group("g", "v", v))
		out[name] = b.String()
	}
	return out
}

// leaks returns the forms of the known secrets found in s: as they are,
// hex-encoded (%x of a string or []byte), base64 (JSON of a []byte), and
// fmt's byte list (%v of a []byte).
func leaks(s string) []string {
	var found []string
	for _, secret := range []string{accessSecret, sessionSecret, hmacSecret, fieldSecret} {
		forms := []string{secret, hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret))),
			base64.StdEncoding.EncodeToString([]byte(secret)), strings.Trim(fmt.Sprint([]byte(secret)), "[]"),
			strconv.Quote(secret)[1 : len(secret)+1]}
		for _, f := range forms {
			if strings.Contains(s, f) {
				found = append(found, f)
			}
		}
	}
	return found
}

func TestNoRenderingPrintsASecret(t *testing.T) {
	for name, v := range secretReachers(t) {
		t.Run(name, func(t *testing.T) {
			for how, s := range renderings(v) {
				if l := leaks(s); len(l) > 0 {
					t.Errorf("%s prints a secret (%q): %s", how, l, s)
				}
			}
		})
	}
	// The check can fail: a plain struct holding the same config leaks.
	leaky := struct{ Cfg aws.Config }{aws.Config{Credentials: credentials.NewStaticCredentialsProvider("AKID", accessSecret, "")}}
	if len(leaks(renderings(leaky)["%+v"])) == 0 {
		t.Fatal("the leak detector finds nothing in a plain aws.Config")
	}
}

// reachingSeeds are the types outside the library that hold credentials
// or reach them: an exported library type with a field of one of these (or
// of a library type that reaches one) must redact its renderings.
var reachingSeeds = []*regexp.Regexp{
	regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/aws\.(Config|Credentials|CredentialsProvider|CredentialsCache)$`),
	regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/credentials(/stscreds)?\..*$`),
	regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/(service|feature)/[^.]+\.(Client|PresignClient|.*APIClient)$`),
	// Keyed crypto holds its key (an AES cipher its key schedule, whose
	// first words are the key), and a Redis client its options' password.
	regexp.MustCompile(`^crypto/cipher\.(AEAD|Block|Stream|BlockMode)$`),
	regexp.MustCompile(`^hash\.Hash$`),
	regexp.MustCompile(`^github\.com/redis/go-redis/v9\.(Client|ClusterClient|UniversalClient|Options|ClusterOptions|UniversalOptions|Ring|RingOptions|FailoverOptions)$`),
}

// secretFieldName marks fields that are secrets by name: the Deriver's HMAC
// key, secret access keys, session tokens, passwords.
var secretFieldName = regexp.MustCompile(`(?i)secret|password|sessiontoken|privatekey`)

// notLibrary are the directories whose types the rule does not cover: the
// local AWS (its keys are its own test keys, which open nothing outside it),
// test helpers, examples and the integration suite.
var notLibrary = []string{"localaws", "examples", "integration", "internal/connectortest", "internal/fakedns", "testdata", ".git", ".ci", "scripts"}

func TestEveryTypeThatReachesASecretIsListed(t *testing.T) {
	reach := secretReachingTypes(t)
	listed := secretReachers(t)
	var missing []string
	for _, name := range reach {
		if _, ok := listed[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("these exported types hold or reach a secret but are not in secretReachers: %v; give each String, GoString, Format (internal/redact), LogValue (and MarshalJSON if it has exported fields) that print no secret, and add it to the table", missing)
	}
	for _, want := range []string{"connectors.Resolver", "signedhttp.Transport", "s3.Connector", "scope.Deriver", "role.Cache"} {
		if !slices.Contains(reach, want) {
			t.Errorf("the enumeration misses %s, which holds a secret: the enumeration is broken", want)
		}
	}
}

// secretReachingTypes returns the exported library types ("pkg.Type", by
// package name) that hold or reach a secret, from the source: the struct
// fields of every type, followed through the module's own types (exported
// or not) to a fixpoint.
func secretReachingTypes(t *testing.T) []string {
	type typeInfo struct {
		pkgPath, pkgName, name string
		refs                   []string // qualified names of the types its fields mention
		direct                 bool     // holds a secret by a field's name or type
	}
	types := map[string]*typeInfo{} // by "importpath.Name"
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			for _, skip := range notLibrary {
				if p == skip {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" {
			return nil
		}
		pkgPath := modulePath
		if dir := filepath.ToSlash(filepath.Dir(p)); dir != "." {
			pkgPath += "/" + dir
		}
		imports := map[string]string{}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			name := path.Base(ip)
			if imp.Name != nil {
				name = imp.Name.Name
			} else if strings.HasPrefix(name, "v") && len(name) <= 3 { // .../signer/v4, .../go-redis/v9
				name = path.Base(path.Dir(ip))
			}
			imports[name] = ip
			if i := strings.LastIndex(name, "-"); i >= 0 && imp.Name == nil { // go-redis is package redis
				imports[name[i+1:]] = ip
			}
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				ti := &typeInfo{pkgPath: pkgPath, pkgName: f.Name.Name, name: ts.Name.Name}
				var walk func(e ast.Expr, fieldName string)
				walk = func(e ast.Expr, fieldName string) {
					switch x := e.(type) {
					case *ast.Ident:
						if secretFieldName.MatchString(fieldName) && (x.Name == "string" || x.Name == "Secret") {
							ti.direct = true
						}
						if !isPredeclared(x.Name) {
							ti.refs = append(ti.refs, pkgPath+"."+x.Name)
						}
					case *ast.SelectorExpr:
						if pkg, ok := x.X.(*ast.Ident); ok {
							ti.refs = append(ti.refs, imports[pkg.Name]+"."+x.Sel.Name)
						}
					case *ast.StarExpr:
						walk(x.X, fieldName)
					case *ast.ArrayType:
						if id, ok := x.Elt.(*ast.Ident); ok && id.Name == "byte" && secretFieldName.MatchString(fieldName) {
							ti.direct = true
						}
						walk(x.Elt, fieldName)
					case *ast.MapType:
						walk(x.Key, fieldName)
						walk(x.Value, fieldName)
					case *ast.ChanType:
						walk(x.Value, fieldName)
					case *ast.IndexExpr:
						walk(x.X, fieldName)
						walk(x.Index, fieldName)
					case *ast.IndexListExpr:
						walk(x.X, fieldName)
						for _, i := range x.Indices {
							walk(i, fieldName)
						}
					case *ast.StructType:
						for _, fld := range x.Fields.List {
							name := ""
							if len(fld.Names) > 0 {
								name = fld.Names[0].Name
							}
							walk(fld.Type, name)
						}
					}
					// Functions and interfaces print as addresses or as the
					// value they hold, which is itself a listed type.
				}
				walk(ts.Type, "")
				if id, ok := ts.Type.(*ast.Ident); ok && id.Name == "string" && secretFieldName.MatchString(ts.Name.Name) {
					ti.direct = true // a secret type itself, such as connectors.Secret
				}
				types[pkgPath+"."+ts.Name.Name] = ti
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reaches := map[string]bool{}
	for q, ti := range types {
		if ti.direct {
			reaches[q] = true
		}
		for _, r := range ti.refs {
			for _, seed := range reachingSeeds {
				if seed.MatchString(r) {
					reaches[q] = true
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for q, ti := range types {
			if reaches[q] {
				continue
			}
			for _, r := range ti.refs {
				if reaches[r] {
					reaches[q], changed = true, true
					break
				}
			}
		}
	}
	var out []string
	for q := range reaches {
		ti := types[q]
		if ast.IsExported(ti.name) && !strings.Contains(ti.pkgPath, "/internal") {
			out = append(out, ti.pkgName+"."+ti.name)
		}
	}
	slices.Sort(out)
	if len(types) < 50 {
		t.Fatalf("parsed only %d types; is the test running from the module root?", len(types))
	}
	return out
}

func isPredeclared(name string) bool {
	switch name {
	case "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8", "int16", "int32", "int64",
		"rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "any", "comparable":
		return true
	}
	return false
}

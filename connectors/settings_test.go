package connectors

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/scope"
)

func TestSettingsPrincipalDiscovered(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ctx := context.Background()
	ident := &countingIdentity{next: sts.NewFromConfig(e.srv.Config(nil)), fail: 1}
	s := NewSettings(e.r, func(o *SettingsOptions) { o.STS = ident })

	_, err := s.Principal(ctx)
	require.ErrorContains(t, err, "sts:GetCallerIdentity")
	require.ErrorContains(t, err, "Options.PlatformAccountID")
	calls := ident.calls.Load()

	p, err := s.Principal(ctx)
	require.NoError(t, err, "a failure is not kept: the next call asks again")
	require.Equal(t, Principal{AccountID: e.srv.PlatformAccountID(), Partition: "aws",
		ARN:       "arn:aws:iam::" + e.srv.PlatformAccountID() + ":root",
		CallerARN: "arn:aws:iam::" + e.srv.PlatformAccountID() + ":user/platform", Discovered: true}, p)
	after := ident.calls.Load()
	require.Greater(t, after, calls)
	for range 5 {
		again, err := s.Principal(ctx)
		require.NoError(t, err)
		require.Equal(t, p, again)
	}
	require.Equal(t, after, ident.calls.Load(), "a success is kept: no further call")

	// A role in another partition cannot trust this platform.
	_, err = p.For("arn:aws-cn:iam::444455556666:role/x")
	require.ErrorIs(t, err, ErrPartitionMismatch)
	require.ErrorContains(t, err, `"aws-cn"`)
}

func TestSettingsPrincipalDiscoveryDeduplicated(t *testing.T) {
	e := newSwitchEnv(t, scope.WorkspaceMode)
	ident := &countingIdentity{next: sts.NewFromConfig(e.srv.Config(nil)), gate: make(chan struct{}), started: make(chan struct{}, 1)}
	s := NewSettings(e.r, func(o *SettingsOptions) { o.STS = ident })
	ctx, cancel := context.WithCancel(context.Background())
	// A caller that gives up does not cancel the shared discovery.
	gaveUp := make(chan error, 1)
	go func() { _, err := s.Principal(ctx); gaveUp <- err }()
	<-ident.started
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			p, err := s.Principal(context.Background())
			require.NoError(t, err)
			require.Equal(t, e.srv.PlatformAccountID(), p.AccountID)
		})
	}
	cancel()
	require.ErrorIs(t, <-gaveUp, context.Canceled)
	close(ident.gate)
	wg.Wait()
	require.Equal(t, int32(1), ident.calls.Load(), "one GetCallerIdentity for every concurrent caller")
}

func TestSettingsPrincipalConfigured(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		configured, roleARN, want string
	}{
		{"999988887777", "arn:aws:iam::444455556666:role/x", "arn:aws:iam::999988887777:root"},
		{"999988887777", "arn:aws-cn:iam::444455556666:role/x", "arn:aws-cn:iam::999988887777:root"},
		{"arn:aws:iam::999988887777:role/platform", "arn:aws:iam::444455556666:role/x", "arn:aws:iam::999988887777:role/platform"},
		{"arn:aws-us-gov:iam::999988887777:root", "arn:aws-us-gov:iam::444455556666:role/x", "arn:aws-us-gov:iam::999988887777:root"},
	}
	for _, tt := range tests {
		ident := &countingIdentity{}
		r := NewResolver(aws.Config{}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil, func(o *Options) { o.PlatformAccountID = tt.configured })
		s := NewSettings(r, func(o *SettingsOptions) { o.STS = ident })
		p, err := s.Principal(ctx)
		require.NoError(t, err)
		require.False(t, p.Discovered)
		require.Equal(t, "999988887777", p.AccountID)
		got, err := p.For(tt.roleARN)
		require.NoError(t, err)
		require.Equal(t, tt.want, got)
		doc, err := s.TrustPolicy(ctx, "12345", "", tt.roleARN)
		require.NoError(t, err)
		require.True(t, doc.Admits(tt.want, "awsconnect_iam_external_id_12345"))
		require.Zero(t, ident.calls.Load(), "a configured principal needs no STS call")
	}
	r := NewResolver(aws.Config{}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil, func(o *Options) {
		o.PlatformAccountID = "arn:aws:iam::999988887777:role/platform"
	})
	p, err := NewSettings(r).Principal(ctx)
	require.NoError(t, err)
	_, err = p.For("arn:aws-cn:iam::444455556666:role/x")
	require.ErrorIs(t, err, ErrPartitionMismatch)
	_, err = p.For("arn:aws:iam::44445555666:role/x")
	require.ErrorContains(t, err, "arn:aws:iam::44445555666:role/x")
}

func TestSettingsExternalIDAndScreen(t *testing.T) {
	ctx := context.Background()
	e := newSwitchEnv(t, scope.WorkspaceMode)
	s := e.settings

	info, err := s.ExternalID(ctx, swWorkspace, "6789")
	require.NoError(t, err)
	require.Equal(t, ExternalIDInfo{WorkspaceID: swWorkspace, Mode: scope.WorkspaceMode,
		ModeTitle: "Single external ID for the workspace", ExternalID: wsID}, info, "in workspace mode a project uses the workspace's ID")

	scr, err := s.Screen(ctx, swWorkspace, "6789", "6790")
	require.NoError(t, err)
	require.Equal(t, scope.WorkspaceMode, scr.Mode)
	require.Equal(t, []ModeChoice{{scope.WorkspaceMode, scope.WorkspaceMode.Title(), true}, {scope.ProjectMode, scope.ProjectMode.Title(), false}}, scr.Modes)
	require.Len(t, scr.ExternalIDs, 1)
	require.Equal(t, e.srv.PlatformAccountID(), scr.Principal.AccountID)

	require.NoError(t, e.scopes.SetMode(ctx, swWorkspace, scope.ProjectMode))
	_, err = s.ExternalID(ctx, swWorkspace, "")
	require.ErrorContains(t, err, "name the project")
	info, err = s.ExternalID(ctx, swWorkspace, "6789")
	require.NoError(t, err)
	require.Equal(t, proj6789, info.ExternalID)
	require.Equal(t, "6789", info.ProjectID)
	scr, err = s.Screen(ctx, swWorkspace, "6789", "6790")
	require.NoError(t, err)
	require.Equal(t, []string{proj6789, proj6790}, []string{scr.ExternalIDs[0].ExternalID, scr.ExternalIDs[1].ExternalID})

	// The trust policy the screen shows is the one the role needs: the
	// connection works once the customer pastes it.
	doc, err := s.TrustPolicy(ctx, swWorkspace, "6789", e.roles["devops"])
	require.NoError(t, err)
	e.paste(t, e.roles["devops"], doc)
	require.Equal(t, "works with "+proj6789, e.works(t)["c-devops"])

	_, err = s.ExternalID(ctx, "unknown", "")
	require.ErrorIs(t, err, ErrUnknownWorkspace)
	require.ErrorContains(t, err, `"unknown"`)
	_, err = s.ExternalID(ctx, "", "")
	require.ErrorContains(t, err, "workspace ID is empty")
	_, err = s.ExternalID(ctx, swWorkspace, "a_b")
	require.ErrorIs(t, err, scope.ErrInvalidTenantID)
}

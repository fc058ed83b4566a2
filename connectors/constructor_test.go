package connectors

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

// typedOptions and typedConnector stand in for a connector package's.
type typedOptions struct{ region string }

type typedConnector struct {
	testChecker
	region string
}

func TestConstructor(t *testing.T) {
	errRefused := errors.New("refused")
	newFrom := func(cfg aws.Config, c Connection, optFns ...func(*typedOptions)) (*typedConnector, error) {
		if c.ID == "bad" {
			return nil, errRefused
		}
		o := typedOptions{region: cfg.Region}
		for _, fn := range optFns {
			fn(&o)
		}
		return &typedConnector{region: o.region}, nil
	}
	newFn := Constructor(newFrom)

	got, err := newFn(aws.Config{Region: "eu-west-1"}, Connection{ID: "good"})
	require.NoError(t, err)
	require.Equal(t, &typedConnector{region: "eu-west-1"}, got, "the typed connector, built with no options")
	_, err = newFn(aws.Config{}, Connection{ID: "bad"})
	require.ErrorIs(t, err, errRefused)
}

func TestCheckConnection(t *testing.T) {
	k := Kind{Name: "s3", Fields: []Field{{Key: "bucket", Label: "Bucket"}, {Key: "prefix", Label: "Prefix"}}}
	require.NoError(t, k.CheckConnection(Connection{ID: "c", Kind: "s3", Fields: map[string]string{"bucket": "b"}}))

	err := k.CheckConnection(Connection{ID: "c", Kind: "lambda"})
	require.EqualError(t, err, `s3: NewFromConnection: connection "c" is of kind "lambda", not "s3"`)

	err = k.CheckConnection(Connection{ID: "c", Kind: "s3", Fields: map[string]string{"bucktet": "b"}})
	require.ErrorIs(t, err, ErrUnknownField)
	require.ErrorContains(t, err, `"bucktet" for connector kind "s3"; its fields are "bucket", "prefix"`)
}

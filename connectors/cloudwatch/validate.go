package cloudwatch

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// ErrInvalidInput is returned (wrapped) when an argument breaks one of
// CloudWatch's documented rules; the message names the rule.
var ErrInvalidInput = errors.New("cloudwatch: invalid input")

// CloudWatch's per-datum limits (PutMetricData API reference).
const (
	MaxDimensions     = 30   // dimensions per metric
	MaxValuesPerDatum = 150  // entries of Values (and Counts) per datum
	maxDimensionValue = 1024 // characters of a dimension value
)

var (
	logGroupRE  = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)
	logStreamRE = regexp.MustCompile(`^[^:*]{1,512}$`)
)

func validateNamespace(ns string) error {
	switch {
	case ns == "":
		return fmt.Errorf("%w: the namespace is empty", ErrInvalidInput)
	case len(ns) > 255:
		return fmt.Errorf("%w: namespace %s is %d characters; at most 255", ErrInvalidInput, echo.Quote(ns), len(ns))
	case strings.HasPrefix(ns, ":"):
		return fmt.Errorf("%w: namespace %s must not start with ':'", ErrInvalidInput, echo.Quote(ns))
	}
	return nil
}

func validateLogGroup(g string) error {
	if !logGroupRE.MatchString(g) {
		return fmt.Errorf("%w: log group name %s must be 1-512 letters, digits, '.', '-', '_', '/' or '#'", ErrInvalidInput, echo.Quote(g))
	}
	return nil
}

func validateLogStream(s string) error {
	if !logStreamRE.MatchString(s) {
		return fmt.Errorf("%w: log stream name %s must be 1-512 characters without ':' or '*'", ErrInvalidInput, echo.Quote(s))
	}
	return nil
}

// validateDatum checks one metric datum against PutMetricData's rules, so
// that a bad datum is reported by index before any batch is sent.
func validateDatum(i int, d types.MetricDatum) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: MetricData[%d] (%s): %s", ErrInvalidInput, i, echo.Quote(deref(d.MetricName)), fmt.Sprintf(format, args...))
	}
	if n := len(deref(d.MetricName)); n == 0 || n > 255 {
		return bad("MetricName must be 1-255 characters")
	}
	if len(d.Dimensions) > MaxDimensions {
		return bad("%d dimensions; CloudWatch accepts at most %d", len(d.Dimensions), MaxDimensions)
	}
	seen := make(map[string]bool, len(d.Dimensions))
	for j, dim := range d.Dimensions {
		name, value := deref(dim.Name), deref(dim.Value)
		if len(name) == 0 || len(name) > 255 {
			return bad("Dimensions[%d]: name must be 1-255 characters", j)
		}
		if len(value) == 0 || len(value) > maxDimensionValue {
			return bad("Dimensions[%d] (%s): value must be 1-%d characters", j, name, maxDimensionValue)
		}
		if seen[name] {
			return bad("dimension %s appears twice", echo.Quote(name))
		}
		seen[name] = true
	}
	kinds := 0
	if d.Value != nil {
		kinds++
		if math.IsNaN(*d.Value) || math.IsInf(*d.Value, 0) {
			return bad("Value is %v; CloudWatch rejects NaN and infinities", *d.Value)
		}
	}
	if d.StatisticValues != nil {
		kinds++
		s := d.StatisticValues
		if s.Maximum == nil || s.Minimum == nil || s.SampleCount == nil || s.Sum == nil {
			return bad("StatisticValues needs Maximum, Minimum, SampleCount and Sum")
		}
		if *s.Minimum > *s.Maximum {
			return bad("StatisticValues: Minimum %v is above Maximum %v", *s.Minimum, *s.Maximum)
		}
	}
	if d.Values != nil {
		kinds++
		if len(d.Values) > MaxValuesPerDatum {
			return bad("%d Values; at most %d per datum, split the datum", len(d.Values), MaxValuesPerDatum)
		}
		if d.Counts != nil && len(d.Counts) != len(d.Values) {
			return bad("%d Counts for %d Values; give one count per value", len(d.Counts), len(d.Values))
		}
	}
	if kinds != 1 {
		return bad("give exactly one of Value, Values or StatisticValues")
	}
	if r := d.StorageResolution; r != nil && *r != 1 && *r != 60 {
		return bad("StorageResolution %d; use 1 (high resolution) or 60 (standard)", *r)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

package policy

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// hugePolicy returns a syntactically valid policy of about n bytes: one
// statement with a long Resource list, the shape of the 7.3 MB paste that
// made Parse allocate 155 MiB.
func hugePolicy(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"arn:aws:s3:::bucket/object-` + strconv.Itoa(i) + `"`)
	}
	b.WriteString(`]}]}`)
	return b.Bytes()
}

// TestParseRefusesOversizedInput: a 7.3 MB document is refused with
// ErrInputTooLarge, the message names its size and the cap, and Parse
// allocates next to nothing on the way (the cap is checked before decoding).
func TestParseRefusesOversizedInput(t *testing.T) {
	data := hugePolicy(7_300_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse(data)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrInputTooLarge)
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	require.Contains(t, err.Error(), strconv.Itoa(len(data))+" bytes")
	require.Contains(t, err.Error(), strconv.Itoa(MaxParseSize))
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "Parse allocated %d bytes before refusing", after.TotalAlloc-before.TotalAlloc)
	allocs := testing.AllocsPerRun(10, func() { _, _ = Parse(data) })
	require.LessOrEqual(t, allocs, 5.0)
}

// TestParseSizeLimitBoundary: a document of exactly MaxParseSize bytes
// parses; one byte more is refused. Every real policy is far below: IAM's
// largest quota is 10,240 characters.
func TestParseSizeLimitBoundary(t *testing.T) {
	data := hugePolicy(MaxParseSize - 200)
	pad := MaxParseSize - len(data)
	require.GreaterOrEqual(t, pad, 0)
	atLimit := append(append([]byte{}, data...), strings.Repeat(" ", pad)...)
	require.Len(t, atLimit, MaxParseSize)
	_, err := Parse(atLimit)
	require.NoError(t, err)
	_, err = Parse(append(atLimit, ' '))
	require.ErrorIs(t, err, ErrInputTooLarge)
	require.Greater(t, MaxParseSize, 10*inlineRolePolicyQuota)
}

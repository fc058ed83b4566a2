package lex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/sigv4"
)

// DefaultAliasID is Lex's built-in test alias, TestBotAlias.
const DefaultAliasID = "TSTALIASID"

// maxResponse bounds a response body read into memory; Lex answers are small.
const maxResponse = 4 << 20

// Options configures a [Connector].
//
// It is read only by the constructor, which keeps a copy.
type Options struct {
	// BotID is the bot used when a [Ref] names none. Default "". Optional.
	BotID string
	// BotAliasID is the alias used when a Ref names none. Default
	// DefaultAliasID. Optional.
	BotAliasID string
	// LocaleID is the locale used when a Ref names none. Default "en_US".
	// Optional.
	LocaleID string
	// AccountID is the bot's account, for the bot-alias ARN in Check's
	// permission hints. Default "*" (connectors.Connection's role ARN gives it
	// when the connector comes from the registry). Optional.
	AccountID string
	// Endpoint is the runtime endpoint. Default the aws.Config's BaseEndpoint,
	// else the region's runtime endpoint, runtime-v2-lex.REGION and the
	// partition's DNS suffix. Optional.
	Endpoint string
	// HTTP adjusts the signing transport. Default none. Optional.
	HTTP []func(*sigv4.Options)
}

// Ref addresses a conversation: bot, alias, locale and session. Empty
// fields take the connector's [Options].
//
// It is a plain value: safe to copy and to read from several goroutines.
type Ref struct {
	// BotID is the bot's 10-character ID. Default Options.BotID. Optional.
	BotID string
	// BotAliasID is the alias to talk to. Default Options.BotAliasID.
	// Optional.
	BotAliasID string
	// LocaleID is the bot locale, such as en_US. Default Options.LocaleID.
	// Optional.
	LocaleID string
	// SessionID names the conversation: 2-100 characters of [0-9a-zA-Z._:-]. Required.
	SessionID string
}

// Connector is the Amazon Lex V2 runtime connector, speaking the REST-JSON
// API over connectors/sigv4 (the SDK's lexruntimev2 module is not used).
//
// A Connector is safe for concurrent use by multiple goroutines.
type Connector struct {
	http     *sigv4.Connector
	endpoint string
	region   string
	opts     Options
}

// New returns a Connector for the connection whose aws.Config is cfg (from
// connectors.Resolver.Config).
func New(cfg aws.Config, optFns ...func(*Options)) *Connector {
	o := Options{BotAliasID: DefaultAliasID, LocaleID: "en_US", AccountID: "*"}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Endpoint == "" && cfg.BaseEndpoint != nil {
		o.Endpoint = *cfg.BaseEndpoint
	}
	if o.Endpoint == "" {
		o.Endpoint = connectors.RegionalEndpoint("runtime-v2-lex", cfg.Region)
	}
	httpOpts := append([]func(*sigv4.Options){func(so *sigv4.Options) {
		so.Service, so.Region = "lex", cfg.Region
	}}, o.HTTP...)
	return &Connector{
		http:     sigv4.New(cfg, httpOpts...),
		endpoint: strings.TrimRight(o.Endpoint, "/"),
		region:   cfg.Region,
		opts:     o,
	}
}

// resolve fills a Ref's empty fields and validates it.
func (c *Connector) resolve(r Ref) (Ref, error) {
	if r.BotID == "" {
		r.BotID = c.opts.BotID
	}
	if r.BotAliasID == "" {
		r.BotAliasID = c.opts.BotAliasID
	}
	if r.LocaleID == "" {
		r.LocaleID = c.opts.LocaleID
	}
	if err := validateRef(r); err != nil {
		return Ref{}, err
	}
	return r, nil
}

func (c *Connector) sessionURL(r Ref, suffix string) string {
	return c.endpoint + "/bots/" + url.PathEscape(r.BotID) + "/botAliases/" + url.PathEscape(r.BotAliasID) +
		"/botLocales/" + url.PathEscape(r.LocaleID) + "/sessions/" + url.PathEscape(r.SessionID) + suffix
}

// call sends one request and returns the response with its body read; an
// error answer becomes an *Error.
func (c *Connector) call(ctx context.Context, op, method, u string, in any) (*http.Response, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, nil, fmt.Errorf("lex: %s: encoding the request: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, nil, fmt.Errorf("lex: %s: %w", op, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("lex: %s: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, nil, fmt.Errorf("lex: %s: reading the response: %w", op, err)
	}
	if resp.StatusCode >= 300 {
		return nil, nil, newError(op, resp, data)
	}
	return resp, data, nil
}

func decode(op string, data []byte, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("lex: %s: decoding the response: %w", op, err)
	}
	return nil
}

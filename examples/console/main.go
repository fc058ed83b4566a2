package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/awsconnect/awsconnect/localaws"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address the console listens on (keep it on loopback: the console has no login)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err == nil {
		err = serve(ctx, ln, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}

// serve serves the console on ln, against an embedded local AWS, until ctx
// ends, and closes ln; it prints the console's address on out.
func serve(ctx context.Context, ln net.Listener, out io.Writer) error {
	defer ln.Close()
	local, err := localaws.Start()
	if err != nil {
		return err
	}
	defer local.Close()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	c, err := newConsole(ctx, local, log)
	if err != nil {
		return err
	}
	defer c.Close()
	srv := &http.Server{Handler: c.handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(out, "awsconnect console on http://%s (the local AWS at %s; Ctrl-C stops both)\n", ln.Addr(), local.URL())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

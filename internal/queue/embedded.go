package queue

import (
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// embeddedStart bounds the wait for the embedded server to accept clients.
const embeddedStart = 10 * time.Second

// startEmbedded runs a NATS server with JetStream inside the process. It
// opens no port: the process's own connection is in-process. dir holds the
// stream; empty means a temporary folder.
func startEmbedded(dir string) (*server.Server, error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "idtriage-nats-")
		if err != nil {
			return nil, fmt.Errorf("embedded NATS folder: %w", err)
		}
		dir = tmp
	}
	srv, err := server.NewServer(&server.Options{
		ServerName: "idtriage-embedded",
		JetStream:  true,
		StoreDir:   dir,
		DontListen: true,
		NoSigs:     true,
		NoLog:      true,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(embeddedStart) {
		srv.Shutdown()
		return nil, fmt.Errorf("embedded NATS not ready after %s", embeddedStart)
	}
	return srv, nil
}

func (q *Queue) shutdownEmbedded() {
	if q.srv == nil {
		return
	}
	q.srv.Shutdown()
	q.srv.WaitForShutdown()
	q.srv = nil
}

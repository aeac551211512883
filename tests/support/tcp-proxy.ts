import type { Socket, TCPSocketListener } from "bun";

interface Pair {
  client: Socket<Pair>;
  upstream?: Socket<Pair>;
  /** Bytes the client sent before the upstream connection was open. */
  pending: Uint8Array[];
}

/**
 * A TCP proxy a test controls, between the app and a service: `cut()` closes every connection and
 * refuses new ones, as a restarting or unreachable server would; `restore()` listens again on the
 * same port.
 */
export async function tcpProxy(target: { hostname: string; port: number }) {
  const pairs = new Set<Pair>();
  let listener: TCPSocketListener<Pair> | undefined;
  let port = 0;

  function listen() {
    listener = Bun.listen<Pair>({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(client) {
          const pair: Pair = { client, pending: [] };
          client.data = pair;
          pairs.add(pair);
          Bun.connect<Pair>({
            hostname: target.hostname,
            port: target.port,
            socket: {
              open(upstream) {
                upstream.data = pair;
                pair.upstream = upstream;
                for (const chunk of pair.pending.splice(0)) upstream.write(chunk);
              },
              data(_upstream, chunk) {
                pair.client.write(chunk);
              },
              close() {
                pair.client.end();
                pairs.delete(pair);
              },
              error() {
                pair.client.end();
              },
            },
          }).catch(() => client.end());
        },
        data(client, chunk) {
          const { upstream, pending } = client.data;
          if (upstream) upstream.write(chunk);
          else pending.push(new Uint8Array(chunk));
        },
        close(client) {
          client.data.upstream?.end();
          pairs.delete(client.data);
        },
        error(client) {
          client.data.upstream?.end();
        },
      },
    });
    port = listener.port;
  }

  listen();
  return {
    port,
    /** Drops every connection and refuses new ones until `restore()`. */
    cut() {
      listener?.stop(true);
      listener = undefined;
      for (const pair of pairs) {
        pair.client.terminate();
        pair.upstream?.terminate();
      }
      pairs.clear();
    },
    restore() {
      if (!listener) listen();
    },
    close() {
      this.cut();
    },
  };
}

import type { Server } from "node:http";

/**
 * Stops `server` gracefully: no new connections, requests in progress finish, idle keep-alive
 * connections are closed (and each connection is closed as soon as its request is answered);
 * after `timeoutMs` the remaining connections are cut. Resolves with whether everything finished
 * in time.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    // A response written after the close carries "Connection: close", so its socket ends with it.
    server.on("request", (_req, res) => res.setHeader("Connection", "close"));
    // Sockets waiting for their next request would otherwise keep the server open until they time out.
    const idle = setInterval(() => server.closeIdleConnections(), 250);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(idle);
      resolve(!forced);
    });
    server.closeIdleConnections();
  });
}

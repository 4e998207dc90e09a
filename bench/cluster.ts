// node --import tsx bench/cluster.ts N — N app servers (build/index.js, unchanged) behind one port,
// for the "several servers" benchmark. Node's cluster module is the load balancer: the primary
// accepts each connection and hands its socket to the next worker in turn (round robin), as an L4
// balancer does; it never reads or copies the bytes of a request, so its cost is one accept and
// one handle passed over IPC per connection (keep-alive connections stay with their worker). No
// dependency to install: `npm run bench` starts it on any machine. README, "Benchmarks".
import cluster from "node:cluster";
import path from "node:path";
import { fileURLToPath } from "node:url";

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) {
  console.error("Usage : node --import tsx bench/cluster.ts <nombre de serveurs>");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Round robin is already the default on Linux; said here so that no platform default decides it.
cluster.schedulingPolicy = cluster.SCHED_RR;
// The workers run the production build as `npm start` does, without this launcher's TypeScript loader.
cluster.setupPrimary({ exec: path.join(root, "build/index.js"), execArgv: [] });

let listening = 0;
let stopping = false;
let failed = false;
cluster.on("listening", () => {
  listening += 1;
  if (listening === count) console.log(`cluster : ${count} serveur(s) à l'écoute`);
});
cluster.on("exit", (worker, code, signal) => {
  if (!stopping) {
    // A server lost would skew the figures silently: stop everything instead.
    failed = true;
    console.error(`cluster : le serveur ${worker.process.pid} s'est arrêté (${signal ?? code}), arrêt des autres`);
    stop();
  }
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
});

function stop() {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

for (let i = 0; i < count; i++) cluster.fork();

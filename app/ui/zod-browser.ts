import { z } from "zod";

// zod compiles object parsers with `new Function` when eval is allowed, and probes for it once,
// as the first schema is built: under our CSP (no 'unsafe-eval') that probe is a violation the
// browser reports. In the browser, parse without the compiler (as correct; form schemas are small).
// Imported first by app/root.tsx, so it runs before any route module builds a schema. The server
// keeps the compiler.
if (typeof document !== "undefined") z.config({ jitless: true });

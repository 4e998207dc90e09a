// Lint: TypeScript's recommended rules, and one rule per arrow of the layers described in the
// README ("Architecture"). Formatting is Prettier's (`npm run lint` checks both).
import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import prettier from "eslint-config-prettier";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const DOMAIN = [
  "associations",
  "audit",
  "answers",
  "ballots",
  "catalogue",
  "comments",
  "identity",
  "moderation",
  "privacy",
  "reports",
  "territories",
  "voting",
];

export default tseslint.config(
  { ignores: ["build/**", "public/**", "node_modules/**", ".cache/**", "tests/.tmp/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // French typography: narrow no-break spaces in strings, comments and text are wanted.
      "no-irregular-whitespace": [
        "error",
        { skipStrings: true, skipComments: true, skipTemplates: true, skipJSXText: true, skipRegExps: true },
      ],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    // Migrations and the dialect switch work on Kysely<any>: migrations are frozen in time and
    // import no schema type (Kysely's own advice).
    files: ["db/migrations/**", "db/migrate.ts", "db/dialect.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { boundaries },
    settings: {
      "import/resolver": { typescript: { project: "./tsconfig.json" } },
      "boundaries/include": ["app/**/*", "db/**/*"],
      "boundaries/elements": [
        // Process entry points: the server, its worker, the start-up sequence, command-line tools.
        { type: "start", pattern: ["app/start", "app/cli"] },
        { type: "routes", pattern: "app/routes" },
        // HTTP glue beside the routes (guards to responses, page controllers): the routes layer.
        { type: "routes", pattern: "app/web" },
        { type: "tally", pattern: "app/tally" },
        { type: "domain", pattern: `app/(${DOMAIN.join("|")})` },
        { type: "ui", pattern: "app/ui" },
        { type: "platform", pattern: "app/platform" },
        { type: "db", pattern: "db" },
      ],
    },
    rules: {
      "boundaries/dependencies": [
        2,
        {
          default: "disallow",
          message:
            "Les couches vont dans un seul sens : routes → domaine → plateforme et base (voir README, Architecture).",
          policies: [
            {
              from: { element: { type: "start" } },
              allow: { to: { element: { types: { anyOf: ["start", "domain", "tally", "ui", "platform", "db"] } } } },
            },
            {
              from: { element: { type: "routes" } },
              allow: { to: { element: { types: { anyOf: ["routes", "domain", "tally", "ui", "platform", "db"] } } } },
            },
            {
              from: { element: { type: "domain" } },
              allow: { to: { element: { types: { anyOf: ["domain", "tally", "ui", "platform", "db"] } } } },
            },
            { from: { element: { type: "tally" } }, allow: { to: { element: { type: "tally" } } } },
            { from: { element: { type: "ui" } }, allow: { to: { element: { type: "ui" } } } },
            {
              from: { element: { type: "platform" } },
              allow: { to: { element: { types: { anyOf: ["platform", "db"] } } } },
            },
            { from: { element: { type: "db" } }, allow: { to: { element: { type: "db" } } } },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // The root route and the entry modules sit beside the routes folder, in the routes layer.
    files: ["app/*.tsx", "tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^~/|/app/|^\\./)(start|cli|routes)/",
              message: "Seul Remix charge les routes, et seul le démarrage charge app/start et app/cli.",
            },
          ],
        },
      ],
    },
  },
);

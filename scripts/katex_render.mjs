// Render TeX with KaTeX for the site build: one long-lived process per build, driven by
// ingest/site/math_render.py over a line protocol so that thousands of formulas cost one Node start.
//
//   node scripts/katex_render.mjs KATEX_PACKAGE_DIR
//
// First writes {"ready": true, "version": "..."}; then, for every JSON line {"tex": "...", "display": bool}
// read on stdin, writes exactly one JSON line: {"html": "..."} or {"error": "KaTeX parse error: ..."}.
import { createInterface } from "node:readline";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const katexDir = process.argv[2];
if (!katexDir) {
  process.stderr.write("usage: node katex_render.mjs KATEX_PACKAGE_DIR\n");
  process.exit(2);
}
const katex = (await import(pathToFileURL(join(katexDir, "dist", "katex.mjs")).href)).default;

const OPTIONS = {
  // A broken formula must be reported at build time, not rendered as red text for readers.
  throwOnError: true,
  // HTML for the eye plus MathML for screen readers and copy-paste.
  output: "htmlAndMathml",
  // \href, \url, \includegraphics and friends stay inert: page text is not trusted with links.
  trust: false,
  // Stray Unicode in math mode is common in Chinese text and harmless; do not chatter on stderr.
  strict: "ignore",
  // Keep a hostile \rule or \kern from producing absurd boxes.
  maxSize: 50,
};

function render(request) {
  try {
    return { html: katex.renderToString(String(request.tex), { ...OPTIONS, displayMode: Boolean(request.display) }) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

process.stdout.write(JSON.stringify({ ready: true, version: katex.version }) + "\n");

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let reply;
  try {
    reply = render(JSON.parse(line));
  } catch (error) {
    reply = { error: `bad request: ${error.message}` };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}

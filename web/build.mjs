// Builds the web UI into dist/: assets/app.HASH.js and assets/app.HASH.css
// (content-hashed, so parley serves them as immutable), a .gz beside each,
// and index.html pointing at them. Prints the sizes and fails when the
// gzipped JavaScript is over the budget.
//   node build.mjs            minified production build
//   node build.mjs --dev      unminified, with source maps
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_JS_GZIP = 150 * 1024; // the budget for the JS bundle, gzipped

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const dev = process.argv.includes('--dev');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

const result = await build({
	absWorkingDir: root,
	entryPoints: { app: 'src/main.jsx' },
	outdir: 'dist/assets',
	entryNames: '[name].[hash]',
	assetNames: '[name].[hash]',
	bundle: true,
	format: 'esm',
	target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
	jsx: 'automatic',
	jsxImportSource: 'preact',
	minify: !dev,
	sourcemap: dev ? 'linked' : false,
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
	define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
});

const outputs = Object.keys(result.metafile.outputs).map((p) => join(root, p));
const js = outputs.find((p) => p.endsWith('.js'));
const css = outputs.find((p) => p.endsWith('.css'));
if (!js || !css) {
	console.error('build.mjs: esbuild produced no app.js or app.css');
	process.exit(1);
}

// index.html: no inline script or style, so the CSP can forbid both.
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Parley</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${basename(css)}">
<script type="module" src="/assets/${basename(js)}"></script>
</head>
<body>
<div id="app"><noscript>Parley, a CRM communications hub, needs JavaScript turned on. Its HTTP API is described by the <a href="/api/v1/openapi.json">OpenAPI document</a>.</noscript></div>
</body>
</html>
`;
writeFileSync(join(dist, 'index.html'), html);

let over = false;
for (const file of [js, css]) {
	const raw = readFileSync(file);
	const gz = gzipSync(raw, { level: 9 });
	writeFileSync(`${file}.gz`, gz);
	const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
	console.log(`  ${basename(file).padEnd(24)} ${kb(raw.length).padStart(10)} raw ${kb(gz.length).padStart(10)} gzipped`);
	if (file === js && gz.length > BUDGET_JS_GZIP) {
		console.error(`build.mjs: the JS bundle is ${kb(gz.length)} gzipped, over the ${kb(BUDGET_JS_GZIP)} budget`);
		over = true;
	}
}
process.exit(over ? 1 : 0);

// Builds client-web/dist/: index.html, our ES modules and CSS under a content-hashed
// folder (so caches never serve a stale mix), and the NHS.UK frontend's compiled CSS, JS
// and assets copied from node_modules. No bundler: the browser loads plain ES modules.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const nhsukDir = join(here, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
if (!existsSync(nhsukDir)) {
  console.error('build: node_modules/nhsuk-frontend is missing; run `npm ci` first');
  process.exit(1);
}
const nhsukVersion = JSON.parse(readFileSync(join(here, 'node_modules', 'nhsuk-frontend', 'package.json'), 'utf8')).version;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p)); else out.push(p);
  }
  return out;
}

// Guards for the rules the server's Content-Security-Policy and our escaping rule impose.
const problems = [];
const srcFiles = walk(join(here, 'src')).filter((f) => f.endsWith('.js'));
for (const f of srcFiles) {
  const text = readFileSync(f, 'utf8');
  const rel = relative(here, f);
  if (/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(/.test(text)) problems.push(`${rel}: builds HTML from strings (use dom.js h())`);
  if (/\beval\(|new Function\(/.test(text)) problems.push(`${rel}: uses eval`);
  if (/setAttribute\(\s*['"]style['"]|\bstyle:\s*['"]/.test(text)) problems.push(`${rel}: sets a style attribute (CSP style-src 'self')`);
  if (/setAttribute\(\s*['"]on[a-z]+['"]/.test(text)) problems.push(`${rel}: sets an inline event handler`);
}
// Every module must at least parse (there is no bundler to tell us otherwise).
for (const f of srcFiles) {
  try { execFileSync(process.execPath, ['--check', f], { stdio: 'pipe' }); } catch (e) { problems.push(`${relative(here, f)}: ${String(e.stderr).split('\n').slice(0, 5).join(' ')}`); }
}
const indexHtml = readFileSync(join(here, 'index.html'), 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(indexHtml)) problems.push('index.html: inline <script>');
if (/\sstyle=/i.test(indexHtml) || /<style/i.test(indexHtml)) problems.push('index.html: inline style');
if (/\son[a-z]+=/i.test(indexHtml)) problems.push('index.html: inline event handler');
if (/https?:\/\//i.test(indexHtml)) problems.push('index.html: refers to another site');
if (problems.length) {
  console.error(`build: refusing to build:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

// The NHS.UK stylesheet loads the Frutiger web font from another site, which our CSP
// (font-src 'self') refuses and which we may not redistribute: drop those @font-face
// rules so the font stack falls back to Arial, as NHS.UK does without it.
let nhsCss = readFileSync(join(nhsukDir, 'nhsuk-frontend.min.css'), 'utf8');
nhsCss = nhsCss.replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, '');
nhsCss = nhsCss.replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
if (/url\(\s*["']?https?:/i.test(nhsCss)) {
  console.error('build: the NHS.UK stylesheet still refers to another site');
  process.exit(1);
}
const nhsJs = readFileSync(join(nhsukDir, 'nhsuk-frontend.min.js'), 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
const appCss = readFileSync(join(here, 'styles', 'app.css'), 'utf8');

const hash = createHash('sha256');
hash.update(nhsukVersion);
for (const f of srcFiles) { hash.update(relative(here, f)); hash.update(readFileSync(f)); }
hash.update(appCss); hash.update(indexHtml); hash.update(nhsCss); hash.update(nhsJs);
const tag = hash.digest('hex').slice(0, 12);
const staticDir = `static-${tag}`;

rmSync(dist, { recursive: true, force: true });
const out = join(dist, staticDir);
mkdirSync(join(out, 'vendor'), { recursive: true });
for (const f of srcFiles) {
  const target = join(out, relative(here, f));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(f, target);
}
writeFileSync(join(out, 'app.css'), appCss);
writeFileSync(join(out, 'vendor', 'nhsuk-frontend.min.css'), nhsCss);
writeFileSync(join(out, 'vendor', 'nhsuk-frontend.min.js'), nhsJs);
cpSync(join(nhsukDir, 'assets'), join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), indexHtml.replaceAll('%STATIC%', `/${staticDir}`));

const files = walk(dist);
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
console.log(`build: dist/ ready (${files.length} files, ${(bytes / 1024).toFixed(0)} KiB, nhsuk-frontend ${nhsukVersion}, ${staticDir})`);

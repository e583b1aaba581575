// Real-browser tests for the audit dashboard `gongkai check --html DIR` writes.
//
// The dashboard folder comes from GONGKAI_DASHBOARD (default ../../audit, relative to this folder);
// these tests build nothing. To make it from the sample catalog at the repository root:
//   cargo run --release -- check --as-of 2025-06-30 --html audit
// The folder is first copied to a temporary place and opened from there through file:// URLs, as a
// colleague would open it from a USB stick or a mail: every link must still work.
//
// Checked on every page at 1280 px: no horizontal overflow (scrollWidth <= 1280), no axe-core
// violation (WCAG 2.1 A/AA and best practices), every link relative and leading to a file (and
// fragment) inside the folder; on the overview, every cell of the grid says something in text.
//
// Chromium: /usr/bin/chromium, or CHROMIUM_PATH. Missing Chromium or dashboard: skipped locally,
// failing when CI is set.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.resolve(HERE, process.env.GONGKAI_DASHBOARD || "../../audit");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";
const WIDTH = 1280;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

function skipReason() {
  if (IN_CI) return false;
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk`;
  if (!fs.existsSync(path.join(SOURCE, "index.html")))
    return `no dashboard at ${SOURCE}: run \`cargo run --release -- check --as-of 2025-06-30 --html audit\` at the repository root, or set GONGKAI_DASHBOARD`;
  return false;
}
const SKIP = skipReason();
if (SKIP) console.log(`# SKIP dashboard tests: ${SKIP}`);

// The copy the tests open: somewhere else than where gongkai wrote it.
let copy = null;
function copied() {
  if (!copy) {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-dashboard-"));
    fs.cpSync(SOURCE, path.join(copy, "看板"), { recursive: true });
  }
  return path.join(copy, "看板");
}

let browserPromise = null;
function browser() {
  if (!browserPromise) {
    browserPromise = (async () => {
      const { chromium } = await import("playwright-core");
      return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        timeout: 30_000,
      });
    })();
  }
  return browserPromise;
}

after(async () => {
  if (browserPromise) {
    try {
      await (await browserPromise).close();
    } catch {}
  }
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

async function open(file) {
  const context = await (await browser()).newContext({ viewport: { width: WIDTH, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, context, errors };
}

function pages() {
  return fs
    .readdirSync(copied())
    .filter((f) => f.endsWith(".html"))
    .sort();
}

test("every dashboard page fits 1280 px, is axe-clean and links only inside its folder", { skip: SKIP }, async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const dir = copied();
  const names = pages();
  assert.ok(names.includes("index.html") && names.length > 1, `pages: ${names}`);
  const problems = [];
  for (const name of names) {
    const { page, context, errors } = await open(path.join(dir, name));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > WIDTH) problems.push(`${name}: scrollWidth ${width} > ${WIDTH}`);
    await page.addScriptTag({ content: axe });
    const violations = await page.evaluate(async (tags) => {
      const r = await axe.run(document, { runOnly: tags, resultTypes: ["violations"] });
      return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0]?.target}`);
    }, AXE_TAGS);
    for (const v of violations) problems.push(`${name}: axe ${v}`);
    const hrefs = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")));
    for (const href of hrefs) {
      const [file, fragment] = href.split("#");
      if (/^[a-z]+:/i.test(href) || href.startsWith("/") || file.includes("..")) {
        problems.push(`${name}: link ${href} is not inside the folder`);
        continue;
      }
      const target = path.join(dir, decodeURIComponent(file || name));
      if (!fs.existsSync(target)) {
        problems.push(`${name}: link ${href} leads to no file`);
        continue;
      }
      if (fragment && !fs.readFileSync(target, "utf8").includes(`id="${fragment}"`))
        problems.push(`${name}: link ${href} leads to no #${fragment}`);
    }
    for (const e of errors) problems.push(`${name}: console ${e}`);
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test("the overview says in text what every cell means, worst unit first", { skip: SKIP }, async () => {
  const { page, context } = await open(path.join(copied(), "index.html"));
  const grid = await page.evaluate(() => {
    const rows = [...document.querySelectorAll("table.grid tbody tr")];
    return {
      columns: document.querySelectorAll("table.grid thead th").length,
      silent: rows.flatMap((r) => [...r.querySelectorAll("td")]).filter((td) => td.textContent.trim() === "").length,
      cells: rows.flatMap((r) => [...r.querySelectorAll("td")]).length,
      blanks: rows.map((r) => Number((r.querySelector("td")?.textContent.match(/空(\d+)/) || [0, 0])[1])),
    };
  });
  await context.close();
  assert.equal(grid.columns, 2 + 26, "unit, totals and the 26 domains");
  assert.ok(grid.cells > 0);
  assert.equal(grid.silent, 0, "every cell has text, not only a colour");
  const sorted = [...grid.blanks].sort((a, b) => b - a);
  assert.deepEqual(grid.blanks, sorted, "rows are sorted by 空白栏目, most first");
});

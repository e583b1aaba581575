// Measures search recall on a built site: for every entry, every 2-, 3- and 4-character window
// of Chinese characters in its title is searched within the entry's unit with the real client
// (themes/default/static/search.js); the entry must be among the results.
// Usage: node recall.cjs <public-dir> ; prints one JSON object.
"use strict";
const fs = require("fs");
const path = require("path");
const { search } = require(path.join(__dirname, "../../themes/default/static/search.js"));

const site = process.argv[2];
const indexData = JSON.parse(fs.readFileSync(path.join(site, "data/index.json"), "utf8"));
let queries = 0, found = 0, top10 = 0;
const misses = [];
for (const unit of indexData.units) {
  const file = path.join(site, decodeURIComponent(unit.path), "search.json");
  const index = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const doc of index.docs.filter((d) => d.k === "e")) {
    const chars = Array.from(doc.t);
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const word = chars.slice(i, i + n).join("");
        if (!/^[\u4e00-\u9fff]+$/.test(word)) continue;
        queries++;
        const results = search([index], word);
        const rank = results.findIndex((r) => r.doc.u === doc.u);
        if (rank >= 0) found++;
        else if (misses.length < 20) misses.push({ unit: unit.path, title: doc.t, word });
        if (rank >= 0 && rank < 10) top10++;
      }
    }
  }
}
console.log(JSON.stringify({ queries, found, recall: found / queries, top10: top10 / queries, misses }));

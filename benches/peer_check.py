#!/usr/bin/env python3
"""Checks that a built site has a page for every entry of a catalog (peer.sh, untimed).

usage: peer_check.py CATALOG OUT NAME

Both gongkai and the Zola site written by zola_site.py put the entry units/A/B/X.md (or the
folder units/A/B/X/ with its index.md) at OUT/A/B/X/index.html. Each such page must exist and
show the entry's title and 索引号. Prints the number of entries checked; exits 1 and lists the
first missing ones otherwise.
"""

import html
import pathlib
import sys
import tomllib


def main():
    catalog, out, name = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    units = catalog / "units"
    checked, missing = 0, []
    for md in sorted(units.rglob("*.md")):
        front = tomllib.loads(md.read_text(encoding="utf-8").split("+++")[1])
        rel = md.relative_to(units)
        rel = rel.parent if md.name == "index.md" else rel.with_suffix("")
        checked += 1
        page = out / rel / "index.html"
        if not page.is_file():
            missing.append(f"{rel}：没有页面")
            continue
        text = html.unescape(page.read_text(encoding="utf-8"))
        missing += [f"{rel}：页面上没有 {key}" for key in ("title", "index_no") if front[key] not in text]
    if missing:
        print(f"{name} 的输出中，{checked} 条信息里有 {len(missing)} 条没有页面，或页面上缺标题、索引号（下列最多 10 条）：", file=sys.stderr)
        print("\n".join(missing[:10]), file=sys.stderr)
        sys.exit(1)
    print(checked)


main()

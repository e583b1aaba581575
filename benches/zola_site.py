#!/usr/bin/env python3
"""Writes a gongkai catalog's entries as a Zola site, for the side-by-side benchmark (peer.sh).

usage: zola_site.py CATALOG OUT

Every folder under CATALOG/units/ becomes a Zola section (`_index.md`, titled with the unit's
name from `unit.toml` or the folder name), every entry a page with the same Markdown body and
its title, publication date, 索引号, 文号 and publisher in the front matter; an entry kept as a
folder with attachments becomes a page bundle, so Zola copies the attachments as gongkai does.
The templates (base layout with header, navigation, breadcrumbs and footer; an entry page
showing its facts and body; a section page listing its sections and pages) do work comparable
to gongkai's theme. Nothing here is published; the output is deterministic.
"""

import os
import pathlib
import re
import shutil
import sys
import tomllib

CONFIG = """base_url = "https://example.gov.cn"
title = "政务公开"
default_language = "zh"
compile_sass = false
minify_html = false
generate_feeds = false
build_search_index = false

[markdown]
render_emoji = false
bottom_footnotes = false
"""

BASE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="stylesheet" href="{{ get_url(path="site.css") }}">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header><p class="site">{{ config.title }}</p>
<nav aria-label="栏目"><ul>
{% set root = get_section(path="_index.md", metadata_only=true) %}
{% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>
{% endfor %}</ul></nav></header>
<nav aria-label="当前位置" class="crumbs"><a href="{{ config.base_url | safe }}/">首页</a>
{% if page %}{% for a in page.ancestors %}{% if not loop.first %}{% set s = get_section(path=a, metadata_only=true) %} › <a href="{{ s.permalink | safe }}">{{ s.title }}</a>{% endif %}{% endfor %}{% elif section %}{% for a in section.ancestors %}{% if not loop.first %}{% set s = get_section(path=a, metadata_only=true) %} › <a href="{{ s.permalink | safe }}">{{ s.title }}</a>{% endif %}{% endfor %}{% endif %}
</nav>
<main id="main">{% block content %}{% endblock content %}</main>
<footer><p>主办单位：示例区人民政府办公室</p><p>网站标识码：0000000000</p></footer>
</body>
</html>
"""

PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock title %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
<dl class="facts">
<dt>索引号</dt><dd>{{ page.extra.index_no }}</dd>
{% if page.extra.doc_no %}<dt>文号</dt><dd>{{ page.extra.doc_no }}</dd>{% endif %}
<dt>发布机构</dt><dd>{{ page.extra.publisher }}</dd>
<dt>发布日期</dt><dd>{{ page.date | date(format="%Y-%m-%d") }}</dd>
</dl>
<div class="body">{{ page.content | safe }}</div>
{% if page.assets %}<h2>附件</h2><ul>{% for a in page.assets %}<li><a href="{{ get_url(path=a) | safe }}">{{ a | split(pat="/") | last }}</a></li>{% endfor %}</ul>{% endif %}
{% if page.higher %}<p>上一篇：<a href="{{ page.higher.permalink | safe }}">{{ page.higher.title }}</a></p>{% endif %}
{% if page.lower %}<p>下一篇：<a href="{{ page.lower.permalink | safe }}">{{ page.lower.title }}</a></p>{% endif %}
</article>
{% endblock content %}
"""

SECTION = """{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block content %}
<h1>{{ section.title }}</h1>
{% if section.subsections %}<ul class="sections">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endif %}
{% if section.pages %}<table><thead><tr><th scope="col">标题</th><th scope="col">文号</th><th scope="col">发布日期</th></tr></thead><tbody>
{% for p in section.pages %}<tr><td><a href="{{ p.permalink | safe }}">{{ p.title }}</a></td><td>{{ p.extra.doc_no | default(value="") }}</td><td>{{ p.date | date(format="%Y-%m-%d") }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
{% endblock content %}
"""

CSS = "body{font:16px/1.7 sans-serif;margin:0 auto;max-width:60em;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}\n"

FRONT = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n?(.*)\Z", re.S)


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def page(text):
    """The entry file `text` as a Zola page (front matter converted, body unchanged)."""
    m = FRONT.match(text)
    if not m:
        return None
    front = tomllib.loads(m.group(1))
    lines = [
        "+++",
        f"title = {toml_str(front['title'])}",
        f"date = {front['published']}",
        "[extra]",
        f"index_no = {toml_str(str(front.get('index_no', '')))}",
        f"publisher = {toml_str(str(front.get('publisher', '')))}",
    ]
    if front.get("doc_no"):
        lines.append(f"doc_no = {toml_str(front['doc_no'])}")
    lines.append("+++")
    return "\n".join(lines) + "\n" + m.group(2)


def main(catalog, out):
    units = pathlib.Path(catalog) / "units"
    out = pathlib.Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "templates").mkdir(parents=True)
    (out / "static").mkdir()
    (out / "config.toml").write_text(CONFIG, encoding="utf-8")
    (out / "templates" / "base.html").write_text(BASE, encoding="utf-8")
    (out / "templates" / "page.html").write_text(PAGE, encoding="utf-8")
    (out / "templates" / "section.html").write_text(SECTION, encoding="utf-8")
    (out / "templates" / "index.html").write_text(SECTION, encoding="utf-8")
    (out / "static" / "site.css").write_text(CSS, encoding="utf-8")
    content = out / "content"
    content.mkdir()
    (content / "_index.md").write_text('+++\ntitle = "政务公开"\nsort_by = "date"\n+++\n', encoding="utf-8")
    pages = 0
    for folder, dirs, files in os.walk(units):
        dirs.sort()
        here = pathlib.Path(folder)
        rel = here.relative_to(units)
        if "index.md" in files:
            # An entry kept as a folder with its attachments: a page bundle.
            target = content / rel
            target.mkdir(parents=True, exist_ok=True)
            text = page((here / "index.md").read_text(encoding="utf-8"))
            if text is not None:
                (target / "index.md").write_text(text, encoding="utf-8")
                pages += 1
            for name in sorted(files):
                if name != "index.md":
                    shutil.copyfile(here / name, target / name)
            dirs.clear()
            continue
        if rel != pathlib.Path("."):
            title = rel.name
            if "unit.toml" in files:
                title = tomllib.loads((here / "unit.toml").read_text(encoding="utf-8"))["name"]
            (content / rel).mkdir(parents=True, exist_ok=True)
            (content / rel / "_index.md").write_text(
                f'+++\ntitle = {toml_str(title)}\nsort_by = "date"\n+++\n', encoding="utf-8"
            )
        for name in sorted(files):
            if name.endswith(".md"):
                text = page((here / name).read_text(encoding="utf-8"))
                if text is not None:
                    (content / rel / name).write_text(text, encoding="utf-8")
                    pages += 1
    print(pages)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("用法：python3 benches/zola_site.py <gongkai 目录文件夹> <要写出的 Zola 网站文件夹>")
    main(sys.argv[1], sys.argv[2])

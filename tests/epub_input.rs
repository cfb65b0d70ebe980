//! Issue 15 item 2, EPUB in, through the binary. The books are made here with the `zip` crate
//! (no binaries in the repository): an EPUB 3 book with a navigation document, landmarks, a
//! cover, a title page, a copyright page, footnotes of both kinds, an endnotes document, a
//! `linear="no"` document and a paid block; an EPUB 2 book with an NCX and a guide; a Chinese
//! book piped to `build -`; and broken or hostile ones (no package, broken XML, a path that
//! climbs out of the book, a zip bomb, DRM, not a zip), each refused by name without a panic.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::*;
use serde_json::Value;
use zip::write::SimpleFileOptions;

const CONTAINER: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"##;

/// An EPUB: the `mimetype` entry first and stored, as the standard says, then `entries`.
fn epub(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/epub+zip").unwrap();
    for (name, text) in entries {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn xhtml(body: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title/></head>
{body}</html>"##
    )
}

fn opf3(metadata: &str, manifest: &str, spine: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>
<manifest>{manifest}</manifest><spine>{spine}</spine></package>"##
    )
}

/// The EPUB 3 book: everything a listener should not hear is marked the way publishers mark it.
fn lighthouse() -> Vec<u8> {
    let opf = opf3(
        r##"<dc:identifier id="id">urn:x</dc:identifier><dc:title>The Lighthouse Keeper</dc:title>
           <dc:creator id="a1">Ada Quill</dc:creator><dc:creator id="e1">Ed Itor</dc:creator>
           <meta refines="#e1" property="role" scheme="marc:relators">edt</meta>
           <dc:language>en</dc:language>"##,
        r##"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
           <item id="cover-img" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>
           <item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>
           <item id="title" href="text/title.xhtml" media-type="application/xhtml+xml"/>
           <item id="copy" href="text/copyright.xhtml" media-type="application/xhtml+xml"/>
           <item id="ch1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
           <item id="ch2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
           <item id="aside" href="text/aside.xhtml" media-type="application/xhtml+xml"/>
           <item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>"##,
        r##"<itemref idref="cover"/><itemref idref="title"/><itemref idref="copy"/><itemref idref="nav"/>
           <itemref idref="ch1"/><itemref idref="aside" linear="no"/><itemref idref="ch2"/><itemref idref="notes"/>"##,
    );
    let nav = xhtml(
        r##"<body><nav epub:type="toc"><h1>Contents</h1><ol>
             <li><a href="text/chapter%201.xhtml">Chapter One: The Stairs</a></li>
             <li><a href="text/ch2.xhtml">Chapter Two</a><ol><li><a href="text/ch2.xhtml#storm">A Storm</a></li></ol></li>
           </ol></nav>
           <nav epub:type="landmarks"><ol><li><a epub:type="cover" href="text/cover.xhtml">Cover</a></li>
             <li><a epub:type="copyright-page" href="text/copyright.xhtml">Copyright</a></li>
             <li><a epub:type="bodymatter" href="text/chapter%201.xhtml">Start</a></li></ol></nav></body>"##,
    );
    let cover = xhtml(r##"<body><div><img src="../images/cover.jpg" alt="Cover art of a lighthouse"/></div></body>"##);
    let title = xhtml(
        r##"<body epub:type="frontmatter titlepage"><h1>The Lighthouse Keeper</h1><p>A novel by Ada Quill</p></body>"##,
    );
    let copyright = xhtml(r##"<body><p>Copyright 2026 Example Press. All rights reserved.</p></body>"##);
    let ch1 = xhtml(
        r##"<body epub:type="bodymatter"><section epub:type="chapter"><header><h1>Chapter One</h1></header>
           <p>The keeper climbed the stairs.<a epub:type="noteref" href="#fn1">1</a></p>
           <p>He lit the lamp at dusk.<sup><a href="#n2">2</a></sup> The sea was calm.</p>
           <aside epub:type="footnote" id="fn1"><p>FOOTNOTE the stairs numbered two hundred.</p></aside>
           <div class="notes"><p id="n2"><a href="#back">2</a> OLDNOTE the lamp burned whale oil.</p></div>
           </section></body>"##,
    );
    let ch2 = xhtml(
        r##"<body><h1>Chapter Two</h1><p>Night fell over the rocks.</p>
           <h2 id="storm">A Storm</h2><p>Rain beat on the glass.</p>
           <p>##paidbegin##</p><p>The keeper kept a secret log.</p><p>##paidend##</p>
           <p>Dawn came at last.</p></body>"##,
    );
    let aside = xhtml(r##"<body><p>NONLINEAR a map of the coast.</p></body>"##);
    let notes = xhtml(
        r##"<body><section epub:type="endnotes"><h1>Notes</h1><ol><li id="e1"><p>ENDNOTE a source.</p></li></ol></section></body>"##,
    );
    epub(&[
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", &opf),
        ("OEBPS/nav.xhtml", &nav),
        ("OEBPS/text/cover.xhtml", &cover),
        ("OEBPS/text/title.xhtml", &title),
        ("OEBPS/text/copyright.xhtml", &copyright),
        ("OEBPS/text/chapter 1.xhtml", &ch1),
        ("OEBPS/text/ch2.xhtml", &ch2),
        ("OEBPS/text/aside.xhtml", &aside),
        ("OEBPS/text/notes.xhtml", &notes),
    ])
}

/// The EPUB 2 book: an NCX for the chapters and a guide for the cover, title page and contents.
fn two_cities() -> Vec<u8> {
    let opf = r##"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
  <dc:title>Two Towns</dc:title><dc:creator opf:role="aut">Bo Writer</dc:creator>
  <dc:creator opf:role="trl">Tim Translator</dc:creator><dc:language>en-GB</dc:language>
  <meta name="cover" content="cimg"/></metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
  <item id="cimg" href="cover.png" media-type="image/png"/>
  <item id="cover" href="cover.html" media-type="application/xhtml+xml"/>
  <item id="contents" href="contents.html" media-type="application/xhtml+xml"/>
  <item id="c1" href="chap01.html" media-type="application/xhtml+xml"/>
  <item id="c2" href="chap02.html" media-type="application/xhtml+xml"/></manifest>
<spine toc="ncx"><itemref idref="cover"/><itemref idref="contents"/><itemref idref="c1"/><itemref idref="c2"/></spine>
<guide><reference type="cover" title="Cover" href="cover.html"/><reference type="toc" title="Contents" href="contents.html"/></guide>
</package>"##;
    let ncx = r##"<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>Two Towns</text></docTitle>
<navMap><navPoint id="p1" playOrder="1"><navLabel><text>1. Beginnings</text></navLabel><content src="chap01.html"/></navPoint>
<navPoint id="p2" playOrder="2"><navLabel><text>2. Endings</text></navLabel><content src="chap02.html"/></navPoint></navMap></ncx>"##;
    let cover = xhtml(r##"<body><div class="cover"><img src="cover.png" alt="COVERALT"/></div></body>"##);
    let contents = xhtml(r##"<body><h1>CONTENTSPAGE</h1><p><a href="chap01.html">1. Beginnings</a></p></body>"##);
    let c1 = xhtml(
        r##"<body><h2 class="chapter"><a id="c1"/>1. Beginnings</h2><p>It was a quiet town by the river.</p>
           <h3>The Mill</h3><p>The mill turned all day.</p></body>"##,
    );
    let c2 = xhtml(r##"<body><h1>Endings</h1><p>The river froze that winter.</p></body>"##);
    epub(&[
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", opf),
        ("OEBPS/toc.ncx", ncx),
        ("OEBPS/cover.html", &cover),
        ("OEBPS/contents.html", &contents),
        ("OEBPS/chap01.html", &c1),
        ("OEBPS/chap02.html", &c2),
    ])
}

fn chinese() -> Vec<u8> {
    let opf = opf3(
        r##"<dc:identifier id="id">urn:zh</dc:identifier><dc:title>机关干部的五种意识</dc:title>
           <dc:creator>某某</dc:creator><dc:language>zh-CN</dc:language>"##,
        r##"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
           <item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
           <item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/>"##,
        r##"<itemref idref="nav" linear="no"/><itemref idref="c1"/><itemref idref="c2"/>"##,
    );
    let nav = xhtml(
        r##"<body><nav epub:type="toc"><h1>目录</h1><ol><li><a href="c1.xhtml">一、强化宗旨意识</a></li>
           <li><a href="c2.xhtml">二、强化精品意识</a></li></ol></nav></body>"##,
    );
    let c1 = xhtml(
        r##"<body><h1>一、强化宗旨意识</h1><p>宗旨意识是根本。<sup><a href="#z1">1</a></sup></p><p id="z1">注释文字。</p></body>"##,
    );
    let c2 = xhtml(r##"<body><h1>二、强化精品意识</h1><p>##paidbegin##要有精益求精的态度。##paidend##</p></body>"##);
    epub(&[
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", &opf),
        ("OEBPS/nav.xhtml", &nav),
        ("OEBPS/c1.xhtml", &c1),
        ("OEBPS/c2.xhtml", &c2),
    ])
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `plan --show-spoken --json` of a book with `extra` flags: must succeed.
fn plan(path: &Path, extra: &[&str]) -> (Value, String) {
    let r = run(seedaudio().args(["plan", "--show-spoken", "--json"]).args(extra).arg(path));
    assert_eq!(r.status, 0, "{}", r.stderr);
    (serde_json::from_str(&r.stdout).unwrap(), r.stderr)
}

fn chapter_titles(plan: &Value) -> Vec<(String, bool)> {
    let chapters = plan["chapters"].as_array().unwrap();
    chapters.iter().map(|c| (c["title"].as_str().unwrap().to_string(), c["paid"].as_bool().unwrap())).collect()
}

fn spoken(plan: &Value) -> Vec<String> {
    let chapters = plan["chapters"].as_array().unwrap();
    let utterances = chapters.iter().flat_map(|c| c["utterance_list"].as_array().unwrap());
    utterances.map(|u| u["text"].as_str().unwrap().to_string()).collect()
}

fn owned(titles: &[(&str, bool)]) -> Vec<(String, bool)> {
    titles.iter().map(|(t, p)| (t.to_string(), *p)).collect()
}

#[track_caller]
fn none_read(texts: &[String], unwanted: &[&str]) {
    let all = texts.join("\n");
    for bad in unwanted {
        assert!(!all.contains(bad), "{bad:?} is read:\n{all}");
    }
}

#[test]
fn an_epub3_book_reads_its_chapters_without_front_matter_or_notes() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(dir.path(), "lighthouse.epub", &lighthouse());
    let (first, stderr) = plan(&book, &[]);
    assert_eq!(first["title"], "The Lighthouse Keeper");
    assert_eq!(
        chapter_titles(&first),
        owned(&[
            ("Chapter One: The Stairs", false),
            ("Chapter Two", false),
            ("Chapter Two", true),
            ("Chapter Two (continued)", false)
        ])
    );
    let texts = spoken(&first);
    assert_eq!(
        texts,
        [
            "The Lighthouse Keeper",
            "Chapter One: The Stairs",
            "The keeper climbed the stairs.",
            "He lit the lamp at dusk. The sea was calm.",
            "Chapter Two",
            "Night fell over the rocks.",
            "A Storm",
            "Rain beat on the glass.",
            "Chapter Two",
            "The keeper kept a secret log.",
            "Chapter Two",
            "Dawn came at last.",
        ],
        "the contents' title once, the document's own <h1> not again; no note marks"
    );
    none_read(
        &texts,
        &["Cover art", "A novel by", "Copyright", "Contents", "FOOTNOTE", "OLDNOTE", "ENDNOTE", "NONLINEAR", "paid"],
    );
    // The user hears what was left out and how to have it read.
    assert!(stderr.contains("--front-matter") && stderr.contains("copyright page"), "{stderr}");

    // Asked for, the front matter and the linear="no" document are read; notes and the
    // table of contents still are not.
    let (all, _) = plan(&book, &["--front-matter", "--non-linear"]);
    let texts = spoken(&all);
    let all = texts.join("\n");
    for wanted in ["Cover art of a lighthouse", "A novel by Ada Quill", "Copyright 2026 Example Press", "NONLINEAR"] {
        assert!(all.contains(wanted), "{wanted:?} is not read:\n{all}");
    }
    none_read(&texts, &["Contents", "FOOTNOTE", "OLDNOTE", "ENDNOTE"]);
}

#[test]
fn an_epub3_book_built_carries_its_title_author_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(dir.path(), "lighthouse.epub", &lighthouse());
    let (b, manifest, _) = build(&book, &["--engine", "embedded", "--quiet", "--base-url", "https://x.org/pod/"]);
    assert_eq!(manifest["article"]["title"], "The Lighthouse Keeper");
    assert_eq!(manifest["article"]["author"], "Ada Quill", "the editor is not an author");
    assert_eq!(manifest["article"]["language"], "en");
    assert_eq!(manifest["article"]["file"], "lighthouse.epub");
    let titles: Vec<_> = chapters(&manifest).iter().map(|c| c["title"].as_str().unwrap().to_string()).collect();
    assert_eq!(titles, ["Chapter One: The Stairs", "Chapter Two", "Chapter Two", "Chapter Two (continued)"]);
    // The feed item names the author and the book's language, and so does the channel
    // (every item of it has that author; no setting names another).
    let feed = std::fs::read_to_string(b.out().parent().unwrap().join("feed-paid.xml")).unwrap();
    assert_eq!(feed.matches("<itunes:author>Ada Quill</itunes:author>").count(), 2, "{feed}");
    assert!(feed.contains("<language>en</language>"), "{feed}");
}

#[test]
fn an_epub2_book_reads_its_ncx_chapters_and_skips_what_its_guide_names() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(dir.path(), "towns.epub", &two_cities());
    let (plan, _) = plan(&book, &[]);
    assert_eq!(chapter_titles(&plan), owned(&[("1. Beginnings", false), ("2. Endings", false)]));
    let texts = spoken(&plan);
    assert_eq!(
        texts,
        [
            "Two Towns",
            "1. Beginnings",
            "It was a quiet town by the river.",
            "The Mill",
            "The mill turned all day.",
            "2. Endings",
            "The river froze that winter.",
        ]
    );
    none_read(&texts, &["COVERALT", "CONTENTSPAGE"]);
}

#[test]
fn a_chinese_book_piped_to_build_is_told_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut child = seedaudio()
        .args(["build", "-", "--name", "zh-book", "--engine", "embedded", "--quiet", "--out"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&chinese()).unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["article"]["title"], "机关干部的五种意识");
    assert_eq!(manifest["article"]["author"], "某某");
    assert_eq!(manifest["article"]["language"], "zh-CN");
    let titles: Vec<_> = chapters(&manifest)
        .iter()
        .map(|c| (c["title"].as_str().unwrap().to_string(), c["paid"].as_bool().unwrap()))
        .collect();
    assert_eq!(titles, owned(&[("一、强化宗旨意识", false), ("二、强化精品意识", true)]));
    let texts: Vec<String> = utterances(&manifest).iter().map(|u| u["text"].as_str().unwrap().to_string()).collect();
    assert!(texts.iter().any(|t| t == "宗旨意识是根本。"), "{texts:?}");
    none_read(&texts, &["注释", "目录", "paid"]);
    assert_eq!(texts.iter().filter(|t| *t == "一、强化宗旨意识").count(), 1, "{texts:?}");
}

/// A run that must fail with a message naming the book and `phrase`, without a panic.
#[track_caller]
fn refused(book: &Path, cwd: &Path, phrase: &str) -> String {
    let r = run(seedaudio().current_dir(cwd).args(["build", "--quiet", "--out", "out"]).arg(book));
    assert_ne!(r.status, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let name = book.file_name().unwrap().to_string_lossy();
    assert!(r.stderr.contains(&*name) && r.stderr.contains(phrase), "{phrase:?} not in:\n{}", r.stderr);
    r.stderr
}

#[test]
fn broken_and_hostile_books_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("a/b");
    std::fs::create_dir_all(&work).unwrap();
    let chapter = xhtml("<body><h1>One</h1><p>Text.</p></body>");
    let manifest = r##"<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>"##;
    let opf = opf3("<dc:title>T</dc:title>", manifest, r##"<itemref idref="c"/>"##);

    let no_opf = write(&work, "no-opf.epub", &epub(&[("META-INF/container.xml", CONTAINER)]));
    refused(&no_opf, &work, "entry OEBPS/content.opf: is missing");

    let no_container = write(&work, "no-container.epub", &epub(&[("OEBPS/content.opf", &opf)]));
    refused(&no_container, &work, "META-INF/container.xml: is missing");

    let broken = xhtml("<body><p>Text.</div></body>");
    let broken =
        epub(&[("META-INF/container.xml", CONTAINER), ("OEBPS/content.opf", &opf), ("OEBPS/c.xhtml", &broken)]);
    refused(&write(&work, "broken.epub", &broken), &work, "entry OEBPS/c.xhtml: is not well-formed XML");

    let missing = epub(&[("META-INF/container.xml", CONTAINER), ("OEBPS/content.opf", &opf)]);
    refused(&write(&work, "missing.epub", &missing), &work, "entry OEBPS/c.xhtml: is missing");

    // A spine item that climbs out of the book, with an entry of that name in the zip.
    let evil = opf3(
        "<dc:title>T</dc:title>",
        r##"<item id="c" href="../../evil.xhtml" media-type="application/xhtml+xml"/>"##,
        r##"<itemref idref="c"/>"##,
    );
    let evil =
        epub(&[("META-INF/container.xml", CONTAINER), ("OEBPS/content.opf", &evil), ("../../evil.xhtml", &chapter)]);
    refused(&write(&work, "evil.epub", &evil), &work, "points outside the book");
    for folder in [dir.path(), &dir.path().join("a"), &work, &work.join("out")] {
        assert!(!folder.join("evil.xhtml").exists(), "a file was written in {}", folder.display());
    }

    let encryption = r##"<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
        xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData>
        <enc:CipherReference URI="OEBPS/c.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>"##;
    let drm = epub(&[
        ("META-INF/container.xml", CONTAINER),
        ("META-INF/encryption.xml", encryption),
        ("OEBPS/content.opf", &opf),
        ("OEBPS/c.xhtml", &chapter),
    ]);
    refused(&write(&work, "drm.epub", &drm), &work, "is encrypted (DRM");

    refused(&write(&work, "text.epub", b"just some text, not a zip"), &work, "not an EPUB: it is not a zip archive");
}

#[test]
fn a_zip_bomb_is_refused_at_its_limit_without_filling_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.epub");
    // A gigabyte of spaces, written through the streaming writer a megabyte at a time: about a
    // megabyte on disk.
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/epub+zip").unwrap();
    zip.start_file("META-INF/container.xml", SimpleFileOptions::default()).unwrap();
    zip.write_all(CONTAINER.as_bytes()).unwrap();
    let opf = opf3(
        "<dc:title>T</dc:title>",
        r##"<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>"##,
        r##"<itemref idref="c"/>"##,
    );
    zip.start_file("OEBPS/content.opf", SimpleFileOptions::default()).unwrap();
    zip.write_all(opf.as_bytes()).unwrap();
    let big = SimpleFileOptions::default().compression_level(Some(1)).large_file(true);
    zip.start_file("OEBPS/c.xhtml", big).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 16 << 20);
    let stderr = refused(&path, dir.path(), "entry OEBPS/c.xhtml: decompresses to more than 32 MB");
    assert!(stderr.contains("zip bomb"), "{stderr}");
}

#[test]
fn a_single_file_book_starts_chapters_where_its_contents_point() {
    let opf = opf3(
        "<dc:title>One File</dc:title>",
        r##"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
            <item id="b" href="book.xhtml" media-type="application/xhtml+xml"/>"##,
        r##"<itemref idref="b"/>"##,
    );
    let nav = xhtml(
        r##"<body><nav epub:type="toc"><ol><li><a href="book.xhtml#c1">Chapter 1</a></li>
            <li><a href="book.xhtml#c2">Chapter 2</a></li><li><a href="book.xhtml#c3">Chapter 3</a></li></ol></nav></body>"##,
    );
    let body = xhtml(
        r##"<body><div id="c1"><h2>Chapter 1</h2><p>One.</p><h3>Sub</h3><p>One b.</p></div>
            <h2 id="c2">Chapter 2</h2><p>Two.</p><section id="c3"><h2>Chapter 3</h2><p>Three.</p></section></body>"##,
    );
    let dir = tempfile::tempdir().unwrap();
    let book = epub(&[
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", &opf),
        ("OEBPS/nav.xhtml", &nav),
        ("OEBPS/book.xhtml", &body),
    ]);
    let (plan, _) = plan(&write(dir.path(), "one.epub", &book), &[]);
    assert_eq!(chapter_titles(&plan), owned(&[("Chapter 1", false), ("Chapter 2", false), ("Chapter 3", false)]));
    assert_eq!(
        spoken(&plan),
        ["One File", "Chapter 1", "One.", "Sub", "One b.", "Chapter 2", "Two.", "Chapter 3", "Three."]
    );
}

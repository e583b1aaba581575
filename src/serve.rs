//! `gongkai serve`: a live preview for the clerk writing entries. The site is built into memory
//! (never over `public/`), served on 127.0.0.1, and rebuilt when any file under the catalog or
//! theme changes, rendering again only the parts whose inputs changed, as `gongkai build` does
//! on disk; when only entry files changed, it keeps its last model and reads just those again
//! ([`pipeline::reload_edited`]). Open pages reload through server-sent events. A failed rebuild keeps the last
//! good site and shows the errors (Chinese, file, line, hint) at the top of every page.

use crate::build::{read_bodies, render_site, unit_fingerprints};
use crate::diag::{self, Severity};
use crate::failure::Failure;
use crate::incremental::cache::{EntryCache, Reuse};
use crate::incremental::listings::Listings;
use crate::load::history::History;
use crate::model::{Catalog, Part};
use crate::output_names;
use crate::pipeline;
use crate::render::OutputFile;
use crate::render::theme::{Theme, escape_html};
use crate::timings::Timings;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The catalog folder.
    pub root: PathBuf,
    /// Limit the preview to this unit, the units under it and those above it (see
    /// `preview_units`).
    pub unit: Option<String>,
    /// Address to listen on (127.0.0.1 unless asked otherwise).
    pub bind: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// The date the build judges against.
    pub as_of: NaiveDate,
}

/// One file of the preview.
enum Content {
    Bytes(Vec<u8>),
    File(PathBuf),
}

/// One part's files, by output path.
type Files = BTreeMap<String, Content>;

/// A built preview: each part's files, by the part's folder (`""` for the site-wide files). A
/// rebuild shares the unchanged parts' files with the last preview, so publishing it copies
/// a pointer per part, not a path per file.
#[derive(Clone, Default)]
struct Site {
    parts: BTreeMap<String, Arc<Files>>,
}

impl Site {
    /// The file at `path`.
    fn get(&self, path: &str) -> Option<&Content> {
        self.parts.values().find_map(|files| files.get(path))
    }

    /// How many files there are.
    fn len(&self) -> usize {
        self.parts.values().map(|files| files.len()).sum()
    }
}

/// The state every request thread reads.
#[derive(Default)]
struct State {
    /// The last site that built.
    site: Option<Arc<Site>>,
    /// Errors of the latest build, as printed (empty when it succeeded).
    errors: Vec<String>,
    /// Bumped after every rebuild; pages reload when it changes.
    generation: u64,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// What the preview keeps from its last good build, so that a rebuild renders only the parts
/// whose inputs changed (as `gongkai build` does on disk): the entries as validated, and each
/// part's fingerprint and files.
#[derive(Default)]
struct Preview {
    /// The entries as the last good full load validated them (a rebuild that reloads only the
    /// edited entries leaves it as it was).
    cache: EntryCache,
    /// Each part's folder (`""` for the site-wide files) → its fingerprint.
    fingerprints: BTreeMap<String, u64>,
    /// The last good site.
    site: Site,
    /// The catalog's folder listings, kept while the watcher reports no change in them.
    listings: Arc<Listings>,
    /// The catalog's git history, kept while the watcher reports no change in the repository.
    history: Option<History>,
    /// The model of the last good build, brought up to date when only entry files changed.
    /// None with `--unit` (its model lacks the other units), and when the catalog holds a link
    /// or a file with two names (the watcher may name another path than the entry's).
    catalog: Option<Catalog>,
}

/// Builds the site into memory, rendering only the parts that changed since `preview`'s build:
/// `Ok` with the files (and a model no longer needed, to be freed once they are published), or
/// the errors as printed: the catalog's findings, or why the preview could not be built at all.
/// When only the entry files `edited` (relative to the catalog folder) changed, the last
/// build's model is brought up to date instead of loading the catalog again. `preview` is
/// updated only when the build succeeds.
fn build_in_memory(
    options: &ServeOptions,
    preview: &mut Preview,
    edited: Option<&BTreeSet<PathBuf>>,
) -> Result<(Arc<Site>, Option<Catalog>), Vec<String>> {
    let history = preview
        .history
        .get_or_insert_with(|| crate::load::history::read(&options.root));
    let mut unused = None;
    // The entry cache a full load makes, kept once this build succeeds.
    let mut validated = None;
    // Whether the watcher names every changed entry (as of the last full load).
    let mut watchable = true;
    let reloaded = match (preview.catalog.take(), edited) {
        (Some(kept), Some(edited)) => {
            let files: Vec<PathBuf> = edited.iter().map(|rel| options.root.join(rel)).collect();
            pipeline::reload_edited(kept, &options.root, &files, options.as_of, history)
        }
        (kept, _) => {
            unused = kept;
            None
        }
    };
    let mut catalog = match reloaded {
        Some(catalog) => catalog,
        None => {
            let reuse = Reuse {
                cache: std::mem::take(&mut preview.cache),
                as_of: options.as_of,
                listings: Some(preview.listings.clone()),
            };
            let (catalog, diags, next) = pipeline::load_and_validate_reusing(
                &options.root,
                &reuse,
                Some(history),
                &mut Timings::default(),
            );
            // A link or a file with two names in the catalog: the watcher may name another path
            // than the entry's, so this model is not kept to be brought up to date.
            watchable = !preview.listings.take_unseen();
            // The cache of the last full load (not the one read now) until this build succeeds.
            preview.cache = reuse.cache;
            let Some(catalog) = catalog else {
                return Err(diags
                    .iter()
                    .filter(|d| d.severity() == Severity::Error)
                    .map(diag::render_text)
                    .collect());
            };
            validated = Some(next);
            catalog
        }
    };
    let failure = |e: Failure| vec![format!("错误\n  {e}\n")];
    let theme = Theme::load(&options.root, &catalog.site.theme).map_err(failure)?;
    // The preview does not typeset the printed guides (`gongkai book` does): its pages do not
    // link them.
    catalog.site.book = false;
    if let Some(wanted) = &options.unit {
        // A folder path (shiqu/shizhen) or a unit's name (示例镇), as `new` and `list` take.
        let prefix = crate::scaffold::find_unit(&catalog, wanted)
            .map_err(failure)?
            .path
            .clone();
        let kept = preview_units(&catalog, &prefix);
        catalog.retain_units(&kept);
    }
    // Every part with its folder and fingerprint: kept if its fingerprint is the last build's,
    // else rendered again.
    let fingerprints = unit_fingerprints(&theme, &catalog);
    let parts: Vec<(usize, Part, String, u64)> = (0..catalog.units.len())
        .flat_map(|u| {
            Part::all(&catalog)
                .zip(&fingerprints[u])
                .map(move |(part, &f)| (u, part, f))
        })
        .map(|(u, part, f)| (u, part, part.folder(&catalog, u), f))
        .collect();
    let fingerprints: BTreeMap<String, u64> = parts
        .iter()
        .map(|(_, _, folder, f)| (folder.clone(), *f))
        .collect();
    let (kept, stale): (Vec<_>, Vec<_>) = parts
        .into_iter()
        .partition(|(_, _, folder, f)| preview.fingerprints.get(folder) == Some(f));
    let render: Vec<(usize, Part)> = stale.iter().map(|&(u, part, ..)| (u, part)).collect();
    let mut stale_units: Vec<usize> = render.iter().map(|&(u, _)| u).collect();
    stale_units.dedup();
    read_bodies(&mut catalog, &stale_units).map_err(|e| failure(Failure(e)))?;
    let rendered = Mutex::new(Vec::new());
    render_site(&catalog, &theme, &render, |owner, batch| {
        rendered
            .lock()
            .map_err(|_| Failure("内部错误：预览数据被锁住。".into()))?
            .push((owner.to_owned(), batch));
        Ok(())
    })
    .map_err(failure)?;
    let rendered = rendered
        .into_inner()
        .map_err(|_| failure(Failure("内部错误：预览数据被锁住。".into())))?;

    // The kept parts carry over; every other part of the last build (rendered again, or gone)
    // is replaced by what was rendered now.
    let mut site = Site::default();
    for (_, _, folder, _) in kept {
        if let Some(files) = preview.site.parts.remove(&folder) {
            site.parts.insert(folder, files);
        }
    }
    let mut fresh: BTreeMap<String, Files> = BTreeMap::new();
    for (owner, batch) in rendered {
        // The site-wide files (`""`) are rendered every time; their fingerprint is never asked.
        let files = fresh.entry(owner).or_default();
        for file in batch {
            let (path, content) = match file {
                OutputFile::Bytes { path, bytes } => (path, Content::Bytes(bytes)),
                OutputFile::Copy { path, from } => (path, Content::File(from)),
            };
            files.insert(path, content);
        }
    }
    site.parts.extend(
        fresh
            .into_iter()
            .map(|(owner, files)| (owner, Arc::new(files))),
    );
    preview.site = site;
    preview.fingerprints = fingerprints;
    if let Some(validated) = validated {
        preview.cache = validated;
    }
    // Bodies are let go of: the kept model stays the size of the catalog's front matter (a body
    // is read again when its pages are rendered again).
    for unit in &mut catalog.units {
        for entry in &mut unit.entries {
            entry.body.unload();
        }
    }
    if options.unit.is_none() && watchable {
        preview.catalog = Some(catalog);
    } else {
        unused = Some(catalog);
    }
    Ok((Arc::new(preview.site.clone()), unused))
}

/// The units the preview of `prefix` (`--unit`) builds, by index: the unit, the units under
/// it and the units above it (whose pages its breadcrumbs and 未涉及领域 notes link, and whose
/// 指南 a village uses). Siblings are left out, and so are they from every page (the root index,
/// the parent's list of townships): a listed unit is a built one. None when no unit is `prefix`.
fn preview_units(catalog: &crate::model::Catalog, prefix: &str) -> Vec<bool> {
    let mut keep = vec![false; catalog.units.len()];
    let beneath = format!("{prefix}/");
    for (u, unit) in catalog.units.iter().enumerate() {
        if unit.path == prefix || unit.path.starts_with(&beneath) {
            for a in catalog.ancestry(u) {
                keep[a] = true;
            }
        }
    }
    keep
}

/// A fingerprint of every file's path, size and modification time under the watched folders:
/// how the preview notices changes when the file system cannot be watched.
fn fingerprint(dirs: &[PathBuf]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut all = Vec::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if let Ok(meta) = entry.metadata() {
                all.push((entry.into_path(), meta.len(), meta.modified().ok()));
            }
        }
    }
    all
}

/// The folders whose changes trigger a rebuild: the catalog and the theme folders beside it.
fn watched(root: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    for theme in [root.join("..").join("themes"), root.join("themes")] {
        if theme.is_dir() {
            dirs.push(theme);
        }
    }
    dirs
}

/// How long the watcher waits after a change for more before it rebuilds: an editor's save is
/// several events (a temporary file written, renamed over the old one), a `git checkout` many.
const SETTLE: Duration = Duration::from_millis(30);

/// What a batch of changes calls for.
#[derive(Debug)]
struct Wake {
    /// Build again (anything but a file being opened or read).
    rebuild: bool,
    /// Read the git history again (a commit, checkout or other change in the repository).
    history: bool,
    /// The Markdown files (relative to the catalog folder) whose contents changed, when that is
    /// all that changed besides hidden files and the repository; None when anything else may
    /// have: a file or folder added, removed or renamed, another kind of file, the theme, or
    /// changes the watcher lost.
    edited: Option<BTreeSet<PathBuf>>,
}

impl Wake {
    /// Nothing changed yet.
    fn new() -> Wake {
        Wake {
            rebuild: false,
            history: false,
            edited: Some(BTreeSet::new()),
        }
    }

    /// Anything may have changed.
    fn everything() -> Wake {
        Wake {
            rebuild: true,
            history: true,
            edited: None,
        }
    }
}

/// What one event did to a path, as far as the catalog's model is concerned.
#[derive(Debug, PartialEq, Eq)]
enum Touched {
    /// Nothing the loader reads: a hidden file, such as an editor's temporary or swap file.
    Nothing,
    /// The contents of an existing Markdown file (relative to the catalog folder).
    Contents(PathBuf),
    /// A file with more than one name (a hard link, perhaps just made): a change under one name
    /// is one under another, which the watcher does not report.
    Shared,
    /// Possibly anything else.
    Other,
}

/// What an event of `kind` at `path` (canonical, as the watcher names it) touched in the
/// catalog folder `root` (canonical).
fn touched(root: &Path, kind: &notify::EventKind, path: &Path) -> Touched {
    use notify::EventKind;
    use notify::event::{ModifyKind, RenameMode};
    let Ok(rel) = path.strip_prefix(root) else {
        return Touched::Other;
    };
    let meta = std::fs::symlink_metadata(path);
    if meta
        .as_ref()
        .is_ok_and(|m| m.is_file() && !crate::load::one_name(m))
    {
        return Touched::Shared;
    }
    if rel
        .components()
        .any(|c| crate::load::is_hidden(&c.as_os_str().to_string_lossy()))
    {
        return Touched::Nothing;
    }
    let contents = matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Modify(
                ModifyKind::Data(_)
                    | ModifyKind::Metadata(_)
                    | ModifyKind::Any
                    | ModifyKind::Name(RenameMode::To | RenameMode::Both)
            )
    );
    // A regular file now (not a folder, not a link), so nothing was removed or renamed away here.
    let markdown_file =
        path.extension().is_some_and(|e| e == "md") && meta.is_ok_and(|m| m.is_file());
    if contents && markdown_file {
        Touched::Contents(rel.to_path_buf())
    } else {
        Touched::Other
    }
}

/// How the preview learns of changes.
enum Changes {
    /// The file system reports them, with their paths.
    Watched(Watch),
    /// The folders are listed every 200 ms (the watcher could not start).
    Polled {
        dirs: Vec<PathBuf>,
        last: Vec<(PathBuf, u64, Option<SystemTime>)>,
    },
}

impl Changes {
    /// Starts watching the catalog and theme folders; falls back to polling, and says so, when
    /// the system refuses a watcher (e.g. too many folders for inotify's limit).
    fn start(root: &Path) -> Changes {
        match Watch::start(root) {
            Ok(watch) => Changes::Watched(watch),
            Err(e) => {
                eprintln!(
                    "提示：无法监视 {} 中的文件变化（{}），改为每 0.2 秒检查一遍全部文件；大目录下会占用较多处理器时间。Linux 上可调大 fs.inotify.max_user_watches。",
                    crate::source::display_path(root),
                    watch_error(&e)
                );
                let dirs = watched(root);
                let last = fingerprint(&dirs);
                Changes::Polled { dirs, last }
            }
        }
    }

    /// Waits for the next changes that call for a rebuild, telling `listings` which folders'
    /// listings they made stale. None when changes can no longer be learned of.
    fn wait(&mut self, listings: &Listings) -> Option<Wake> {
        match self {
            Changes::Watched(watch) => watch.wait(listings),
            Changes::Polled { dirs, last } => loop {
                std::thread::sleep(Duration::from_millis(200));
                let now = fingerprint(dirs);
                if now != *last {
                    *last = now;
                    // Polling does not say which folders changed.
                    listings.forget_all();
                    return Some(Wake::everything());
                }
            },
        }
    }
}

/// The file-system watcher and what it reports.
struct Watch {
    events: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    watcher: notify::RecommendedWatcher,
    /// The catalog folder, canonical (as events name paths).
    root: PathBuf,
    /// The repository's git folder, when the catalog is in one.
    git_dir: Option<PathBuf>,
}

impl Watch {
    /// Watches the catalog folder's own files and each folder in it but the hidden ones, the
    /// themes folder beside it, and of the repository's git folder (when the catalog is in one)
    /// only the top and `refs/`: a commit or checkout always changes one of those, while git
    /// opens its objects by the thousand on every read of the history.
    fn start(root: &Path) -> notify::Result<Watch> {
        use notify::{RecursiveMode, Watcher as _};
        let root = root.canonicalize()?;
        let (sender, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender)?;
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        for child in std::fs::read_dir(&root)? {
            let path = child?.path();
            if path.is_dir() && !is_hidden(&path) {
                watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        if let Some(themes) = root
            .parent()
            .map(|p| p.join("themes"))
            .filter(|t| t.is_dir())
        {
            watcher.watch(&themes, RecursiveMode::Recursive)?;
        }
        let git_dir = git_dir(&root);
        if let Some(git_dir) = &git_dir {
            watcher.watch(git_dir, RecursiveMode::NonRecursive)?;
            let refs = git_dir.join("refs");
            if refs.is_dir() {
                watcher.watch(&refs, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watch {
            events,
            watcher,
            root,
            git_dir,
        })
    }

    /// Waits for an event that calls for a rebuild, then takes in those that follow within
    /// [`SETTLE`] of each other. None when the watcher has stopped.
    fn wait(&mut self, listings: &Listings) -> Option<Wake> {
        let mut wake = Wake::new();
        let mut next = self.events.recv().ok();
        while let Some(event) = next {
            self.note(event, listings, &mut wake);
            next = if wake.rebuild {
                self.events.recv_timeout(SETTLE).ok()
            } else {
                self.events.recv().ok()
            };
        }
        wake.rebuild.then_some(wake)
    }

    /// Takes one event into `wake`, making `listings` forget what it changed. Opening or reading
    /// a file (the preview's own reads among them) changes nothing.
    fn note(&mut self, event: notify::Result<notify::Event>, listings: &Listings, wake: &mut Wake) {
        let event = match event {
            Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => return,
            Ok(event) if !event.need_rescan() && !event.paths.is_empty() => event,
            // The watcher lost events (its queue overflowed): nothing kept can be trusted.
            _ => {
                listings.forget_all();
                *wake = Wake::everything();
                return;
            }
        };
        wake.rebuild = true;
        for path in &event.paths {
            let in_git = self.git_dir.as_ref().is_some_and(|g| path.starts_with(g))
                || path.components().any(|c| c.as_os_str() == ".git");
            wake.history |= in_git;
            if !in_git {
                match touched(&self.root, &event.kind, path) {
                    Touched::Nothing => {}
                    Touched::Contents(rel) => {
                        if let Some(edited) = &mut wake.edited {
                            edited.insert(rel);
                        }
                    }
                    Touched::Other => wake.edited = None,
                    // The other names' folders keep listings with stale metadata.
                    Touched::Shared => {
                        listings.forget_all();
                        wake.edited = None;
                    }
                }
            }
            // A path outside the catalog (the themes folder beside it) is in no listing.
            if let Ok(inside) = path.strip_prefix(&self.root) {
                listings.forget(inside);
            }
            // A folder new at the catalog's top is watched from now on.
            let new_top = matches!(event.kind, notify::EventKind::Create(_))
                && path.parent() == Some(self.root.as_path())
                && path.is_dir()
                && !is_hidden(path);
            if new_top {
                use notify::Watcher as _;
                if let Err(e) = self.watcher.watch(path, notify::RecursiveMode::Recursive) {
                    eprintln!(
                        "提示：无法监视新文件夹 {}（{}），其中的改动要重新运行 gongkai serve 才能看到。",
                        crate::source::display_path(path),
                        watch_error(&e)
                    );
                }
            }
        }
    }
}

/// Why the system refused a watcher, in Chinese.
fn watch_error(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => "文件夹数超过了系统允许监视的上限".to_owned(),
        notify::ErrorKind::Io(io) => crate::reason::io(io),
        notify::ErrorKind::PathNotFound => "要监视的文件夹不存在".to_owned(),
        _ => "系统不支持监视这些文件夹".to_owned(),
    }
}

/// Whether the loader leaves this path out as hidden (`.git`, an editor's swap file).
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| crate::load::is_hidden(&n.to_string_lossy()))
}

/// The git folder of the repository the catalog is in, if any.
fn git_dir(root: &Path) -> Option<PathBuf> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--absolute-git-dir"])
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    dir.canonicalize().ok()
}

/// Rebuilds (after only the entry files `edited` changed, when known) and publishes the result
/// to the shared state, then frees a model no longer needed (the last one, after a full load),
/// after the pages are served: at 20,000 entries, freeing it is about a tenth of a rebuild.
fn rebuild(
    options: &ServeOptions,
    preview: &mut Preview,
    shared: &Shared,
    edited: Option<&BTreeSet<PathBuf>>,
) {
    let started = std::time::Instant::now();
    let (result, unused) = match build_in_memory(options, preview, edited) {
        Ok((site, unused)) => (Ok(site), unused),
        Err(errors) => (Err(errors), None),
    };
    {
        let Ok(mut state) = shared.0.lock() else {
            return;
        };
        publish(&mut state, result, started);
        shared.1.notify_all();
    }
    drop(unused);
}

/// Makes a rebuild's result what the preview serves, or its errors what every page shows.
fn publish(state: &mut State, result: Result<Arc<Site>, Vec<String>>, started: std::time::Instant) {
    match result {
        Ok(site) => {
            eprintln!(
                "已重新生成预览（{} 个文件，{:.2} 秒）。",
                site.len(),
                started.elapsed().as_secs_f64()
            );
            state.site = Some(site);
            state.errors.clear();
        }
        Err(errors) => {
            eprintln!("预览生成失败，显示的是上一次成功的版本：");
            for e in &errors {
                eprint!("{e}");
            }
            state.errors = errors;
        }
    }
    state.generation += 1;
}

/// Runs the preview server until the process is stopped. Prints the address on stderr.
pub fn serve(options: ServeOptions, on_ready: impl FnOnce(&str)) -> Result<(), String> {
    let shared: Shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
    // The watcher starts before the first build, so an edit saved while it runs or just after
    // the address is printed is never missed.
    let mut changes = Changes::start(&options.root);
    let mut preview = Preview::default();
    rebuild(&options, &mut preview, &shared, None);
    let server = tiny_http::Server::http((options.bind.as_str(), options.port)).map_err(|e| {
        let why = match e.downcast_ref::<std::io::Error>() {
            Some(e) => crate::reason::io(e),
            None => e.to_string(),
        };
        format!(
            "无法在 {}:{} 上启动预览服务：{why}。换一个端口（--port）再试。",
            options.bind, options.port
        )
    })?;
    let addr = match server.server_addr().to_ip() {
        // Listening on every address: the loopback one is the one the preview answers to.
        Some(a) if a.ip().is_unspecified() => format!("127.0.0.1:{}", a.port()),
        Some(a) => a.to_string(),
        None => format!("{}:{}", options.bind, options.port),
    };
    let url = format!("http://{addr}/");
    eprintln!("预览地址：{url}（按 Ctrl-C 停止）");
    on_ready(&url);

    let watcher_shared = shared.clone();
    let watch_options = options.clone();
    std::thread::spawn(move || {
        while let Some(wake) = changes.wait(&preview.listings) {
            if wake.history {
                preview.history = None;
            }
            rebuild(
                &watch_options,
                &mut preview,
                &watcher_shared,
                wake.edited.as_ref(),
            );
        }
    });

    let port = server
        .server_addr()
        .to_ip()
        .map_or(options.port, |a| a.port());
    let hosts = Arc::new(allowed_hosts(&options.bind, port));
    for request in server.incoming_requests() {
        let shared = shared.clone();
        let hosts = hosts.clone();
        std::thread::spawn(move || handle(request, &shared, &hosts));
    }
    Ok(())
}

/// The `Host` values (lower case) the preview answers to: the loopback names with its port,
/// and the address it listens on when that is one particular address (`--bind 192.168.1.5`).
/// Any other name is refused, so a web page whose own name has been pointed at 127.0.0.1 (DNS
/// rebinding) cannot read the preview, drafts and all.
fn allowed_hosts(bind: &str, port: u16) -> Vec<String> {
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    match bind.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_unspecified() || ip.is_loopback() => {}
        Ok(std::net::IpAddr::V4(ip)) => hosts.push(format!("{ip}:{port}")),
        Ok(std::net::IpAddr::V6(ip)) => hosts.push(format!("[{ip}]:{port}")),
        Err(_) => {}
    }
    if port == 80 {
        // A browser leaves the default port out.
        let without: Vec<String> = hosts
            .iter()
            .filter_map(|h| h.strip_suffix(":80").map(str::to_owned))
            .collect();
        hosts.extend(without);
    }
    hosts
}

const EVENTS_PATH: &str = "/__gongkai/events";
const RELOAD_PATH: &str = "/__gongkai/reload.js";
const BANNER_STYLE_PATH: &str = "/__gongkai/preview.css";

/// The reload script added to every preview page (a file, so the page's policy need not allow
/// inline script): reloads when the server announces a generation other than the page's.
const RELOAD_SCRIPT: &str = "(function(){var s=document.currentScript;var g=s&&s.getAttribute(\"data-generation\");var e=new EventSource(\"/__gongkai/events\");e.onmessage=function(m){if(m.data!==g){location.reload();}};})();\n";

/// The style of the error banner (a file, for the same reason).
const BANNER_STYLE: &str = "#gongkai-errors{background:#fff3f2;color:#5c0000;border:3px solid #a8201a;padding:12px 16px;margin:0;font-size:16px}#gongkai-errors pre{white-space:pre-wrap;margin:0}\n";

fn handle(request: tiny_http::Request, shared: &Shared, hosts: &[String]) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().trim().to_ascii_lowercase());
    if !host.as_ref().is_some_and(|h| hosts.contains(h)) {
        let shown = host
            .unwrap_or_default()
            .chars()
            .take(100)
            .collect::<String>();
        let body = format!(
            "拒绝访问：gongkai 预览只回应用 {} 打开的网页，这个请求的主机名是“{shown}”。\n\
             这样别的网站即使把自己的域名指向本机，也读不到预览中的内容。请在浏览器地址栏中直接输入上面的地址。\n",
            hosts
                .iter()
                .map(|h| format!("http://{h}/"))
                .collect::<Vec<_>>()
                .join("、")
        );
        return respond(request, 403, "text/plain; charset=utf-8", body.into_bytes());
    }
    let url = request.url().to_owned();
    match url.as_str() {
        EVENTS_PATH => return stream_events(request, shared),
        RELOAD_PATH => {
            let script = RELOAD_SCRIPT.as_bytes().to_vec();
            return respond(request, 200, content_type(RELOAD_PATH), script);
        }
        BANNER_STYLE_PATH => {
            let style = BANNER_STYLE.as_bytes().to_vec();
            return respond(request, 200, content_type(BANNER_STYLE_PATH), style);
        }
        _ => {}
    }
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = match percent_encoding::percent_decode_str(path).decode_utf8() {
        Ok(d) => d.into_owned(),
        Err(_) => {
            return respond(
                request,
                400,
                "text/plain; charset=utf-8",
                "网址编码无效。".as_bytes().to_vec(),
            );
        }
    };
    if decoded.split(['/', '\\']).any(|s| s == "..") || decoded.contains('\0') {
        return respond(
            request,
            400,
            "text/plain; charset=utf-8",
            "拒绝访问：网址中不能含有 ..".as_bytes().to_vec(),
        );
    }
    let mut key = decoded.trim_start_matches('/').to_owned();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    let (site, errors, generation) = match shared.0.lock() {
        Ok(state) => (state.site.clone(), state.errors.clone(), state.generation),
        Err(_) => {
            return respond(
                request,
                500,
                "text/plain; charset=utf-8",
                "内部错误。".as_bytes().to_vec(),
            );
        }
    };
    let content = site.as_ref().and_then(|s| s.get(&key));
    if content.is_none()
        && site
            .as_ref()
            .is_some_and(|s| s.get(&format!("{key}/index.html")).is_some())
    {
        // A folder asked for without its trailing slash: to the folder, so its page's relative
        // links work (and it is not sent as a file to download).
        return redirect_to_folder(request, path, &url);
    }
    let mut download = None;
    let (status, body, mime) = match content {
        Some(Content::Bytes(bytes)) => (200, bytes.clone(), content_type(&key)),
        Some(Content::File(path)) => match std::fs::read(path) {
            Ok(bytes) => {
                // An attachment a browser would run is only ever a download (docs/hosting.md).
                let name = key.rsplit('/').next().unwrap_or(&key);
                if output_names::is_active(name) {
                    download = Some(content_disposition(name));
                }
                (200, bytes, content_type(&key))
            }
            Err(_) => (404, not_found(&decoded), "text/html; charset=utf-8"),
        },
        None if site.is_none() => (503, error_page(), "text/html; charset=utf-8"),
        None => (404, not_found(&decoded), "text/html; charset=utf-8"),
    };
    let body = if mime.starts_with("text/html") && download.is_none() {
        inject(&body, &errors, generation)
    } else {
        body
    };
    let extra: Vec<(&str, String)> = download
        .map(|d| ("Content-Disposition", d))
        .into_iter()
        .collect();
    respond_with(request, status, mime, body, &extra);
}

/// `301 Moved Permanently` from `/unit` to `/unit/`, keeping the query. The location is built
/// from the path with its leading slashes collapsed (`//name` would name another host) and
/// anything but plain ASCII percent-encoded.
fn redirect_to_folder(request: tiny_http::Request, path: &str, url: &str) {
    const ESCAPED: &percent_encoding::AsciiSet =
        &percent_encoding::CONTROLS.add(b' ').add(b'\\').add(b'"');
    let query = url.find('?').map_or("", |at| &url[at..]);
    let location = format!(
        "/{}/{}",
        percent_encoding::utf8_percent_encode(path.trim_start_matches(['/', '\\']), ESCAPED),
        percent_encoding::utf8_percent_encode(query, ESCAPED)
    );
    let body = format!("已移到 {location}\n").into_bytes();
    let extra = [("Location", location)];
    respond_with(request, 301, "text/plain; charset=utf-8", body, &extra);
}

/// The Content-Security-Policy of every preview response: the one `docs/hosting.md` gives for
/// the published site. The default theme runs under it (its scripts and styles are files under
/// `static/`, the search page fetches indexes from the site itself, images in entry bodies may
/// come from other https sites), and so does the preview's own reload script and error banner.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// The headers every response carries: no sniffing a type other than the one sent, and the
/// [`CONTENT_SECURITY_POLICY`].
const SECURITY_HEADERS: [(&str, &str); 2] = [
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
];

/// `Content-Disposition: attachment` for a file named `name` (RFC 6266, the name UTF-8 and
/// percent-encoded but for RFC 5987's plain characters).
fn content_disposition(name: &str) -> String {
    const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'.')
        .remove(b'-')
        .remove(b'_')
        .remove(b'~');
    let encoded = percent_encoding::utf8_percent_encode(name, ESCAPED);
    format!("attachment; filename*=UTF-8''{encoded}")
}

fn respond(request: tiny_http::Request, status: u16, mime: &str, body: Vec<u8>) {
    respond_with(request, status, mime, body, &[]);
}

fn respond_with(
    request: tiny_http::Request,
    status: u16,
    mime: &str,
    body: Vec<u8>,
    extra: &[(&str, String)],
) {
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    let headers = [("Content-Type", mime), ("Cache-Control", "no-store")]
        .into_iter()
        .chain(SECURITY_HEADERS)
        .chain(extra.iter().map(|(name, value)| (*name, value.as_str())));
    for (name, value) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

/// Server-sent events: the current generation at once, then each new one as rebuilds finish.
fn stream_events(request: tiny_http::Request, shared: &Shared) {
    #[allow(deprecated)]
    let mut writer = request.into_writer();
    let security: String = SECURITY_HEADERS
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n{security}Connection: keep-alive\r\n\r\n"
    );
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    let mut seen = u64::MAX;
    loop {
        let generation = {
            let Ok(state) = shared.0.lock() else { return };
            let Ok((state, _)) = shared
                .1
                .wait_timeout_while(state, Duration::from_secs(15), |s| s.generation == seen)
            else {
                return;
            };
            state.generation
        };
        let message = if generation == seen {
            ": 保持连接\n\n".to_owned()
        } else {
            seen = generation;
            format!("data: {generation}\n\n")
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Adds the reload script and, after a failed rebuild, the error banner to an HTML page.
fn inject(html: &[u8], errors: &[String], generation: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let script =
        format!("<script src=\"{RELOAD_PATH}\" data-generation=\"{generation}\"></script>");
    let banner = if errors.is_empty() {
        String::new()
    } else {
        error_banner(errors)
    };
    let with_banner = match text.find("<body>") {
        Some(at) => format!(
            "{}<body>{banner}{}",
            &text[..at],
            &text[at + "<body>".len()..]
        ),
        None => format!("{banner}{text}"),
    };
    let out = match with_banner.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &with_banner[..at], &with_banner[at..]),
        None => format!("{with_banner}{script}"),
    };
    out.into_bytes()
}

fn error_banner(errors: &[String]) -> String {
    let items: String = errors
        .iter()
        .map(|e| format!("<li><pre>{}</pre></li>", escape_html(e)))
        .collect();
    format!(
        "<link rel=\"stylesheet\" href=\"{BANNER_STYLE_PATH}\"><div role=\"alert\" id=\"gongkai-errors\"><strong>生成失败（共 {} 个错误），下面显示的是上一次成功的版本。改正后保存，页面会自动刷新。</strong><ul>{items}</ul></div>",
        errors.len()
    )
}

/// The page shown while no build has ever succeeded; `inject` adds the errors on top.
fn error_page() -> Vec<u8> {
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>预览生成失败</title></head><body><h1>预览生成失败</h1><p>按上面的提示改正后保存，页面会自动刷新。</p></body></html>"
        .as_bytes()
        .to_vec()
}

fn not_found(path: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>找不到页面</title></head><body><h1>找不到页面</h1><p>预览中没有“{}”。如果用了 --unit，预览只包含该单位、它的下级单位和上级单位，不含其他单位的页面。</p><p><a href=\"/\">返回首页</a></p></body></html>",
        escape_html(path)
    )
    .into_bytes()
}

/// The `Content-Type` for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::EventKind;
    use notify::event::{CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode};

    #[test]
    fn only_an_existing_markdown_files_contents_count_as_an_edit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        let item = root.join("units/xian/shehui-jiuzhu/dibao-zhengce");
        std::fs::create_dir_all(&item).expect("folders");
        std::fs::write(item.join("2024.md"), "+++\n+++\n").expect("entry");
        std::fs::write(item.join("名单.csv"), "a,b\n").expect("attachment");
        let entry = item.join("2024.md");
        let rel = entry.strip_prefix(&root).expect("inside").to_path_buf();
        let data = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let touched_at = |kind: &EventKind, path: &Path| touched(&root, kind, path);

        // Saved in place, or renamed over the old file by an editor.
        assert_eq!(touched_at(&data, &entry), Touched::Contents(rel.clone()));
        let renamed_to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert_eq!(touched_at(&renamed_to, &entry), Touched::Contents(rel));
        // The editor's hidden temporary file, and anything in a hidden folder.
        let swap = item.join(".2024.md.swp");
        let created = EventKind::Create(CreateKind::File);
        assert_eq!(touched_at(&created, &swap), Touched::Nothing);
        assert_eq!(
            touched_at(&data, &root.join(".git/index")),
            Touched::Nothing
        );
        // Gone, renamed away, another kind of file, a folder, outside the catalog.
        let removed = EventKind::Remove(RemoveKind::File);
        assert_eq!(touched_at(&removed, &item.join("2023.md")), Touched::Other);
        let renamed_from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        assert_eq!(touched_at(&renamed_from, &entry), Touched::Other);
        assert_eq!(touched_at(&data, &item.join("名单.csv")), Touched::Other);
        assert_eq!(touched_at(&created, &item), Touched::Other);
        let theme = root.parent().expect("parent").join("themes/x/page.html");
        assert_eq!(touched_at(&data, &theme), Touched::Other);
    }
}

//! URLs between pages. Every page is `<dir>/index.html`, every link is relative (so the built
//! folder works under any sub-path of a portal), and each path segment is percent-encoded (so
//! Chinese file names produce working links).

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a path segment: everything but unreserved ASCII.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'\'')
    .add(b'&')
    .add(b'+')
    .add(b';')
    .add(b'=')
    .add(b'@')
    .add(b':')
    .add(b',')
    .add(b'$')
    .add(b'!');

/// A page's folder relative to the site root, as `/`-separated unencoded segments
/// (empty for the root page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDir(pub Vec<String>);

impl PageDir {
    /// The site root.
    pub fn root() -> Self {
        PageDir(Vec::new())
    }

    /// A folder from a `/`-separated path (e.g. a unit path).
    pub fn from_path(path: &str) -> Self {
        PageDir(
            path.split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    /// The folder of the entry page a relation links to.
    pub fn of_link(link: &crate::model::Link) -> Self {
        PageDir::from_path(&link.unit).join(&link.segments()[1..])
    }

    /// This folder with more segments appended.
    pub fn join(&self, segments: &[&str]) -> Self {
        let mut dir = self.0.clone();
        dir.extend(segments.iter().map(|s| (*s).to_owned()));
        PageDir(dir)
    }

    /// The relative prefix from this folder back to the site root (`""`, `"../"`, …).
    pub fn to_root(&self) -> String {
        "../".repeat(self.0.len())
    }

    /// A relative link from this page to the page in `target` (ending in `/`).
    pub fn link_to(&self, target: &PageDir) -> String {
        let common = self
            .0
            .iter()
            .zip(&target.0)
            .take_while(|(a, b)| a == b)
            .count();
        let mut href = "../".repeat(self.0.len() - common);
        for segment in &target.0[common..] {
            href.push_str(&encode(segment));
            href.push('/');
        }
        if href.is_empty() {
            "./".to_owned()
        } else {
            href
        }
    }

    /// The output file path of this page (`a/b/index.html`), unencoded.
    pub fn index_file(&self) -> String {
        self.file("index.html")
    }

    /// A file in this folder, unencoded.
    pub fn file(&self, name: &str) -> String {
        let mut path = self.0.join("/");
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        path
    }

    /// The absolute URL of this page under `base_url` (which ends in `/`).
    pub fn url(&self, base_url: &str) -> String {
        let mut url = base_url.to_owned();
        for segment in &self.0 {
            url.push_str(&encode(segment));
            url.push('/');
        }
        url
    }
}

/// Percent-encodes one path segment.
pub fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        let a = PageDir::from_path("shiqu/shizhen/shehui-jiuzhu");
        let b = PageDir::from_path("shiqu/hexiang");
        assert_eq!(a.link_to(&b), "../../hexiang/");
        assert_eq!(b.link_to(&a), "../shizhen/shehui-jiuzhu/");
        assert_eq!(a.link_to(&a), "./");
        assert_eq!(PageDir::root().link_to(&b), "shiqu/hexiang/");
        assert_eq!(a.to_root(), "../../../");
    }

    #[test]
    fn chinese_segments_are_encoded() {
        let a = PageDir::from_path("区/低保 名单");
        assert_eq!(
            PageDir::root().link_to(&a),
            "%E5%8C%BA/%E4%BD%8E%E4%BF%9D%20%E5%90%8D%E5%8D%95/"
        );
    }
}

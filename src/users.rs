//! Users and groups from /etc/passwd and /etc/group, parsed directly: rbox is a static
//! binary without NSS and must also work in an empty root, where every lookup is None and
//! callers print numeric ids, as BusyBox does.
//!
//! An applet owns one `Users` for its run (no global state). Each file is read once, on the
//! first lookup that needs it; id-to-name answers are cached, so `ls -l` of a large
//! directory scans the file once per distinct id.
//!
//! A line is `name:passwd:uid:gid:gecos:home:shell` (group: `name:passwd:gid:members`).
//! Lines that are empty, comments, or whose id is not a decimal number are skipped; missing
//! trailing fields read as empty. The first entry for an id or name wins, as with getpwuid.

use std::cell::{OnceCell, RefCell};

/// One /etc/passwd entry, borrowed from the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passwd<'a> {
    pub name: &'a [u8],
    pub passwd: &'a [u8],
    pub uid: u32,
    pub gid: u32,
    pub gecos: &'a [u8],
    pub home: &'a [u8],
    pub shell: &'a [u8],
}

/// One /etc/group entry, borrowed from the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group<'a> {
    pub name: &'a [u8],
    pub passwd: &'a [u8],
    pub gid: u32,
    /// The comma-separated member list; see `members()`.
    pub member_list: &'a [u8],
}

impl<'a> Group<'a> {
    /// The member user names.
    pub fn members(&self) -> impl Iterator<Item = &'a [u8]> {
        self.member_list
            .split(|&c| c == b',')
            .filter(|m| !m.is_empty())
    }
}

/// One database file, read on first use.
struct Db {
    path: &'static str,
    data: OnceCell<Vec<u8>>,
    /// id -> offset of its line (u32::MAX: no such id).
    cache: RefCell<Vec<(u32, u32)>>,
}

impl Db {
    const fn new(path: &'static str) -> Db {
        Db {
            path,
            data: OnceCell::new(),
            cache: RefCell::new(Vec::new()),
        }
    }

    /// The file's text (empty when it cannot be read).
    fn text(&self) -> &[u8] {
        self.data
            .get_or_init(|| crate::sys::read_file(self.path.as_bytes()).unwrap_or_default())
    }

    /// Each usable line with its offset: (offset, fields split on ':').
    fn lines(&self) -> impl Iterator<Item = (usize, Fields<'_>)> {
        let text = self.text();
        let mut off = 0;
        text.split(|&c| c == b'\n').filter_map(move |line| {
            let at = off;
            off += line.len() + 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() || line[0] == b'#' {
                return None;
            }
            Some((at, Fields(line)))
        })
    }

    /// The line starting at `off` (as `lines` gives it).
    fn line_at(&self, off: usize) -> Fields<'_> {
        let text = self.text().get(off..).unwrap_or_default();
        let end = crate::bytes::memchr(b'\n', text).unwrap_or(text.len());
        let line = &text[..end];
        Fields(line.strip_suffix(b"\r").unwrap_or(line))
    }

    /// The line whose field `idx` is the decimal `id`, cached.
    fn by_id(&self, id: u32, idx: usize) -> Option<Fields<'_>> {
        let hit = self.cache.borrow().iter().find(|e| e.0 == id).map(|e| e.1);
        let off = match hit {
            Some(off) => off,
            None => {
                let off = self
                    .lines()
                    .find(|(_, f)| f.get(idx).and_then(parse_id) == Some(id))
                    .map_or(u32::MAX, |(o, _)| o.min(u32::MAX as usize - 1) as u32);
                self.cache.borrow_mut().push((id, off));
                off
            }
        };
        (off != u32::MAX).then(|| self.line_at(off as usize))
    }

    fn by_name(&self, name: &[u8], idx: usize) -> Option<Fields<'_>> {
        self.lines()
            .map(|(_, f)| f)
            .find(|f| f.get(0) == Some(name) && f.get(idx).and_then(parse_id).is_some())
    }
}

/// A line's ':'-separated fields.
#[derive(Clone, Copy)]
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn get(&self, i: usize) -> Option<&'a [u8]> {
        self.0.split(|&c| c == b':').nth(i)
    }
    fn or_empty(&self, i: usize) -> &'a [u8] {
        self.get(i).unwrap_or_default()
    }
    fn passwd(&self) -> Option<Passwd<'a>> {
        Some(Passwd {
            name: self.get(0)?,
            passwd: self.or_empty(1),
            uid: parse_id(self.get(2)?)?,
            gid: parse_id(self.get(3)?)?,
            gecos: self.or_empty(4),
            home: self.or_empty(5),
            shell: self.or_empty(6),
        })
    }
    fn group(&self) -> Option<Group<'a>> {
        Some(Group {
            name: self.get(0)?,
            passwd: self.or_empty(1),
            gid: parse_id(self.get(2)?)?,
            member_list: self.or_empty(3),
        })
    }
}

fn parse_id(s: &[u8]) -> Option<u32> {
    crate::args::parse_u64(s).and_then(|n| u32::try_from(n).ok())
}

/// Lookups in /etc/passwd and /etc/group for one applet run.
pub struct Users {
    pw: Db,
    gr: Db,
}

impl Default for Users {
    fn default() -> Self {
        Self::new()
    }
}

impl Users {
    pub const fn new() -> Users {
        Users {
            pw: Db::new("/etc/passwd"),
            gr: Db::new("/etc/group"),
        }
    }

    /// The name of user `uid`.
    pub fn user_name(&self, uid: u32) -> Option<&[u8]> {
        self.pw.by_id(uid, 2).and_then(|f| f.get(0))
    }

    /// The name of group `gid`.
    pub fn group_name(&self, gid: u32) -> Option<&[u8]> {
        self.gr.by_id(gid, 2).and_then(|f| f.get(0))
    }

    /// The uid of user `name`.
    pub fn uid(&self, name: &[u8]) -> Option<u32> {
        self.user(name).map(|p| p.uid)
    }

    /// The gid of group `name`.
    pub fn gid(&self, name: &[u8]) -> Option<u32> {
        self.group(name).map(|g| g.gid)
    }

    /// The passwd entry of user `name`.
    pub fn user(&self, name: &[u8]) -> Option<Passwd<'_>> {
        self.pw.by_name(name, 2).and_then(|f| f.passwd())
    }

    /// The passwd entry of user `uid`.
    pub fn user_by_uid(&self, uid: u32) -> Option<Passwd<'_>> {
        self.pw.by_id(uid, 2).and_then(|f| f.passwd())
    }

    /// The group entry of group `name`.
    pub fn group(&self, name: &[u8]) -> Option<Group<'_>> {
        self.gr.by_name(name, 2).and_then(|f| f.group())
    }

    /// The group entry of group `gid`.
    pub fn group_by_gid(&self, gid: u32) -> Option<Group<'_>> {
        self.gr.by_id(gid, 2).and_then(|f| f.group())
    }

    /// Every group entry, in file order (for supplementary groups: `id`, `groups`).
    pub fn groups(&self) -> impl Iterator<Item = Group<'_>> {
        self.gr.lines().filter_map(|(_, f)| f.group())
    }

    /// Every passwd entry, in file order.
    pub fn users(&self) -> impl Iterator<Item = Passwd<'_>> {
        self.pw.lines().filter_map(|(_, f)| f.passwd())
    }

    /// Lookups in the given texts instead of /etc's files (tests, callers with their own
    /// copies).
    pub fn from_text(passwd: Vec<u8>, group: Vec<u8>) -> Users {
        let u = Users::new();
        let _ = u.pw.data.set(passwd);
        let _ = u.gr.data.set(group);
        u
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Users {
        Users::from_text(
            b"# comment\nroot:x:0:0:root:/root:/bin/sh\n\nbad:x:zz:0::/:/bin/sh\n\
              daemon:x:1:1\nlongusername:x:1000:100:Long,,,:/home/l:/bin/bash\r\n\
              dup:x:0:0::/:\n"
                .to_vec(),
            b"root:x:0:\nusers:x:100:longusername,daemon,\nwheel::10:root".to_vec(),
        )
    }

    #[test]
    fn lookups() {
        let u = db();
        assert_eq!(u.user_name(0), Some(&b"root"[..]));
        assert_eq!(u.user_name(0), Some(&b"root"[..])); // cached
        assert_eq!(u.user_name(1), Some(&b"daemon"[..]));
        assert_eq!(u.user_name(7), None);
        assert_eq!(u.user_name(7), None);
        assert_eq!(u.uid(b"longusername"), Some(1000));
        assert_eq!(u.uid(b"bad"), None);
        assert_eq!(u.uid(b"nobody"), None);
        let l = u.user(b"longusername").unwrap();
        assert_eq!(
            (l.gid, l.home, l.shell),
            (100, &b"/home/l"[..], &b"/bin/bash"[..])
        );
        let d = u.user_by_uid(1).unwrap();
        assert_eq!((d.gecos, d.home, d.shell), (&b""[..], &b""[..], &b""[..]));
        assert_eq!(u.group_name(100), Some(&b"users"[..]));
        assert_eq!(u.gid(b"wheel"), Some(10));
        let m: Vec<&[u8]> = u.group(b"users").unwrap().members().collect();
        assert_eq!(m, [&b"longusername"[..], b"daemon"]);
        assert_eq!(u.groups().count(), 3);
        assert_eq!(u.users().count(), 4);
    }

    #[test]
    fn empty_root() {
        let u = Users::from_text(Vec::new(), Vec::new());
        assert_eq!(u.user_name(0), None);
        assert_eq!(u.group_name(0), None);
        assert_eq!(u.gid(b"root"), None);
    }
}

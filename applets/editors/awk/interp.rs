//! The tree-walking interpreter. Rust recursion follows the program's nesting (bounded by
//! the parser) and user function calls (bounded by a stack budget checked on each call).

use super::parse::*;
use super::record::{push_bytes, Field, Fs, Reader, Record, Rs};
use super::value::{num_to, strtod, Val};
use crate::cx::Out;
use crate::printf::{self, Args, Bad};
use crate::regex::{self, Flags, Regex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// FxHash: one multiply per word; keys are short and not attacker-chosen in a way that
/// matters for a single-user tool.
#[derive(Default)]
pub struct Fx(u64);
impl Hasher for Fx {
    fn write(&mut self, b: &[u8]) {
        let mix = |h: u64, v: u64| (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        let n = b.len();
        // Short keys (most subscripts) in one or two overlapping word reads; the length
        // is hashed before the bytes, so overlaps do not collide.
        self.0 = match n {
            0..=3 => b.iter().fold(self.0, |h, &x| mix(h, x as u64)),
            4..=8 => {
                let v = u32::from_le_bytes(word(b, 0)) as u64
                    | (u32::from_le_bytes(word(b, n - 4)) as u64) << 32;
                mix(self.0, v)
            }
            9..=16 => mix(
                mix(self.0, u64::from_le_bytes(word(b, 0))),
                u64::from_le_bytes(word(b, n - 8)),
            ),
            _ => {
                let mut h = self.0;
                let mut c = b.chunks_exact(8);
                for w in &mut c {
                    h = mix(h, u64::from_le_bytes(word(w, 0)));
                }
                c.remainder().iter().fold(h, |h, &x| mix(h, x as u64))
            }
        };
    }
    fn write_u8(&mut self, x: u8) {
        self.0 = (self.0.rotate_left(5) ^ x as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, x: usize) {
        self.0 = (self.0.rotate_left(5) ^ x as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
pub type Map = HashMap<Box<[u8]>, Val, BuildHasherDefault<Fx>>;

/// A subscript looked up by its bytes, compared in words: musl's memcmp goes byte by byte
/// (3% of a word count).
#[repr(transparent)]
pub struct Key([u8]);

impl Key {
    pub fn new(b: &[u8]) -> &Key {
        // SAFETY: Key is a transparent wrapper of [u8].
        unsafe { &*(b as *const [u8] as *const Key) }
    }
}

impl std::hash::Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // As Box<[u8]> hashes.
        self.0.hash(h)
    }
}

fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
    let mut w = [0u8; N];
    w.copy_from_slice(&s[at..at + N]);
    w
}

impl PartialEq for Key {
    fn eq(&self, o: &Key) -> bool {
        let (a, b) = (&self.0, &o.0);
        let n = a.len();
        if n != b.len() {
            return false;
        }
        match n {
            0..=3 => (0..n).all(|i| a[i] == b[i]),
            4..=8 => {
                word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4)
            }
            9..=16 => {
                word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8)
            }
            _ => a == b,
        }
    }
}
impl Eq for Key {}

impl std::borrow::Borrow<Key> for Box<[u8]> {
    fn borrow(&self) -> &Key {
        Key::new(self)
    }
}
type ArrRc = Rc<RefCell<Map>>;

#[derive(Clone)]
pub enum Cell {
    Val(Val),
    Arr(ArrRc),
}

pub enum Flow {
    Normal,
    Break,
    Continue,
    Next,
    NextFile,
    Exit,
    Return(Val),
}

/// A runtime error: the message (printed as `awk: cmd. line:N: MSG`).
pub struct Error(pub Vec<u8>);
type R<T> = Result<T, Error>;

fn err<T>(m: &str) -> R<T> {
    Err(Error(m.as_bytes().to_vec()))
}

struct OutStream {
    name: Vec<u8>,
    out: Out,
    fd: i32,
    pipe: *mut libc::FILE,
}

struct InStream {
    name: Vec<u8>,
    rd: Reader,
    pipe: *mut libc::FILE,
}

pub struct Interp<'p, 'o> {
    prog: &'p Program,
    pub globals: Vec<Cell>,
    stack: Vec<Cell>,
    fp: usize,
    pub rec: Record,
    nr: f64,
    fnr: f64,
    res: Vec<Regex>,
    dyn_re: HashMap<Vec<u8>, Rc<Regex>, BuildHasherDefault<Fx>>,
    fs: Fs,
    fs_src: Vec<u8>,
    fs_rc: Option<Rc<[u8]>>,
    rs_rc: Option<Rc<[u8]>>,
    rs: Rs,
    rs_src: Vec<u8>,
    outs: Vec<OutStream>,
    ins: Vec<InStream>,
    main: Option<Reader>,
    argi: usize,
    main_done: bool,
    used_file: bool,
    ranges: Vec<bool>,
    stack_base: usize,
    stack_budget: usize,
    seed: f64,
    rng: u64,
    pub exit_code: i32,
    pub out: &'o mut Out,
    tmp: Vec<u8>,
    /// sprintf's output before it becomes a value.
    sbuf: Vec<u8>,
    pargs: Vec<PArg>,
    kbuf: Vec<u8>,
    /// A literal every record the program acts on contains (its one pattern is `/re/`):
    /// the main loop passes over records without it.
    skip: Option<crate::bytes::memmem::Finder>,
    pub file_err: Option<Vec<u8>>,
    /// The source line being run, for error messages.
    pub line: u32,
}

/// A printf argument: a field still in the record (no copy made), or a value.
pub enum PArg {
    F(u32, u32),
    V(Val),
}

pub struct PfArgs<'a> {
    pub v: &'a [PArg],
    /// The record the fields are in.
    pub line: &'a [u8],
    pub i: usize,
    pub tmp: Vec<u8>,
}

fn f2i(f: f64) -> i64 {
    if f.is_nan() {
        0
    } else {
        f as i64
    }
}

impl PfArgs<'_> {
    fn next_num(&mut self) -> f64 {
        let v = match self.v.get(self.i) {
            Some(PArg::F(a, b)) => {
                strtod(self.line.get(*a as usize..*b as usize).unwrap_or_default()).0
            }
            Some(PArg::V(v)) => v.num(),
            None => 0.0,
        };
        self.i += 1;
        v
    }
}

impl Args for PfArgs<'_> {
    fn left(&self) -> usize {
        self.v.len().saturating_sub(self.i)
    }
    fn text(&mut self) -> Option<&[u8]> {
        let v = self.v.get(self.i)?;
        self.i += 1;
        match v {
            PArg::F(a, b) => Some(self.line.get(*a as usize..*b as usize).unwrap_or_default()),
            PArg::V(Val::Str(s) | Val::StrNum(s)) => Some(s),
            PArg::V(v) => {
                self.tmp.clear();
                v.put(&mut self.tmp, b"%.6g");
                Some(&self.tmp)
            }
        }
    }
    fn chr(&mut self) -> u8 {
        // A number, or input text that looks like one (as BusyBox and mawk: `echo 65 |
        // awk '{printf "%c", $1}'` prints A), is a character code.
        let strnum = match self.v.get(self.i) {
            Some(PArg::F(a, b)) => self.line.get(*a as usize..*b as usize),
            Some(PArg::V(Val::StrNum(s))) => Some(&s[..]),
            _ => None,
        };
        if let Some((n, true)) = strnum.map(strtod) {
            self.i += 1;
            return f2i(n) as u8;
        }
        match self.v.get(self.i) {
            Some(PArg::V(Val::Num(n))) => {
                self.i += 1;
                f2i(*n) as u8
            }
            Some(_) => self.text().and_then(|t| t.first().copied()).unwrap_or(0),
            None => 0,
        }
    }
    fn int(&mut self) -> Result<i64, Bad<i64>> {
        Ok(f2i(self.next_num()))
    }
    fn uint(&mut self) -> Result<u64, Bad<u64>> {
        let v = self.next_num();
        Ok(if v < 0.0 { f2i(v) as u64 } else { v as u64 })
    }
    fn float(&mut self) -> Result<f64, Bad<f64>> {
        Ok(self.next_num())
    }
    fn star(&mut self) -> Result<i32, Bad<i32>> {
        Ok(f2i(self.next_num()).clamp(-(1 << 24), 1 << 24) as i32)
    }
}

/// printf's output into a Vec: its pieces are short, copied without musl's memcpy.
pub struct Buf<'a>(pub &'a mut Vec<u8>);

impl printf::Sink for Buf<'_> {
    fn put(&mut self, b: &[u8]) {
        push_bytes(self.0, b);
    }
}

/// Writes `b` to `out`: 32 to 63 bytes as two halves, which Out copies by short moves
/// (it hands 32 bytes and more to musl's memcpy, slow to start for a line).
fn emit(out: &mut Out, b: &[u8]) {
    if (32..64).contains(&b.len()) {
        let (x, y) = b.split_at(b.len() / 2);
        out.write(x);
        out.write(y);
    } else {
        out.write(b);
    }
}

/// Whether evaluating `e` leaves the record's text and fields where they are (so fields
/// taken as ranges before it stay valid): no assignment, call, getline or `$0`.
fn pure(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Str(_) | Expr::Var(_) | Expr::Local(_) | Expr::Special(_) => true,
        Expr::Field(i) => matches!(**i, Expr::Num(n) if n >= 1.0),
        Expr::Neg(a) | Expr::Plus(a) | Expr::Not(a) | Expr::Group(a) => pure(a),
        Expr::Bin(_, a, b)
        | Expr::Cmp(_, a, b)
        | Expr::Concat(a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b) => pure(a) && pure(b),
        Expr::Cond(c, a, b) => pure(c) && pure(a) && pure(b),
        Expr::Index(_, idx) | Expr::In(idx, _) => idx.iter().all(pure),
        _ => false,
    }
}

/// Fields taken as ranges become values (before the record may change).
fn materialize(vals: &mut [PArg], line: &[u8]) {
    for v in vals {
        if let PArg::F(a, b) = *v {
            *v = PArg::V(Val::StrNum(
                line.get(a as usize..b as usize).unwrap_or_default().into(),
            ));
        }
    }
}

/// awk's escapes in a regex (`\t`, `\/`, octal) become the bytes (escaped when special).
pub fn awk_re(p: &[u8]) -> Vec<u8> {
    let mut o = Vec::with_capacity(p.len());
    let mut i = 0;
    let mut br = false;
    while i < p.len() {
        let c = p[i];
        i += 1;
        if c == b'[' && !br {
            br = true;
            o.push(c);
            if p.get(i) == Some(&b'^') {
                o.push(b'^');
                i += 1;
            }
            if p.get(i) == Some(&b']') {
                o.push(b']');
                i += 1;
            }
            continue;
        }
        if c == b']' && br {
            br = false;
            o.push(c);
            continue;
        }
        if c != b'\\' || i >= p.len() {
            o.push(c);
            continue;
        }
        let d = p[i];
        i += 1;
        let lit = match d {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'f' => 12,
            b'v' => 11,
            b'a' => 7,
            b'b' => 8,
            b'/' => b'/',
            b'"' => b'"',
            b'0'..=b'7' => {
                let mut v = (d - b'0') as u32;
                for _ in 0..2 {
                    match p.get(i) {
                        Some(&e @ b'0'..=b'7') => {
                            v = v * 8 + (e - b'0') as u32;
                            i += 1;
                        }
                        _ => break,
                    }
                }
                v as u8
            }
            _ => {
                if br && d != b'\\' && d != b']' {
                    o.push(b'\\');
                    o.push(d);
                } else if br && d == b'\\' {
                    o.push(b'\\');
                } else {
                    o.push(b'\\');
                    o.push(d);
                }
                continue;
            }
        };
        if !br && b"\\^$.[]|()*+?{}".contains(&lit) {
            o.push(b'\\');
        }
        o.push(lit);
    }
    o
}

pub fn compile(p: &[u8]) -> Result<Regex, Vec<u8>> {
    regex::compile(&awk_re(p), Flags::ERE).map_err(|e| {
        // \x02: BusyBox prints this message without the line.
        let mut m = b"\x02bad regex '".to_vec();
        m.extend_from_slice(p);
        m.extend_from_slice(b"': ");
        m.extend_from_slice(e.to_string().as_bytes());
        m
    })
}

fn stack_addr() -> usize {
    let x = 0u8;
    &x as *const u8 as usize
}

fn cstring(b: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = b.iter().copied().filter(|&c| c != 0).collect();
    v.push(0);
    v
}

impl<'p, 'o> Interp<'p, 'o> {
    pub fn new(prog: &'p Program, out: &'o mut Out) -> Result<Interp<'p, 'o>, Vec<u8>> {
        let mut res = Vec::with_capacity(prog.regexes.len());
        for r in &prog.regexes {
            res.push(compile(r)?);
        }
        let mut globals = vec![Cell::Val(Val::Uninit); prog.nglobals];
        let s = |t: &[u8]| Cell::Val(Val::str(t));
        globals[FS as usize] = s(b" ");
        globals[OFS as usize] = s(b" ");
        globals[ORS as usize] = s(b"\n");
        globals[RS as usize] = s(b"\n");
        globals[SUBSEP as usize] = s(b"\x1c");
        globals[CONVFMT as usize] = s(b"%.6g");
        globals[OFMT as usize] = s(b"%.6g");
        globals[RSTART as usize] = Cell::Val(Val::Num(0.0));
        globals[RLENGTH as usize] = Cell::Val(Val::Num(-1.0));
        globals[FILENAME as usize] = Cell::Val(Val::Uninit);
        let mut env = Map::default();
        for e in crate::sys::environ() {
            if let Some(i) = e.iter().position(|&c| c == b'=') {
                env.insert(e[..i].into(), Val::StrNum(e[i + 1..].into()));
            }
        }
        globals[ENVIRON as usize] = Cell::Arr(Rc::new(RefCell::new(env)));
        let mut lim: libc::rlimit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct passed.
        let st = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut lim) };
        let stack = if st == 0 {
            (lim.rlim_cur as usize).min(8 << 20)
        } else {
            8 << 20
        };
        let skip = match &prog.items[..] {
            [(Pattern::Expr(Expr::Re(i)), _)] => res
                .get(*i as usize)
                .map(|r| r.required())
                .filter(|l| !l.is_empty())
                .map(|l| crate::bytes::memmem::Finder::new(l)),
            _ => None,
        };
        Ok(Interp {
            prog,
            globals,
            stack: Vec::new(),
            fp: 0,
            rec: Record::default(),
            nr: 0.0,
            fnr: 0.0,
            res,
            dyn_re: HashMap::default(),
            fs: Fs::Space,
            fs_src: b" ".to_vec(),
            fs_rc: None,
            rs_rc: None,
            rs: Rs::Byte(b'\n'),
            rs_src: b"\n".to_vec(),
            outs: Vec::new(),
            ins: Vec::new(),
            main: None,
            argi: 1,
            main_done: false,
            used_file: false,
            ranges: vec![false; prog.nranges],
            stack_base: stack_addr(),
            stack_budget: stack / 2,
            seed: 0.0,
            rng: 0x2545_f491_4f6c_dd1d,
            exit_code: 0,
            out,
            tmp: Vec::new(),
            sbuf: Vec::new(),
            pargs: Vec::new(),
            kbuf: Vec::new(),
            skip,
            file_err: None,
            line: 1,
        })
    }

    pub fn set_argv(&mut self, args: &[&[u8]]) {
        let mut m = Map::default();
        for (i, a) in args.iter().enumerate() {
            let mut b = [0u8; 20];
            m.insert(
                crate::cx::fmt_u64(i as u64, &mut b).into(),
                Val::StrNum((*a).into()),
            );
        }
        self.globals[ARGV as usize] = Cell::Arr(Rc::new(RefCell::new(m)));
        self.globals[ARGC as usize] = Cell::Val(Val::Num(args.len() as f64));
    }

    fn gval(&self, g: u32) -> &Val {
        match self.globals.get(g as usize) {
            Some(Cell::Val(v)) => v,
            _ => &Val::Uninit,
        }
    }

    fn gbytes(&self, g: u32) -> Rc<[u8]> {
        self.gval(g).bytes(b"%.6g")
    }

    fn convfmt(&self) -> Rc<[u8]> {
        self.gbytes(CONVFMT)
    }

    /// A value's text with CONVFMT.
    fn text(&self, v: &Val) -> Rc<[u8]> {
        match v {
            Val::Str(s) | Val::StrNum(s) => s.clone(),
            Val::Num(n) if *n == (*n as i64) as f64 && n.abs() < 9.2e18 => {
                let mut o = Vec::new();
                num_to(&mut o, *n, b"");
                o.into()
            }
            _ => {
                let mut o = Vec::new();
                v.put(&mut o, &self.convfmt());
                o.into()
            }
        }
    }

    // ---- fields ----

    /// Whether global `g` still holds the very text `seen` (no comparison of bytes).
    fn same_text(&self, g: u32, seen: &Option<Rc<[u8]>>) -> bool {
        match (self.gval(g), seen) {
            (Val::Str(s) | Val::StrNum(s), Some(c)) => Rc::ptr_eq(s, c),
            _ => false,
        }
    }

    fn sync_fs(&mut self) -> R<()> {
        // Once a record: the text last seen is kept alive, so its address is not reused.
        if self.same_text(FS, &self.fs_rc) {
            return Ok(());
        }
        let cur = self.gbytes(FS);
        if *cur != *self.fs_src {
            self.fs = match &cur[..] {
                b" " => Fs::Space,
                b"" => Fs::Each,
                [c] if *c != b'\\' => Fs::Byte(*c),
                b"\\t" => Fs::Byte(b'\t'),
                p => Fs::Re(compile(p).map_err(Error)?),
            };
            self.fs_src = cur.to_vec();
        }
        if let Val::Str(s) | Val::StrNum(s) = self.gval(FS) {
            self.fs_rc = Some(s.clone());
        }
        Ok(())
    }

    fn para(&self) -> bool {
        matches!(self.rs, Rs::Para)
    }

    fn ensure_split(&mut self) -> R<()> {
        self.ensure_field(usize::MAX)
    }

    /// At least fields 1..=i split (all of them for NF or an assignment).
    fn ensure_field(&mut self, i: usize) -> R<()> {
        if !self.rec.split {
            // A split under way goes on with the FS it began with.
            if !self.rec.partial {
                self.sync_fs()?;
            }
            let para = self.para();
            self.rec.split_upto(&self.fs, para, i);
        }
        Ok(())
    }

    fn nf(&mut self) -> R<usize> {
        self.ensure_split()?;
        Ok(self.rec.fields.len())
    }

    fn dollar0(&mut self) -> &[u8] {
        if self.rec.dirty {
            let ofs = self.gbytes(OFS);
            let cf = self.convfmt();
            self.rec.rebuild(&ofs, &cf);
        }
        self.rec.line()
    }

    fn field_index(&mut self, e: &Expr) -> R<usize> {
        // $i and $3 without num()'s dispatch.
        let n = match self.plain_num(e) {
            Some(n) => n,
            None => self.num(e)?,
        };
        if n < 0.0 {
            return err("Access to negative field");
        }
        if n > 10_000_000.0 {
            return err("Field number too large");
        }
        Ok(n as usize)
    }

    fn get_field(&mut self, i: usize) -> R<Val> {
        if i == 0 {
            return Ok(Val::StrNum(self.dollar0().into()));
        }
        self.ensure_field(i)?;
        Ok(match self.rec.fields.get(i - 1) {
            None => Val::Uninit,
            Some(Field::Val(v)) => v.clone(),
            Some(Field::Range(a, b)) => Val::StrNum(
                self.rec
                    .line()
                    .get(*a as usize..*b as usize)
                    .unwrap_or_default()
                    .into(),
            ),
        })
    }

    fn set_field(&mut self, i: usize, v: Val) -> R<()> {
        if i == 0 {
            let t = self.text(&v);
            self.rec.set(&t);
            return Ok(());
        }
        self.ensure_split()?;
        let f = &mut self.rec.fields;
        if f.len() < i {
            f.resize(i, Field::Val(Val::Uninit));
        }
        f[i - 1] = Field::Val(v);
        self.rec.dirty = true;
        Ok(())
    }

    fn set_nf(&mut self, n: f64) -> R<()> {
        self.ensure_split()?;
        if !(0.0..=10_000_000.0).contains(&n) {
            return err("NF set to negative value");
        }
        self.rec.fields.resize(n as usize, Field::Val(Val::Uninit));
        self.rec.dirty = true;
        Ok(())
    }

    // ---- variables and arrays ----

    fn cell_mut(&mut self, a: Arr) -> &mut Cell {
        match a {
            Arr::Global(g) => &mut self.globals[g as usize],
            Arr::Local(l) => {
                let i = self.fp + l as usize;
                &mut self.stack[i]
            }
        }
    }

    fn array(&mut self, a: Arr) -> R<ArrRc> {
        let c = self.cell_mut(a);
        match c {
            Cell::Arr(r) => Ok(r.clone()),
            Cell::Val(Val::Uninit) => {
                let r: ArrRc = Rc::new(RefCell::new(Map::default()));
                *c = Cell::Arr(r.clone());
                Ok(r)
            }
            Cell::Val(_) => err("Can't use scalar as array"),
        }
    }

    /// A value's text (CONVFMT) appended to `buf`.
    fn text_into(&self, v: &Val, buf: &mut Vec<u8>) {
        match v {
            Val::Str(s) | Val::StrNum(s) => push_bytes(buf, s),
            Val::Num(n) if *n == (*n as i64) as f64 && n.abs() < 9.2e18 => num_to(buf, *n, b""),
            v => buf.extend_from_slice(&self.text(v)),
        }
    }

    /// The subscript's text: a range of the record (a field, not copied), or None and the
    /// text in `buf` (no allocation once `buf` has grown).
    fn key_into(&mut self, idx: &[Expr], buf: &mut Vec<u8>) -> R<Option<(usize, usize)>> {
        buf.clear();
        if let [e] = idx {
            match e {
                Expr::Field(i) => {
                    let i = self.field_index(i)?;
                    if i == 0 {
                        let n = self.dollar0().len();
                        return Ok(Some((0, n)));
                    }
                    self.ensure_field(i)?;
                    match self.rec.fields.get(i - 1) {
                        Some(Field::Range(a, b)) => return Ok(Some((*a as usize, *b as usize))),
                        Some(Field::Val(v)) => self.text_into(v, buf),
                        None => {}
                    }
                    return Ok(None);
                }
                Expr::Str(s) => {
                    buf.extend_from_slice(s);
                    return Ok(None);
                }
                _ => {}
            }
            let v = self.eval(e)?;
            self.text_into(&v, buf);
            return Ok(None);
        }
        let k = self.key(idx)?;
        buf.extend_from_slice(&k);
        Ok(None)
    }

    /// Runs `f` on the element `a[idx]`, created when missing.
    fn with_elem<T>(&mut self, a: Arr, idx: &[Expr], f: impl FnOnce(&mut Val) -> R<T>) -> R<T> {
        let mut kb = std::mem::take(&mut self.kbuf);
        let range = match self.key_into(idx, &mut kb) {
            Ok(r) => r,
            Err(e) => {
                self.kbuf = kb;
                return Err(e);
            }
        };
        let key: &[u8] = match range {
            Some((x, y)) => self.rec.line().get(x..y).unwrap_or_default(),
            None => &kb,
        };
        let cell = match a {
            Arr::Global(g) => &mut self.globals[g as usize],
            Arr::Local(l) => &mut self.stack[self.fp + l as usize],
        };
        if let Cell::Val(Val::Uninit) = cell {
            *cell = Cell::Arr(Rc::new(RefCell::new(Map::default())));
        }
        let r = match cell {
            Cell::Arr(arr) => {
                let mut m = arr.borrow_mut();
                match m.get_mut(Key::new(key)) {
                    Some(v) => f(v),
                    None => f(m.entry(Box::from(key)).or_insert(Val::Uninit)),
                }
            }
            Cell::Val(_) => err("Can't use scalar as array"),
        };
        self.kbuf = kb;
        r
    }

    fn key(&mut self, idx: &[Expr]) -> R<Box<[u8]>> {
        if let [e] = idx {
            if let Expr::Field(i) = e {
                let i = self.field_index(i)?;
                if i > 0 {
                    self.ensure_field(i)?;
                    if let Some(Field::Range(..)) = self.rec.fields.get(i - 1) {
                        return Ok(Box::from(self.rec.field_bytes(i - 1)));
                    }
                }
            }
            let v = self.eval(e)?;
            return Ok(match v {
                Val::Str(s) | Val::StrNum(s) => Box::from(&s[..]),
                v => Box::from(&self.text(&v)[..]),
            });
        }
        let sep = self.gbytes(SUBSEP);
        let mut k = Vec::new();
        for (i, e) in idx.iter().enumerate() {
            if i > 0 {
                k.extend_from_slice(&sep);
            }
            let v = self.eval(e)?;
            k.extend_from_slice(&self.text(&v));
        }
        Ok(k.into())
    }

    fn store(&mut self, e: &Expr, v: Val) -> R<()> {
        match e {
            Expr::Var(g) => {
                let c = &mut self.globals[*g as usize];
                if let Cell::Arr(_) = c {
                    return err("Can't assign to array");
                }
                *c = Cell::Val(v);
            }
            Expr::Local(l) => {
                let i = self.fp + *l as usize;
                self.stack[i] = Cell::Val(v);
            }
            Expr::Special(s) => match *s {
                NR => self.nr = v.num(),
                FNR => self.fnr = v.num(),
                _ => self.set_nf(v.num())?,
            },
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                self.set_field(i, v)?;
            }
            Expr::Index(a, idx) => self.with_elem(*a, idx, |slot| {
                *slot = v;
                Ok(())
            })?,
            Expr::Group(g) => return self.store(g, v),
            _ => return err("Unexpected token"),
        }
        Ok(())
    }

    // ---- regexes ----

    fn dyn_regex(&mut self, p: &[u8]) -> R<Rc<Regex>> {
        if let Some(r) = self.dyn_re.get(p) {
            return Ok(r.clone());
        }
        if self.dyn_re.len() > 256 {
            self.dyn_re.clear();
        }
        let r = Rc::new(compile(p).map_err(Error)?);
        self.dyn_re.insert(p.to_vec(), r.clone());
        Ok(r)
    }

    /// The regex an expression stands for: a literal or a string compiled at run time.
    fn regex_of(&mut self, e: &Expr) -> R<RegexRef> {
        if let Expr::Re(i) = e {
            return Ok(RegexRef::Static(*i as usize));
        }
        let v = self.eval(e)?;
        let t = self.text(&v);
        Ok(RegexRef::Dyn(self.dyn_regex(&t)?))
    }

    fn re<'a>(&'a self, r: &'a RegexRef) -> &'a Regex {
        match r {
            RegexRef::Static(i) => &self.res[*i],
            RegexRef::Dyn(d) => d,
        }
    }

    // ---- evaluation ----

    pub fn num(&mut self, e: &Expr) -> R<f64> {
        match e {
            Expr::Num(n) => Ok(*n),
            // Variables and arithmetic without building a value.
            Expr::Var(g) => match &self.globals[*g as usize] {
                Cell::Val(v) => Ok(v.num()),
                Cell::Arr(_) => err("Can't use array as scalar"),
            },
            Expr::Local(l) => match &self.stack[self.fp + *l as usize] {
                Cell::Val(v) => Ok(v.num()),
                Cell::Arr(_) => err("Can't use array as scalar"),
            },
            Expr::Special(s) => Ok(match *s {
                NR => self.nr,
                FNR => self.fnr,
                _ => self.nf()? as f64,
            }),
            Expr::Bin(op, a, b) => {
                let x = self.num(a)?;
                let y = self.num(b)?;
                Self::arith(*op, x, y)
            }
            Expr::Group(g) => self.num(g),
            Expr::Field(i) => {
                // No value is built for a field read as a number.
                let i = self.field_index(i)?;
                if i == 0 {
                    return Ok(strtod(self.dollar0()).0);
                }
                self.ensure_field(i)?;
                Ok(match self.rec.fields.get(i - 1) {
                    None => 0.0,
                    Some(Field::Val(v)) => v.num(),
                    Some(Field::Range(a, b)) => {
                        strtod(
                            self.rec
                                .line()
                                .get(*a as usize..*b as usize)
                                .unwrap_or_default(),
                        )
                        .0
                    }
                })
            }
            _ => Ok(self.eval(e)?.num()),
        }
    }

    /// The number `e` is when it is one already (a constant, a numeric variable, NR, NF
    /// of a split record), read without side effects: comparisons of two skip values.
    fn plain_num(&self, e: &Expr) -> Option<f64> {
        let c = match e {
            Expr::Num(n) => return Some(*n),
            Expr::Var(g) => self.globals.get(*g as usize),
            Expr::Local(l) => self.stack.get(self.fp + *l as usize),
            Expr::Special(NR) => return Some(self.nr),
            Expr::Special(FNR) => return Some(self.fnr),
            Expr::Special(_) if self.rec.split => return Some(self.rec.fields.len() as f64),
            _ => None,
        };
        match c {
            Some(Cell::Val(Val::Num(n))) => Some(*n),
            _ => None,
        }
    }

    pub fn cond(&mut self, e: &Expr) -> R<bool> {
        match e {
            Expr::Re(i) => {
                let _ = self.dollar0();
                Ok(self.res[*i as usize].is_match(self.rec.line()))
            }
            Expr::Cmp(op, a, b) => {
                if let (Some(x), Some(y)) = (self.plain_num(a), self.plain_num(b)) {
                    return Ok(match op {
                        b'<' => x < y,
                        b'L' => x <= y,
                        b'>' => x > y,
                        b'G' => x >= y,
                        b'=' => x == y,
                        _ => x != y,
                    });
                }
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                Ok(self.compare(*op, &x, &y))
            }
            Expr::And(a, b) => Ok(self.cond(a)? && self.cond(b)?),
            Expr::Or(a, b) => Ok(self.cond(a)? || self.cond(b)?),
            Expr::Not(a) => Ok(!self.cond(a)?),
            Expr::Group(g) => self.cond(g),
            _ => Ok(self.eval(e)?.truthy()),
        }
    }

    fn compare(&mut self, op: u8, a: &Val, b: &Val) -> bool {
        let o = if let (Val::Num(x), Val::Num(y)) = (a, b) {
            x.partial_cmp(y)
        } else if a.is_numeric() && b.is_numeric() {
            let (x, y) = (a.num(), b.num());
            x.partial_cmp(&y)
        } else {
            let (x, y) = (self.text(a), self.text(b));
            Some(x.cmp(&y))
        };
        use std::cmp::Ordering::*;
        match (op, o) {
            (b'<', Some(Less)) => true,
            (b'L', Some(Less | Equal)) => true,
            (b'>', Some(Greater)) => true,
            (b'G', Some(Greater | Equal)) => true,
            (b'=', Some(Equal)) => true,
            (b'!', Some(Less | Greater) | None) => true,
            _ => false,
        }
    }

    fn arith(op: u8, a: f64, b: f64) -> R<f64> {
        Ok(match op {
            b'+' => a + b,
            b'-' => a - b,
            b'*' => a * b,
            b'/' => {
                if b == 0.0 {
                    return err("Division by zero");
                }
                a / b
            }
            b'%' => {
                if b == 0.0 {
                    return err("Division by zero");
                }
                a % b
            }
            _ => a.powf(b),
        })
    }

    pub fn eval(&mut self, e: &Expr) -> R<Val> {
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Re(_) => Val::Num(self.cond(e)? as u8 as f64),
            Expr::Var(g) => match &self.globals[*g as usize] {
                Cell::Val(v) => v.clone(),
                Cell::Arr(_) => return err("Can't use array as scalar"),
            },
            Expr::Local(l) => match &self.stack[self.fp + *l as usize] {
                Cell::Val(v) => v.clone(),
                Cell::Arr(_) => return err("Can't use array as scalar"),
            },
            Expr::ArrArg(a) => match self.cell_mut(*a) {
                Cell::Val(v) => v.clone(),
                Cell::Arr(_) => return err("Can't use array as scalar"),
            },
            Expr::Special(s) => Val::Num(match *s {
                NR => self.nr,
                FNR => self.fnr,
                _ => self.nf()? as f64,
            }),
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                self.get_field(i)?
            }
            Expr::Index(a, idx) => self.with_elem(*a, idx, |v| Ok(v.clone()))?,
            Expr::Group(g) => self.eval(g)?,
            Expr::Assign(op, l, r) => {
                let v = if *op == 0 {
                    match self.eval(r)? {
                        Val::Uninit => Val::Uninit,
                        v => v,
                    }
                } else {
                    let b = self.num(r)?;
                    if let Expr::Index(a, idx) = &**l {
                        let op = *op;
                        return self.with_elem(*a, idx, |slot| {
                            let v = Val::Num(Self::arith(op, slot.num(), b)?);
                            *slot = v.clone();
                            Ok(v)
                        });
                    }
                    let a = self.num(l)?;
                    Val::Num(Self::arith(*op, a, b)?)
                };
                self.store(l, v.clone())?;
                v
            }
            Expr::Cond(c, a, b) => {
                if self.cond(c)? {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Val::Num((self.cond(a)? && self.cond(b)?) as u8 as f64),
            Expr::Or(a, b) => Val::Num((self.cond(a)? || self.cond(b)?) as u8 as f64),
            Expr::Not(a) => Val::Num(!self.cond(a)? as u8 as f64),
            Expr::Neg(a) => Val::Num(-self.num(a)?),
            Expr::Plus(a) => Val::Num(self.num(a)?),
            Expr::Bin(op, a, b) => {
                let x = self.num(a)?;
                let y = self.num(b)?;
                Val::Num(Self::arith(*op, x, y)?)
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                Val::Num(self.compare(*op, &x, &y) as u8 as f64)
            }
            Expr::Match(neg, a, r) => {
                let s = self.eval(a)?;
                let s = self.text(&s);
                let re = self.regex_of(r)?;
                let m = self.re(&re).is_match(&s);
                Val::Num((m != *neg) as u8 as f64)
            }
            Expr::Concat(..) => {
                let mut o = Vec::new();
                self.concat_into(e, &mut o)?;
                Val::Str(o.into())
            }
            Expr::In(idx, a) => {
                let k = self.key(idx)?;
                let arr = self.array(*a)?;
                let r = arr.borrow().contains_key(&k);
                Val::Num(r as u8 as f64)
            }
            Expr::Incr(pre, d, l) if matches!(**l, Expr::Index(..)) => {
                // One key and one lookup for `a[k]++`.
                let Expr::Index(a, idx) = &**l else {
                    return err("");
                };
                let old = self.with_elem(*a, idx, |slot| {
                    let old = slot.num();
                    *slot = Val::Num(old + d);
                    Ok(old)
                })?;
                Val::Num(if *pre { old + d } else { old })
            }
            Expr::Incr(pre, d, l) if matches!(**l, Expr::Var(g) if matches!(self.globals[g as usize], Cell::Val(_))) =>
            {
                // In place: `i++` on a plain variable.
                let Expr::Var(g) = **l else { return err("") };
                let Cell::Val(v) = &mut self.globals[g as usize] else {
                    return err("");
                };
                let old = v.num();
                *v = Val::Num(old + d);
                Val::Num(if *pre { old + d } else { old })
            }
            Expr::Incr(pre, d, l) => {
                let old = self.num(l)?;
                self.store(l, Val::Num(old + d))?;
                Val::Num(if *pre { old + d } else { old })
            }
            Expr::Call(f, args) => self.call(*f, args)?,
            Expr::Builtin(b, args) => self.builtin(*b, args)?,
            Expr::Getline(kind, src, var) => {
                Val::Num(self.getline(*kind, src.as_deref(), var.as_deref())?)
            }
        })
    }

    /// An expression evaluated for its effect: `i++` and `a[k]++` without eval's frame
    /// and without a value built to be dropped.
    fn eval_discard(&mut self, e: &Expr) -> R<()> {
        if let Expr::Incr(_, d, l) = e {
            match &**l {
                Expr::Var(g) => {
                    if let Some(Cell::Val(v)) = self.globals.get_mut(*g as usize) {
                        *v = Val::Num(v.num() + d);
                        return Ok(());
                    }
                }
                Expr::Index(a, idx) => {
                    return self.with_elem(*a, idx, |slot| {
                        *slot = Val::Num(slot.num() + d);
                        Ok(())
                    })
                }
                _ => {}
            }
        }
        self.eval(e).map(drop)
    }

    fn concat_into(&mut self, e: &Expr, o: &mut Vec<u8>) -> R<()> {
        // Left-nested chains are walked iteratively.
        let mut parts: Vec<&Expr> = Vec::new();
        let mut cur = e;
        while let Expr::Concat(a, b) = cur {
            parts.push(b);
            cur = a;
        }
        parts.push(cur);
        for p in parts.into_iter().rev() {
            self.put_expr(p, o)?;
        }
        Ok(())
    }

    /// Appends an expression's text (CONVFMT), without a value for fields.
    fn put_expr(&mut self, e: &Expr, o: &mut Vec<u8>) -> R<()> {
        if let Expr::Field(i) = e {
            let i = self.field_index(i)?;
            if i == 0 {
                let d = self.dollar0();
                o.extend_from_slice(d);
                return Ok(());
            }
            self.ensure_field(i)?;
            if let Some(Field::Range(..)) = self.rec.fields.get(i - 1) {
                push_bytes(o, self.rec.field_bytes(i - 1));
                return Ok(());
            }
        }
        let v = self.eval(e)?;
        o.extend_from_slice(&self.text(&v));
        Ok(())
    }

    fn call(&mut self, f: u32, args: &[Expr]) -> R<Val> {
        let func = &self.prog.funcs[f as usize];
        let Some(body) = &func.body else {
            return err("Call to undefined function");
        };
        if args.len() > func.nparams {
            return err("Too many arguments");
        }
        if self.stack_base.abs_diff(stack_addr()) > self.stack_budget {
            return err("Function call nesting too deep");
        }
        let mut cells = Vec::with_capacity(func.nparams);
        for a in args {
            cells.push(match a {
                Expr::ArrArg(arr) => {
                    let c = self.cell_mut(*arr);
                    match c {
                        Cell::Arr(r) => Cell::Arr(r.clone()),
                        Cell::Val(Val::Uninit) => {
                            // Unknown yet: share a fresh array, as the callee may fill it.
                            let r: ArrRc = Rc::new(RefCell::new(Map::default()));
                            *c = Cell::Arr(r.clone());
                            Cell::Arr(r)
                        }
                        Cell::Val(v) => Cell::Val(v.clone()),
                    }
                }
                e => Cell::Val(self.eval(e)?),
            });
        }
        while cells.len() < func.nparams {
            cells.push(Cell::Val(Val::Uninit));
        }
        let base = self.stack.len();
        self.stack.extend(cells);
        let old = std::mem::replace(&mut self.fp, base);
        let line = self.line;
        let r = self.block(body);
        self.fp = old;
        if r.is_ok() {
            // An error later in the caller's statement is on the caller's line.
            self.line = line;
        }
        // A local that became an array while the caller passed an untyped name: nothing to
        // copy back, the Rc is shared.
        let extra = self.stack.split_off(base);
        drop(extra);
        // An untyped argument the callee used as a scalar leaves an empty array behind in
        // the caller; turn it back.
        for a in args {
            if let Expr::ArrArg(arr) = a {
                let c = self.cell_mut(*arr);
                if let Cell::Arr(r) = c {
                    if r.borrow().is_empty() && Rc::strong_count(r) == 1 {
                        *c = Cell::Val(Val::Uninit);
                    }
                }
            }
        }
        match r? {
            Flow::Return(v) => Ok(v),
            Flow::Exit => Err(Error(Vec::new())),
            Flow::Next => Err(Error(b"\x01next".to_vec())),
            Flow::NextFile => Err(Error(b"\x01nextfile".to_vec())),
            _ => Ok(Val::Uninit),
        }
    }

    // ---- statements ----

    pub fn block(&mut self, b: &[Stmt]) -> R<Flow> {
        for s in b {
            match self.exec(s)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &Stmt) -> R<Flow> {
        match s {
            Stmt::Expr(e) => self.eval_discard(e)?,
            Stmt::Print(pf, args, kind, target) => self.print(*pf, args, *kind, target.as_ref())?,
            Stmt::If(c, t, e) => {
                if self.cond(c)? {
                    return self.exec(t);
                } else if let Some(e) = e {
                    return self.exec(e);
                }
            }
            Stmt::While(c, b) => {
                while self.cond(c)? {
                    match self.exec(b)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        f => return Ok(f),
                    }
                }
            }
            Stmt::Do(b, c) => loop {
                match self.exec(b)? {
                    Flow::Break => break,
                    Flow::Normal | Flow::Continue => {}
                    f => return Ok(f),
                }
                if !self.cond(c)? {
                    break;
                }
            },
            Stmt::For(i, c, st, b) => {
                if let Some(i) = i {
                    self.eval(i)?;
                }
                loop {
                    if let Some(c) = c {
                        if !self.cond(c)? {
                            break;
                        }
                    }
                    match self.exec(b)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        f => return Ok(f),
                    }
                    if let Some(st) = st {
                        self.eval_discard(st)?;
                    }
                }
            }
            Stmt::ForIn(var, a, b) => {
                let arr = self.array(*a)?;
                let keys: Vec<Box<[u8]>> = arr.borrow().keys().cloned().collect();
                for k in keys {
                    if !arr.borrow().contains_key(&k) {
                        continue;
                    }
                    self.store(var, Val::StrNum(Rc::from(&k[..])))?;
                    match self.exec(b)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        f => return Ok(f),
                    }
                }
            }
            Stmt::Block(b) => return self.block(b),
            Stmt::Next => return Ok(Flow::Next),
            Stmt::NextFile => return Ok(Flow::NextFile),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.num(e)? as i32;
                }
                return Ok(Flow::Exit);
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Val::Uninit,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::Line(l) => self.line = *l,
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Delete(a, idx) => {
                let k = match idx {
                    Some(i) => Some(self.key(i)?),
                    None => None,
                };
                let arr = self.array(*a)?;
                let mut m = arr.borrow_mut();
                match k {
                    Some(k) => {
                        m.remove(&k);
                    }
                    None => m.clear(),
                }
            }
        }
        Ok(Flow::Normal)
    }

    /// `print` of $0 to standard output: no copy into `tmp` first.
    fn print_record(&mut self) {
        let _ = self.dollar0();
        emit(self.out, self.rec.line());
        match self.globals.get(ORS as usize) {
            Some(Cell::Val(Val::Str(s) | Val::StrNum(s))) => emit(self.out, s),
            _ => {
                let ors = self.gbytes(ORS);
                emit(self.out, &ors);
            }
        }
    }

    fn print(&mut self, pf: bool, args: &[Expr], kind: u8, target: Option<&Expr>) -> R<()> {
        if !pf && args.is_empty() && target.is_none() {
            self.print_record();
            return Ok(());
        }
        let mut buf = std::mem::take(&mut self.tmp);
        buf.clear();
        let r = self.format_print(pf, args, &mut buf);
        if let Err(e) = r {
            self.tmp = buf;
            return Err(e);
        }
        match target {
            None => emit(self.out, &buf),
            Some(t) => {
                let v = self.eval(t)?;
                let name = self.text(&v);
                if &name[..] == b"/dev/stderr" {
                    // Keep the order the two streams were written in.
                    self.out.flush();
                }
                let o = self.output(kind, &name)?;
                o.write(&buf);
                if &name[..] == b"/dev/stderr" {
                    o.flush();
                }
            }
        }
        self.tmp = buf;
        Ok(())
    }

    fn format_print(&mut self, pf: bool, args: &[Expr], buf: &mut Vec<u8>) -> R<()> {
        if pf {
            return self.printf_into(args, buf);
        }
        if args.is_empty() {
            let d = self.dollar0();
            buf.extend_from_slice(d);
        } else {
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    let ofs = self.gbytes(OFS);
                    push_bytes(buf, &ofs);
                }
                match a {
                    Expr::Field(_) | Expr::Concat(..) | Expr::Str(_) => self.put_expr(a, buf)?,
                    _ => {
                        let v = self.eval(a)?;
                        match v {
                            Val::Num(n) => {
                                let of = self.gbytes(OFMT);
                                num_to(buf, n, &of)
                            }
                            v => v.put(buf, b""),
                        }
                    }
                }
            }
        }
        match self.gval(ORS) {
            Val::Str(s) | Val::StrNum(s) => push_bytes(buf, s),
            _ => {
                let ors = self.gbytes(ORS);
                push_bytes(buf, &ors);
            }
        }
        Ok(())
    }

    /// printf's arguments (the format first) formatted into `buf`.
    fn printf_into(&mut self, args: &[Expr], buf: &mut Vec<u8>) -> R<()> {
        let mut vals = std::mem::take(&mut self.pargs);
        vals.clear();
        let r = self
            .pf_args(args, &mut vals)
            .and_then(|()| self.sprintf(&vals, buf));
        self.pargs = vals;
        r
    }

    /// Evaluates printf's arguments; fields stay ranges of the record while nothing that
    /// could change the record runs (no allocation for `printf "%s", $2`).
    fn pf_args(&mut self, args: &[Expr], vals: &mut Vec<PArg>) -> R<()> {
        for a in args {
            if let Expr::Field(ie) = a {
                if pure(ie) {
                    let i = self.field_index(ie)?;
                    if i > 0 {
                        self.ensure_field(i)?;
                        vals.push(match self.rec.fields.get(i - 1) {
                            Some(Field::Range(x, y)) => PArg::F(*x, *y),
                            Some(Field::Val(v)) => PArg::V(v.clone()),
                            None => PArg::V(Val::Uninit),
                        });
                        continue;
                    }
                    if !self.rec.dirty {
                        vals.push(PArg::F(0, self.rec.line().len() as u32));
                        continue;
                    }
                    // $0 of a changed record is rebuilt, which moves the fields.
                    materialize(vals, self.rec.line());
                    let v = self.get_field(0)?;
                    vals.push(PArg::V(v));
                    continue;
                }
            }
            if !pure(a) {
                materialize(vals, self.rec.line());
            }
            let v = self.eval(a)?;
            vals.push(PArg::V(v));
        }
        Ok(())
    }

    fn sprintf(&self, vals: &[PArg], buf: &mut Vec<u8>) -> R<()> {
        let Some(first) = vals.first() else {
            return Ok(());
        };
        let conv;
        let fmt: &[u8] = match first {
            PArg::F(a, b) => self
                .rec
                .line()
                .get(*a as usize..*b as usize)
                .unwrap_or_default(),
            PArg::V(Val::Str(s) | Val::StrNum(s)) => s,
            PArg::V(v) => {
                conv = self.text(v);
                &conv
            }
        };
        let mut a = PfArgs {
            v: vals.get(1..).unwrap_or_default(),
            line: self.rec.line(),
            i: 0,
            tmp: Vec::new(),
        };
        let mut bad = false;
        let st = printf::once_native(fmt, &mut a, &mut Buf(buf), &mut |_| {}, false, &mut bad);
        if st == printf::Step::Bad {
            return err("Invalid format specifier");
        }
        Ok(())
    }

    fn output(&mut self, kind: u8, name: &[u8]) -> R<&mut Out> {
        if kind != b'|' && (name == b"/dev/stdout" || name == b"-") {
            return Ok(self.out);
        }
        if let Some(i) = self.outs.iter().position(|o| o.name == name) {
            return Ok(&mut self.outs[i].out);
        }
        let (fd, pipe) = if kind == b'|' {
            self.out.flush();
            for o in &mut self.outs {
                o.out.flush();
            }
            let c = cstring(name);
            // SAFETY: both strings are NUL-terminated.
            let p = unsafe { libc::popen(c.as_ptr() as *const libc::c_char, c"w".as_ptr()) };
            if p.is_null() {
                return err("popen failed");
            }
            // SAFETY: p is a valid FILE.
            (unsafe { libc::fileno(p) }, p)
        } else if name == b"/dev/stderr" {
            (2, std::ptr::null_mut())
        } else {
            let c = cstring(name);
            let fl = libc::O_WRONLY
                | libc::O_CREAT
                | libc::O_CLOEXEC
                | if kind == b'a' {
                    libc::O_APPEND
                } else {
                    libc::O_TRUNC
                };
            // SAFETY: c is NUL-terminated.
            let fd = unsafe { libc::open(c.as_ptr() as *const libc::c_char, fl, 0o666) };
            if fd < 0 {
                let mut m = b"\x02can't open '".to_vec();
                m.extend_from_slice(name);
                m.extend_from_slice(b"': ");
                m.extend_from_slice(crate::sys::strerror(crate::sys::errno()));
                return Err(Error(m));
            }
            (fd, std::ptr::null_mut())
        };
        self.outs.push(OutStream {
            name: name.to_vec(),
            out: Out::new(fd),
            fd,
            pipe,
        });
        let o = self.outs.last_mut().map(|o| &mut o.out);
        o.ok_or(Error(Vec::new()))
    }

    pub fn flush_all(&mut self) {
        self.out.flush();
        for o in &mut self.outs {
            o.out.flush();
        }
    }

    fn close(&mut self, name: &[u8]) -> f64 {
        let mut r = -1.0;
        if let Some(i) = self.outs.iter().position(|o| o.name == name) {
            let mut o = self.outs.remove(i);
            o.out.flush();
            r = if o.pipe.is_null() {
                if o.out_fd() > 2 {
                    // SAFETY: the fd is ours.
                    unsafe { libc::close(o.out_fd()) };
                }
                0.0
            } else {
                // SAFETY: the FILE came from popen.
                let st = unsafe { libc::pclose(o.pipe) };
                crate::spawn::status_code(st) as f64
            };
        }
        if let Some(i) = self.ins.iter().position(|o| o.name == name) {
            let s = self.ins.remove(i);
            r = if s.pipe.is_null() {
                // SAFETY: the fd is ours.
                unsafe { libc::close(s.rd.fd) };
                0.0
            } else {
                // SAFETY: the FILE came from popen.
                let st = unsafe { libc::pclose(s.pipe) };
                crate::spawn::status_code(st) as f64
            };
        }
        r
    }

    pub fn close_all(&mut self) {
        let names: Vec<Vec<u8>> = self
            .outs
            .iter()
            .map(|o| o.name.clone())
            .chain(self.ins.iter().map(|i| i.name.clone()))
            .collect();
        for n in names {
            self.close(&n);
        }
    }

    // ---- input ----

    fn sync_rs(&mut self) -> R<()> {
        if self.same_text(RS, &self.rs_rc) {
            return Ok(());
        }
        let cur = self.gbytes(RS);
        if *cur != *self.rs_src {
            self.rs = match &cur[..] {
                b"" => Rs::Para,
                [c] => Rs::Byte(*c),
                p => Rs::Re(compile(p).map_err(Error)?),
            };
            self.rs_src = cur.to_vec();
        }
        if let Val::Str(s) | Val::StrNum(s) = self.gval(RS) {
            self.rs_rc = Some(s.clone());
        }
        Ok(())
    }

    /// The next record of the main input (ARGV's files and assignments). `main_loop`: it
    /// becomes the record (read in place where it can be; `out` is a spare buffer), and
    /// records the program would not act on may be passed over (counted in NR). Else
    /// (getline) it is read into `out` and the record stays as it is.
    pub fn next_main(&mut self, out: &mut Vec<u8>, main_loop: bool) -> R<bool> {
        self.sync_rs()?;
        loop {
            if self.main_done {
                return Ok(false);
            }
            if let Some(rd) = &mut self.main {
                let text = &mut self.rec.text;
                let gave = rd.reclaim(text);
                if let (true, Some(f), Rs::Byte(c)) = (main_loop, &self.skip, &self.rs) {
                    if !f.needle().contains(c) {
                        let k = rd.skip_without(*c, f) as f64;
                        self.nr += k;
                        self.fnr += k;
                    }
                }
                if let (true, Rs::Byte(c)) = (main_loop, &self.rs) {
                    if rd.next_lent(*c, text, gave) {
                        self.rec.unsplit();
                        self.rec.dirty = false;
                        self.nr += 1.0;
                        self.fnr += 1.0;
                        return Ok(true);
                    }
                }
                rd.keep(text, gave);
                match rd.read(&self.rs, out) {
                    Ok(true) => {
                        self.nr += 1.0;
                        self.fnr += 1.0;
                        if main_loop {
                            self.rec.swap_own(out);
                        }
                        return Ok(true);
                    }
                    _ => {
                        if rd.fd > 0 {
                            // SAFETY: the fd is ours.
                            unsafe { libc::close(rd.fd) };
                        }
                        self.main = None;
                    }
                }
            }
            // Open the next operand.
            let argc = self.gval(ARGC).num() as usize;
            let argv = self.array(Arr::Global(ARGV))?;
            let mut opened = false;
            while self.argi < argc {
                let mut b = [0u8; 20];
                let k = crate::cx::fmt_u64(self.argi as u64, &mut b);
                self.argi += 1;
                let a = argv.borrow().get(k).map(|v| self.text(v));
                let Some(a) = a else { continue };
                if a.is_empty() {
                    continue;
                }
                if let Some(eq) = a.iter().position(|&c| c == b'=') {
                    let name = &a[..eq];
                    if eq > 0
                        && !name[0].is_ascii_digit()
                        && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    {
                        self.assign_operand(name, &a[eq + 1..]);
                        continue;
                    }
                }
                let fd = if &a[..] == b"-" {
                    0
                } else {
                    let c = cstring(&a);
                    // SAFETY: c is NUL-terminated.
                    let fd = unsafe {
                        libc::open(
                            c.as_ptr() as *const libc::c_char,
                            libc::O_RDONLY | libc::O_CLOEXEC,
                        )
                    };
                    if fd < 0 {
                        let mut m = a.to_vec();
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(crate::sys::strerror(crate::sys::errno()));
                        self.file_err = Some(m);
                        return err("");
                    }
                    fd
                };
                self.globals[FILENAME as usize] = Cell::Val(Val::Str(a.clone()));
                self.main = Some(Reader::new(fd));
                self.fnr = 0.0;
                opened = true;
                self.used_file = true;
                break;
            }
            if !opened {
                if self.used_file {
                    self.main_done = true;
                    return Ok(false);
                }
                self.used_file = true;
                self.main = Some(Reader::new(0));
                self.fnr = 0.0;
            }
        }
    }

    pub fn skip_file(&mut self) {
        if let Some(rd) = self.main.take() {
            if rd.fd > 0 {
                // SAFETY: the fd is ours.
                unsafe { libc::close(rd.fd) };
            }
        }
    }

    /// `name=value` from the command line (-v or an operand): escapes processed, a strnum.
    pub fn assign_operand(&mut self, name: &[u8], val: &[u8]) {
        let mut v = Vec::new();
        let mut i = 0;
        while i < val.len() {
            if val[i] == b'\\' && i + 1 < val.len() {
                let (c, n) = printf::escape(&val[i + 1..]);
                if n == 0 {
                    v.push(b'\\');
                    v.push(val[i + 1]);
                    i += 2;
                } else {
                    v.push(c);
                    i += 1 + n;
                }
            } else {
                v.push(val[i]);
                i += 1;
            }
        }
        let v = Val::StrNum(v.into());
        match name {
            b"NR" => self.nr = v.num(),
            b"FNR" => self.fnr = v.num(),
            b"NF" => {}
            _ => {
                if let Some(&g) = self.prog.globals.get(name) {
                    if let Cell::Val(_) = self.globals[g as usize] {
                        self.globals[g as usize] = Cell::Val(v);
                    }
                }
            }
        }
    }

    fn getline(&mut self, kind: u8, src: Option<&Expr>, var: Option<&Expr>) -> R<f64> {
        let mut line = Vec::new();
        match kind {
            0 => {
                match self.next_main(&mut line, false) {
                    Ok(true) => {}
                    Ok(false) => return Ok(0.0),
                    Err(_) if self.file_err.is_some() => return Ok(-1.0),
                    Err(e) => return Err(e),
                }
                match var {
                    Some(v) => self.store(v, Val::StrNum(line.into()))?,
                    None => self.rec.set(&line),
                }
                return Ok(1.0);
            }
            _ => {
                let Some(src) = src else { return Ok(-1.0) };
                let v = self.eval(src)?;
                let name = self.text(&v);
                self.sync_rs()?;
                let i = match self.ins.iter().position(|s| *s.name == *name) {
                    Some(i) => i,
                    None => {
                        let (fd, pipe) = if kind == b'|' {
                            self.flush_all();
                            let c = cstring(&name);
                            // SAFETY: both strings are NUL-terminated.
                            let p = unsafe {
                                libc::popen(c.as_ptr() as *const libc::c_char, c"r".as_ptr())
                            };
                            if p.is_null() {
                                return Ok(-1.0);
                            }
                            // SAFETY: p is a valid FILE.
                            (unsafe { libc::fileno(p) }, p)
                        } else if &name[..] == b"-" || &name[..] == b"/dev/stdin" {
                            (0, std::ptr::null_mut())
                        } else {
                            let c = cstring(&name);
                            // SAFETY: c is NUL-terminated.
                            let fd = unsafe {
                                libc::open(
                                    c.as_ptr() as *const libc::c_char,
                                    libc::O_RDONLY | libc::O_CLOEXEC,
                                )
                            };
                            if fd < 0 {
                                return Ok(-1.0);
                            }
                            (fd, std::ptr::null_mut())
                        };
                        self.ins.push(InStream {
                            name: name.to_vec(),
                            rd: Reader::new(fd),
                            pipe,
                        });
                        self.ins.len() - 1
                    }
                };
                let rs = std::mem::replace(&mut self.rs, Rs::Byte(b'\n'));
                let r = self.ins[i].rd.read(&rs, &mut line);
                self.rs = rs;
                match r {
                    Ok(true) => {}
                    Ok(false) => return Ok(0.0),
                    Err(_) => return Ok(-1.0),
                }
                if kind == b'|' {
                    self.nr += 1.0;
                }
                match var {
                    Some(v) => self.store(v, Val::StrNum(line.into()))?,
                    None => self.rec.set(&line),
                }
                Ok(1.0)
            }
        }
    }

    // ---- patterns ----

    pub fn record(&mut self) -> R<Flow> {
        let prog = self.prog;
        for (i, (pat, body)) in prog.items.iter().enumerate() {
            self.line = prog.item_lines.get(i).copied().unwrap_or(0);
            let m = match pat {
                Pattern::All => true,
                Pattern::Expr(e) => self.cond(e)?,
                Pattern::Range(a, b, i) => {
                    if self.ranges[*i] {
                        if self.cond(b)? {
                            self.ranges[*i] = false;
                        }
                        true
                    } else if self.cond(a)? {
                        if !self.cond(b)? {
                            self.ranges[*i] = true;
                        }
                        true
                    } else {
                        false
                    }
                }
            };
            if !m {
                continue;
            }
            match body {
                None => self.print_record(),
                Some(b) => match self.block(b)? {
                    Flow::Normal => {}
                    f => return Ok(f),
                },
            }
        }
        Ok(Flow::Normal)
    }

    // ---- built-ins ----

    fn arg_text(&mut self, args: &[Expr], i: usize) -> R<Rc<[u8]>> {
        match args.get(i) {
            Some(e) => {
                let v = self.eval(e)?;
                Ok(self.text(&v))
            }
            None => Ok(Rc::from(&b""[..])),
        }
    }
    fn arg_num(&mut self, args: &[Expr], i: usize) -> R<f64> {
        match args.get(i) {
            Some(e) => self.num(e),
            None => Ok(0.0),
        }
    }

    fn rand(&mut self) -> f64 {
        // xorshift64*: a fixed sequence per seed, as awk's rand() is.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn builtin(&mut self, b: u8, args: &[Expr]) -> R<Val> {
        let n = |x: f64| Ok(Val::Num(x));
        // By index into lex::BUILTINS (a match on the names compares strings).
        match b {
            0 /* length */ => {
                if let Some(Expr::ArrArg(a)) = args.first() {
                    if let Cell::Arr(r) = self.cell_mut(*a) {
                        let l = r.borrow().len();
                        return n(l as f64);
                    }
                }
                let l = if args.is_empty() {
                    self.dollar0().len()
                } else {
                    self.arg_text(args, 0)?.len()
                };
                n(l as f64)
            }
            1 /* substr */ => {
                let s = self.arg_text(args, 0)?;
                let m = self.arg_num(args, 1)?;
                // POSIX: characters from round(m) for round(n), clipped to the string.
                let round = |x: f64| if x.is_nan() { 0.0 } else { (x + 0.5).floor() };
                let start = round(m);
                let end = if args.len() > 2 {
                    let l = self.arg_num(args, 2)?;
                    start + round(l)
                } else {
                    f64::INFINITY
                };
                let a = start.max(1.0);
                let e = end.min(s.len() as f64 + 1.0);
                if e <= a || a.is_nan() || e.is_nan() {
                    return Ok(Val::str(b""));
                }
                Ok(Val::str(&s[a as usize - 1..e as usize - 1]))
            }
            2 /* index */ => {
                let s = self.arg_text(args, 0)?;
                let t = self.arg_text(args, 1)?;
                // BusyBox and gawk: an empty needle is not found.
                n(if t.is_empty() {
                    0
                } else {
                    crate::bytes::memmem::find(&s, &t).map_or(0, |i| i + 1)
                } as f64)
            }
            3 /* split */ => {
                let s = self.arg_text(args, 0)?;
                let Some(Expr::ArrArg(a)) = args.get(1) else {
                    return err("Unexpected token");
                };
                let arr = self.array(*a)?;
                let mut r = Record::default();
                r.set(&s);
                let fs = match args.get(2) {
                    None => {
                        self.sync_fs()?;
                        std::mem::replace(&mut self.fs, Fs::Space)
                    }
                    Some(Expr::Re(i)) => {
                        Fs::Re(compile(&self.prog.regexes[*i as usize]).map_err(Error)?)
                    }
                    Some(e) => {
                        let v = self.eval(e)?;
                        let t = self.text(&v);
                        match &t[..] {
                            b" " => Fs::Space,
                            b"" => Fs::Each,
                            [c] if *c != b'\\' => Fs::Byte(*c),
                            p => Fs::Re(compile(p).map_err(Error)?),
                        }
                    }
                };
                r.split_with(&fs, false);
                if args.get(2).is_none() {
                    self.fs = fs;
                }
                let mut m = arr.borrow_mut();
                m.clear();
                let cnt = r.fields.len();
                for i in 0..cnt {
                    let mut b = [0u8; 20];
                    m.insert(
                        crate::cx::fmt_u64(i as u64 + 1, &mut b).into(),
                        Val::StrNum(r.field_bytes(i).into()),
                    );
                }
                n(cnt as f64)
            }
            4 /* sub */ | 5 /* gsub */ => self.sub(b == 5, args),
            6 /* match */ => {
                let s = self.arg_text(args, 0)?;
                let Some(r) = args.get(1) else {
                    return err("Unexpected token");
                };
                let re = self.regex_of(r)?;
                let (st, len) = match self.re(&re).find_at(&s, 0, false) {
                    Some(m) => (m.start() as f64 + 1.0, (m.end() - m.start()) as f64),
                    None => (0.0, -1.0),
                };
                self.globals[RSTART as usize] = Cell::Val(Val::Num(st));
                self.globals[RLENGTH as usize] = Cell::Val(Val::Num(len));
                n(st)
            }
            7 /* sprintf */ => {
                let mut o = std::mem::take(&mut self.sbuf);
                o.clear();
                let r = self.printf_into(args, &mut o);
                let v = Val::Str(o[..].into());
                self.sbuf = o;
                r.map(|()| v)
            }
            8 /* sin */ => n(self.arg_num(args, 0)?.sin()),
            9 /* cos */ => n(self.arg_num(args, 0)?.cos()),
            10 /* atan2 */ => {
                let y = self.arg_num(args, 0)?;
                let x = self.arg_num(args, 1)?;
                n(y.atan2(x))
            }
            11 /* exp */ => n(self.arg_num(args, 0)?.exp()),
            12 /* log */ => n(self.arg_num(args, 0)?.ln()),
            13 /* sqrt */ => n(self.arg_num(args, 0)?.sqrt()),
            14 /* int */ => n(self.arg_num(args, 0)?.trunc()),
            15 /* rand */ => n(self.rand()),
            16 /* srand */ => {
                let old = self.seed;
                self.seed = if args.is_empty() {
                    crate::time::now() as f64
                } else {
                    self.arg_num(args, 0)?
                };
                self.rng = (self.seed as i64 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                n(old)
            }
            17 /* tolower */ | 18 /* toupper */ => {
                let s = self.arg_text(args, 0)?;
                let v: Vec<u8> = if b == 17 {
                    s.to_ascii_lowercase()
                } else {
                    s.to_ascii_uppercase()
                };
                Ok(Val::Str(v.into()))
            }
            19 /* system */ => {
                let s = self.arg_text(args, 0)?;
                self.flush_all();
                let c = cstring(&s);
                // SAFETY: c is NUL-terminated.
                let st = unsafe { libc::system(c.as_ptr() as *const libc::c_char) };
                n(crate::spawn::status_code(st) as f64)
            }
            20 /* close */ => {
                let s = self.arg_text(args, 0)?;
                n(self.close(&s))
            }
            21 /* fflush */ => {
                self.flush_all();
                n(0.0)
            }
            22 /* and */ | 23 /* or */ | 24 /* xor */ | 26 /* lshift */ | 27 /* rshift */ => {
                let x = self.arg_num(args, 0)? as i64 as u64;
                let y = self.arg_num(args, 1)? as i64 as u64;
                n(match b {
                    22 => x & y,
                    23 => x | y,
                    24 => x ^ y,
                    26 => x.checked_shl(y as u32).unwrap_or(0),
                    _ => x.checked_shr(y as u32).unwrap_or(0),
                } as f64)
            }
            25 /* compl */ => n(!(self.arg_num(args, 0)? as i64 as u64) as f64),
            28 /* systime */ => n(crate::time::now() as f64),
            29 /* strftime */ => {
                let fmt = if args.is_empty() {
                    Rc::from(&b"%a %b %d %H:%M:%S %Z %Y"[..])
                } else {
                    self.arg_text(args, 0)?
                };
                let t = if args.len() > 1 {
                    self.arg_num(args, 1)? as i64
                } else {
                    crate::time::now()
                };
                let mut o = Vec::new();
                if let Some(tm) = crate::time::local(t) {
                    crate::strftime::format(&tm, t, 0, &fmt, &mut o);
                }
                Ok(Val::Str(o.into()))
            }
            30 /* mktime */ => {
                let s = self.arg_text(args, 0)?;
                let mut v = [0i64; 7];
                v[6] = -1;
                let mut k = 0;
                for w in s
                    .split(|c| c.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                {
                    if k < 7 {
                        v[k] = strtod(w).0 as i64;
                        k += 1;
                    }
                }
                if k < 6 {
                    return n(-1.0);
                }
                // SAFETY: tm is a plain struct; mktime reads and normalises it.
                let r = unsafe {
                    let mut tm: libc::tm = std::mem::zeroed();
                    tm.tm_year = (v[0] - 1900) as i32;
                    tm.tm_mon = (v[1] - 1) as i32;
                    tm.tm_mday = v[2] as i32;
                    tm.tm_hour = v[3] as i32;
                    tm.tm_min = v[4] as i32;
                    tm.tm_sec = v[5] as i32;
                    tm.tm_isdst = v[6] as i32;
                    libc::mktime(&mut tm)
                };
                n(r as f64)
            }
            _ => err("Unexpected token"),
        }
    }

    fn sub(&mut self, global: bool, args: &[Expr]) -> R<Val> {
        let (Some(r), Some(repl)) = (args.first(), args.get(1)) else {
            return err("Unexpected token");
        };
        let re = self.regex_of(r)?;
        let repl = {
            let v = self.eval(repl)?;
            self.text(&v)
        };
        let target_e: &Expr = match args.get(2) {
            Some(e) => e,
            None => &Expr::Field(Box::new(Expr::Num(0.0))),
        };
        let target_e = match target_e {
            Expr::ArrArg(Arr::Global(g)) => &Expr::Var(*g),
            Expr::ArrArg(Arr::Local(l)) => &Expr::Local(*l),
            e => e,
        };
        let s = {
            let v = self.eval(target_e)?;
            self.text(&v)
        };
        let mut out = Vec::with_capacity(s.len());
        let mut count = 0;
        let mut pos = 0;
        let mut last_end: Option<usize> = None;
        {
            let rx = self.re(&re);
            while pos <= s.len() {
                let Some(m) = rx.find_at(&s, pos, false) else {
                    break;
                };
                let (ms, me) = (m.start(), m.end());
                out.extend_from_slice(&s[pos..ms]);
                if me == ms && last_end == Some(ms) {
                    // An empty match right after a match: not a new one.
                } else {
                    count += 1;
                    let mut i = 0;
                    while i < repl.len() {
                        match repl[i] {
                            b'\\' if matches!(repl.get(i + 1), Some(b'&')) => {
                                out.push(b'&');
                                i += 2;
                                continue;
                            }
                            b'\\' if matches!(repl.get(i + 1), Some(b'\\')) => {
                                out.push(b'\\');
                                i += 2;
                                continue;
                            }
                            b'&' => out.extend_from_slice(&s[ms..me]),
                            c => out.push(c),
                        }
                        i += 1;
                    }
                }
                if me > ms {
                    pos = me;
                    last_end = Some(me);
                } else {
                    if let Some(&c) = s.get(ms) {
                        out.push(c);
                    }
                    pos = ms + 1;
                }
                if !global {
                    break;
                }
            }
        }
        if count == 0 {
            return Ok(Val::Num(0.0));
        }
        if pos < s.len() {
            out.extend_from_slice(&s[pos..]);
        }
        self.store(target_e, Val::Str(out.into()))?;
        Ok(Val::Num(count as f64))
    }
}

impl OutStream {
    fn out_fd(&self) -> i32 {
        self.fd
    }
}

enum RegexRef {
    Static(usize),
    Dyn(Rc<Regex>),
}

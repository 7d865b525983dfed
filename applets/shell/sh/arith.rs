//! `$(( ))` and `let`: C's integer expressions on 64-bit values that wrap, as ash computes
//! them. Evaluated while parsed (precedence climbing); the untaken side of `&&`, `||` and
//! `?:` is parsed with assignments switched off. A variable's value is itself an
//! expression (`x=1+2; $((x))` is 3), as in ash.

/// Variables as arithmetic sees them.
pub trait Env {
    fn get(&mut self, name: &[u8]) -> Option<Vec<u8>>;
    /// The value when it is a plain decimal number (no copy, no recursive evaluation):
    /// Some(None) when it is not, None when unset.
    fn get_int(&mut self, name: &[u8]) -> Option<Option<i64>>;
    /// Assigns; Err carries an already formatted message (`x: is read only`).
    fn set(&mut self, name: &[u8], val: i64) -> Result<(), Vec<u8>>;
}

pub type Ar<T = i64> = Result<T, Vec<u8>>;

fn syntax<T>() -> Ar<T> {
    Err(b"arithmetic syntax error".to_vec())
}

struct P<'a, E: Env> {
    s: &'a [u8],
    i: usize,
    env: &'a mut E,
    /// >0 while parsing a side that is not taken.
    skip: u32,
    depth: u32,
}

/// Evaluates the expression `s` (empty is 0).
pub fn eval<E: Env>(env: &mut E, s: &[u8]) -> Ar {
    eval_depth(env, s, 0)
}

fn eval_depth<E: Env>(env: &mut E, s: &[u8], depth: u32) -> Ar {
    if depth > 100 {
        return Err(b"expression recursion loop detected".to_vec());
    }
    let mut p = P {
        s,
        i: 0,
        env,
        skip: 0,
        depth,
    };
    p.ws();
    if p.i == s.len() {
        return Ok(0);
    }
    let v = p.comma()?;
    p.ws();
    if p.i != s.len() {
        return syntax();
    }
    Ok(v)
}

/// A value as an operand: a name, or a number whose value is known.
enum V<'a> {
    Num(i64),
    Name(&'a [u8]),
}


impl<'a, E: Env> P<'a, E> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    /// The byte `k` places ahead, 0 past the end. Operators are matched byte by byte
    /// (no string compares: this runs for every operand).
    fn at(&self, k: usize) -> u8 {
        self.s.get(self.i + k).copied().unwrap_or(0)
    }

    /// The assignment operator at the position, if any (`==` is a comparison).
    fn assign_op(&self) -> Option<&'static str> {
        Some(match (self.at(0), self.at(1)) {
            (b'=', b'=') => return None,
            (b'=', _) => "=",
            (b'*', b'=') => "*=",
            (b'/', b'=') => "/=",
            (b'%', b'=') => "%=",
            (b'+', b'=') => "+=",
            (b'-', b'=') => "-=",
            (b'&', b'=') => "&=",
            (b'^', b'=') => "^=",
            (b'|', b'=') => "|=",
            (b'<', b'<') if self.at(2) == b'=' => "<<=",
            (b'>', b'>') if self.at(2) == b'=' => ">>=",
            _ => return None,
        })
    }

    fn comma(&mut self) -> Ar {
        let mut v = self.assign()?;
        loop {
            self.ws();
            if self.at(0) != b',' {
                return Ok(v);
            }
            self.i += 1;
            v = self.assign()?;
        }
    }

    fn assign(&mut self) -> Ar {
        self.ws();
        let save = self.i;
        if let Some(name) = self.name() {
            self.ws();
            if let Some(op) = self.assign_op() {
                self.i += op.len();
                let r = self.assign()?;
                if self.skip > 0 {
                    return Ok(r);
                }
                let v = if op == "=" {
                    r
                } else {
                    let l = self.value(&V::Name(name))?;
                    binop(&op[..op.len() - 1], l, r)?
                };
                self.env.set(name, v)?;
                return Ok(v);
            }
        }
        self.i = save;
        self.ternary()
    }

    fn ternary(&mut self) -> Ar {
        let c = self.binary(1)?;
        self.ws();
        if self.at(0) != b'?' {
            return Ok(c);
        }
        self.i += 1;
        if c == 0 {
            self.skip += 1;
        }
        let a = self.comma()?;
        if c == 0 {
            self.skip -= 1;
        }
        self.ws();
        if self.at(0) != b':' {
            return syntax();
        }
        self.i += 1;
        if c != 0 {
            self.skip += 1;
        }
        let b = self.assign()?;
        if c != 0 {
            self.skip -= 1;
        }
        Ok(if c != 0 { a } else { b })
    }

    /// The binary operator at the position, if any (by its first byte: this runs for
    /// every operand).
    fn binop_here(&self) -> Option<(&'static str, u8)> {
        Some(match (self.at(0), self.at(1)) {
            (b'|', b'|') => ("||", 1),
            (b'&', b'&') => ("&&", 2),
            (b'=', b'=') => ("==", 6),
            (b'!', b'=') => ("!=", 6),
            (b'<', b'=') => ("<=", 7),
            (b'>', b'=') => (">=", 7),
            (b'<', b'<') => ("<<", 8),
            (b'>', b'>') => (">>", 8),
            (b'|', _) => ("|", 3),
            (b'^', _) => ("^", 4),
            (b'&', _) => ("&", 5),
            (b'<', _) => ("<", 7),
            (b'>', _) => (">", 7),
            (b'+', _) => ("+", 9),
            (b'-', _) => ("-", 9),
            (b'*', _) => ("*", 10),
            (b'/', _) => ("/", 10),
            (b'%', _) => ("%", 10),
            _ => return None,
        })
    }

    fn binary(&mut self, min: u8) -> Ar {
        let mut l = self.power()?;
        loop {
            self.ws();
            let Some((op, prec)) = self.binop_here() else {
                return Ok(l);
            };
            // `x |= 1` and the like are assignments, handled above.
            let assign = self.at(op.len()) == b'=' && self.assign_op().is_some_and(|a| a.len() > op.len());
            if prec < min || assign {
                return Ok(l);
            }
            self.i += op.len();
            let short = match op.as_bytes() {
                b"&&" => l == 0,
                b"||" => l != 0,
                _ => false,
            };
            if short {
                self.skip += 1;
            }
            let r = self.binary(prec + 1)?;
            if short {
                self.skip -= 1;
            }
            l = match op.as_bytes() {
                b"&&" => (l != 0 && r != 0) as i64,
                b"||" => (l != 0 || r != 0) as i64,
                _ => binop(op, l, r)?,
            };
        }
    }

    /// `a ** b`: right-associative, binding tighter than `*`.
    fn power(&mut self) -> Ar {
        let b = self.unary()?;
        self.ws();
        if self.at(0) == b'*' && self.at(1) == b'*' {
            self.i += 2;
            let e = self.power()?;
            return pow(b, e);
        }
        Ok(b)
    }

    fn unary(&mut self) -> Ar {
        self.ws();
        self.depth += 1;
        if self.depth > 1000 {
            return syntax();
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Ar {
        let (c, n) = (self.at(0), self.at(1));
        if c == n && (c == b'+' || c == b'-') {
            let d = if c == b'+' { 1i64 } else { -1 };
            self.i += 2;
            self.ws();
            let Some(name) = self.name() else {
                return syntax();
            };
            let v = self.value(&V::Name(name))?.wrapping_add(d);
            if self.skip == 0 {
                self.env.set(name, v)?;
            }
            return Ok(v);
        }
        match self.s.get(self.i) {
            Some(b'-') => {
                self.i += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some(b'+') => {
                self.i += 1;
                self.unary()
            }
            Some(b'!') => {
                self.i += 1;
                Ok((self.unary()? == 0) as i64)
            }
            Some(b'~') => {
                self.i += 1;
                Ok(!self.unary()?)
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Ar {
        self.ws();
        if self.at(0) == b'(' {
            self.i += 1;
            let v = self.comma()?;
            self.ws();
            if self.at(0) != b')' {
                return syntax();
            }
            self.i += 1;
            return Ok(v);
        }
        if let Some(name) = self.name() {
            let v = self.value(&V::Name(name))?;
            self.ws();
            let (c, n) = (self.at(0), self.at(1));
            if c == n && (c == b'+' || c == b'-') {
                self.i += 2;
                if self.skip == 0 {
                    self.env.set(name, v.wrapping_add(if c == b'+' { 1 } else { -1 }))?;
                }
                return Ok(v);
            }
            return Ok(v);
        }
        let n = self.number()?;
        self.value(&V::Num(n))
    }

    fn name(&mut self) -> Option<&'a [u8]> {
        let all: &'a [u8] = self.s;
        let s = &all[self.i..];
        if !s.first().is_some_and(|&c| c == b'_' || c.is_ascii_alphabetic()) {
            return None;
        }
        let n = s
            .iter()
            .position(|&c| !(c == b'_' || c.is_ascii_alphanumeric()))
            .unwrap_or(s.len());
        self.i += n;
        Some(&s[..n])
    }

    fn value(&mut self, v: &V) -> Ar {
        match v {
            V::Num(n) => Ok(*n),
            V::Name(name) => {
                match self.env.get_int(name) {
                    None => return Ok(0),
                    Some(Some(n)) => return Ok(n),
                    Some(None) => {}
                }
                self.value_slow(name)
            }
        }
    }

    fn value_slow(&mut self, name: &[u8]) -> Ar {
        match self.env.get(name) {
            None => Ok(0),
            Some(val) if val.iter().all(|c| c.is_ascii_whitespace()) => Ok(0),
            Some(val) => {
                if self.skip > 0 {
                    return Ok(0);
                }
                eval_depth(self.env, &val, self.depth + 1)
            }
        }
    }

    fn number(&mut self) -> Ar {
        let s = &self.s[self.i..];
        let n = s
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'#' || c == b'@' || c == b'_'))
            .unwrap_or(s.len());
        if n == 0 {
            return syntax();
        }
        self.i += n;
        parse_num(&s[..n]).map_or_else(syntax, Ok)
    }
}

/// A number as ash reads one: decimal, `0x` hex, `0` octal, or `BASE#DIGITS` (2..64).
pub fn parse_num(t: &[u8]) -> Option<i64> {
    let (base, digits) = if let Some(h) = t.iter().position(|&c| c == b'#') {
        let b = super::expand::udec(&t[..h])?;
        if !(2..=64).contains(&b) {
            return None;
        }
        (b as u32, &t[h + 1..])
    } else if t.len() > 2 && (t.starts_with(b"0x") || t.starts_with(b"0X")) {
        (16, &t[2..])
    } else if t.len() > 1 && t[0] == b'0' {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'a'..=b'z' => (c - b'a') as u32 + 10,
            b'A'..=b'Z' if base <= 36 => (c - b'A') as u32 + 10,
            b'A'..=b'Z' => (c - b'A') as u32 + 36,
            b'@' => 62,
            b'_' => 63,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        v = v.wrapping_mul(base as i64).wrapping_add(d as i64);
    }
    Some(v)
}

fn pow(mut b: i64, mut e: i64) -> Ar {
    if e < 0 {
        return Err(b"exponent less than 0".to_vec());
    }
    let mut r: i64 = 1;
    while e > 0 {
        if e & 1 == 1 {
            r = r.wrapping_mul(b);
        }
        b = b.wrapping_mul(b);
        e >>= 1;
    }
    Ok(r)
}

fn binop(op: &str, l: i64, r: i64) -> Ar {
    Ok(match op.as_bytes() {
        b"|" => l | r,
        b"^" => l ^ r,
        b"&" => l & r,
        b"==" => (l == r) as i64,
        b"!=" => (l != r) as i64,
        b"<" => (l < r) as i64,
        b"<=" => (l <= r) as i64,
        b">" => (l > r) as i64,
        b">=" => (l >= r) as i64,
        b"<<" => l.wrapping_shl(r as u32),
        b">>" => l.wrapping_shr(r as u32),
        b"+" => l.wrapping_add(r),
        b"-" => l.wrapping_sub(r),
        b"*" => l.wrapping_mul(r),
        b"/" | b"%" if r == 0 => return Err(b"divide by zero".to_vec()),
        b"/" => l.wrapping_div(r),
        b"%" => l.wrapping_rem(r),
        _ => return syntax(),
    })
}

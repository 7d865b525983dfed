//! applet: factor
//! usage: factor [NUMBER]...
//! Print prime factors

use crate::io::{Input, Lines};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    if !o.args.is_empty() {
        for a in &o.args {
            one(cx, a.as_bytes())?;
        }
        return Ok(0);
    }
    let mut lines = Lines::new(Input::stdin());
    loop {
        let l = match lines.next_line() {
            Ok(Some(l)) => l.to_vec(),
            Ok(None) => return Ok(0),
            Err(e) => return Err(cx.fail_no(b"read error", e)),
        };
        for w in l.split(|c| c.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
            one(cx, w)?;
        }
    }
}

/// Factors one number, or shows the usage (BusyBox) when it is not one.
fn one(cx: &mut Cx, s: &[u8]) -> Res<()> {
    let d = s.strip_prefix(b"+").unwrap_or(s);
    let Some(n) = crate::args::parse_u64(d) else {
        cx.out.flush();
        return Err(cx.usage());
    };
    let mut f = Vec::with_capacity(64);
    factor(n, &mut f);
    f.sort_unstable();
    cx.out.num(n);
    cx.out.byte(b':');
    for p in f {
        cx.out.byte(b' ');
        cx.out.num(p);
    }
    cx.out.byte(b'\n');
    Ok(())
}

fn mul(a: u64, b: u64, m: u64) -> u64 {
    (a as u128 * b as u128 % m as u128) as u64
}

fn pow(mut b: u64, mut e: u64, m: u64) -> u64 {
    let mut r = 1 % m;
    b %= m;
    while e > 0 {
        if e & 1 == 1 {
            r = mul(r, b, m);
        }
        b = mul(b, b, m);
        e >>= 1;
    }
    r
}

/// Deterministic Miller-Rabin for 64 bits (the first 12 primes as bases suffice).
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    const P: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    for p in P {
        if n % p == 0 {
            return n == p;
        }
    }
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    'base: for a in P {
        let mut x = pow(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul(x, x, n);
            if x == n - 1 {
                continue 'base;
            }
        }
        return false;
    }
    true
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Pollard's rho (Brent's cycle finding, products batched before each gcd) for an odd
/// composite `n`: a non-trivial divisor.
fn rho(n: u64) -> u64 {
    let mut c = 1u64;
    loop {
        let f = |x: u64| (mul(x, x, n) + c) % n;
        let (mut x, mut y, mut q, mut g) = (2u64, 2u64, 1u64, 1u64);
        let mut r = 1u64;
        let mut ys = 2u64;
        while g == 1 {
            x = y;
            for _ in 0..r {
                y = f(y);
            }
            let mut k = 0;
            while k < r && g == 1 {
                ys = y;
                for _ in 0..(128.min(r - k)) {
                    y = f(y);
                    q = mul(q, x.abs_diff(y), n);
                }
                g = gcd(q, n);
                k += 128;
            }
            r *= 2;
        }
        if g == n {
            // The batch overshot: step one at a time from the saved point.
            loop {
                ys = f(ys);
                g = gcd(x.abs_diff(ys), n);
                if g > 1 {
                    break;
                }
            }
        }
        if g != n {
            return g;
        }
        c += 1;
    }
}

fn factor(mut n: u64, out: &mut Vec<u64>) {
    if n < 2 {
        return;
    }
    for p in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47] {
        while n % p == 0 {
            out.push(p);
            n /= p;
        }
    }
    let mut stack = vec![n];
    while let Some(m) = stack.pop() {
        if m == 1 {
            continue;
        }
        if is_prime(m) {
            out.push(m);
            continue;
        }
        let d = rho(m);
        stack.push(d);
        stack.push(m / d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors() {
        let mut f = Vec::new();
        factor(18446744073709551615, &mut f);
        f.sort();
        assert_eq!(f, [3, 5, 17, 257, 641, 65537, 6700417]);
        f.clear();
        factor(4294967291u64 * 4294967279, &mut f);
        f.sort();
        assert_eq!(f, [4294967279, 4294967291]);
        assert!(is_prime(18446744073709551557));
    }
}

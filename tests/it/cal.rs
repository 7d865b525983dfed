//! cal: BusyBox's layout, byte for byte (its trailing-space quirks included), -j -m -y,
//! the 1752 reform, range errors.

use crate::common::*;

#[test]
fn months_and_years_match_busybox() {
    for a in [
        "2 2024",
        "9 1752",
        "-m 9 1752",
        "-j 9 1752",
        "-j 2 2024",
        "-y 2024",
        "-jy 2024",
        "-my 1999",
        "2024",
        "1",
        "9999",
        "12 9999",
        "1 1",
        "-j 12 2023",
        "-y 1752",
        "-jy 1752",
        "-jm 3 2000",
        "05 2024",
    ] {
        let args: Vec<&str> = a.split(' ').collect();
        same("cal", &args, b"", |_| {});
    }
    for y in ["1600", "1700", "1800", "1900", "2000", "2100"] {
        for m in 1..=12 {
            let m = m.to_string();
            same("cal", &[&m, y], b"", |_| {});
            same("cal", &["-jm", &m, y], b"", |_| {});
        }
    }
}

#[test]
fn the_current_month_by_default() {
    // The title is this month's (TZ=UTC, so the test and cal agree on the date).
    let o = cmd("cal").env("TZ", "UTC").run();
    o.code(0);
    let y = run("date", &["-u", "+%Y"]);
    if y.code == 0 {
        assert!(
            o.out().lines().next().unwrap().ends_with(y.out().trim()),
            "{}",
            o.out()
        );
    }
    assert_eq!(o.out().lines().count(), 8);
}

#[test]
fn bad_arguments() {
    run("cal", &["13", "2024"]).fails(1, "cal: number 13 is not in 1..12 range\n");
    run("cal", &["0"]).fails(1, "cal: number 0 is not in 1..9999 range\n");
    run("cal", &["10000"]).fails(1, "cal: number 10000 is not in 1..9999 range\n");
    run("cal", &["x"]).fails(1, "cal: invalid number 'x'\n");
    run("cal", &["1", "2", "3"]).fails_with(1, "rbox v");
    for a in [
        &["13", "2024"][..],
        &["x"],
        &["1", "2", "3"],
        &["-x"],
        &["+5"],
    ] {
        same("cal", a, b"", |_| {});
    }
}

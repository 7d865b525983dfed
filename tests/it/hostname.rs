//! hostname and dnsdomainname, in a private UTS (and network) namespace: see dnsmasq.rs.

use crate::common::*;
use crate::dnsmasq::*;

#[test]
fn show_and_set() {
    let Some(n) = Net::new("hostname show_and_set") else {
        return;
    };
    n.cmd("hostname").run().ok("box\n");
    n.cmd("hostname").arg("new.name.example").run().ok("");
    n.cmd("hostname").run().ok("new.name.example\n");
    n.cmd("hostname").arg("-s").run().ok("new\n");
    // -s with a name prints the short name and sets nothing, as BusyBox does.
    n.cmd("hostname").args(["-s", "other"]).run().ok("new\n");
    n.cmd("hostname").run().ok("new.name.example\n");
    // -F: the first word of each line, comments skipped; the last one stays.
    let f = n.dir.write(
        "name",
        "# comment\n\n  first.x junk\nsecond#comment\n#third\n",
    );
    n.cmd("hostname").arg("-F").arg(&f).run().ok("");
    n.cmd("hostname").run().ok("second\n");
    let e = n.dir.write("empty", "");
    n.cmd("hostname").arg("-F").arg(&e).run().ok("");
    n.cmd("hostname").run().ok("second\n");
    n.cmd("hostname").args(["-F", "/nonexistent"]).run().fails(
        1,
        "hostname: can't open '/nonexistent': No such file or directory\n",
    );
    // An empty name shows as "?", BusyBox's safe_gethostname.
    n.cmd("hostname").arg("").run().ok("");
    n.cmd("hostname").run().ok("?\n");
    if has_busybox() {
        bb("hostname").run().same_as(&n.cmd("hostname").run());
        n.set_hostname("a.b.c");
        for a in [
            &[][..],
            &["-s"],
            &["-s", "x"],
            &["-F", "/nonexistent"],
            &["-Z"],
        ] {
            bb("hostname")
                .args(a)
                .run()
                .same_as(&n.cmd("hostname").args(a).run());
        }
    }
}

#[test]
fn lookups_through_the_resolver() {
    let Some(mut n) = Net::new("hostname lookups_through_the_resolver") else {
        return;
    };
    n.dnsmasq("10.4.0.1 web.b.test\nfd00::4 v6only.test\n", "");
    n.resolv("nameserver 127.0.0.1\nsearch a.test b.test\n");
    // The hosts file first: its first name is the canonical one.
    n.dir.write(
        "etc-hosts",
        "127.0.0.1 localhost\n10.0.0.7 box.example box\n10.0.0.8 box\n",
    );
    n.cmd("hostname").arg("-f").run().ok("box.example\n");
    n.cmd("hostname").arg("-d").run().ok("example\n");
    n.cmd("hostname").arg("-i").run().ok("10.0.0.7 10.0.0.8\n");
    n.cmd("hostname").arg("-sf").run().ok("box.example\n");
    n.cmd("hostname").arg("-si").run().ok("box\n");
    n.cmd("dnsdomainname").run().ok("example\n");
    n.cmd("dnsdomainname").arg("-f").run().ok("example\n");
    // Then DNS with the search list: web -> web.b.test.
    n.set_hostname("web");
    n.cmd("hostname").arg("-f").run().ok("web.b.test\n");
    n.cmd("hostname").arg("-d").run().ok("b.test\n");
    n.cmd("hostname").arg("-i").run().ok("10.4.0.1\n");
    n.set_hostname("nonex");
    n.cmd("hostname")
        .arg("-f")
        .run()
        .fails(1, "hostname: nonex: Unknown host\n");
    n.cmd("dnsdomainname")
        .run()
        .fails(1, "dnsdomainname: nonex: Unknown host\n");
    // Only an IPv6 address: gethostbyname finds no IPv4 one.
    n.set_hostname("v6only.test");
    n.cmd("hostname").arg("-i").run().fails(
        1,
        "hostname: v6only.test: No address associated with name\n",
    );
    // A server that never answers: resolv.conf's timeout and attempts bound the wait.
    n.silent("127.0.0.8:53");
    n.resolv("nameserver 127.0.0.8\noptions timeout:1 attempts:1\n");
    n.set_hostname("y.test");
    n.cmd("hostname")
        .arg("-f")
        .run()
        .fails(1, "hostname: y.test: Host name lookup failure\n");
    // No server answering.
    n.resolv("nameserver 127.0.0.9\n");
    n.set_hostname("x.test");
    n.cmd("hostname")
        .arg("-d")
        .run()
        .fails(1, "hostname: x.test: Host name lookup failure\n");
}

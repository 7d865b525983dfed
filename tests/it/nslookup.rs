//! nslookup against a real dnsmasq (and small fake servers) in a private network
//! namespace: see dnsmasq.rs. Output is compared with BusyBox's where they should agree.

use crate::common::*;
use crate::dnsmasq::*;

const HOSTS: &str = "10.0.0.1 foo.test\nfd00::1 foo.test\n10.0.0.2 bar.test\n";
const CONF: &str = "txt-record=txt.test,\"hello world\"\ntxt-record=two.test,\"one\",\"two\"\n\
                    mx-host=test,mail.test,10\nsrv-host=_sip._tcp.test,sip.test,5060,1,2\n\
                    cname=alias.test,foo.test\nptr-record=5.0.0.10.in-addr.arpa,ptr.test\n";

fn net(test: &str) -> Option<Net> {
    let mut n = Net::new(test)?;
    n.dnsmasq(HOSTS, CONF);
    n.resolv("nameserver 127.0.0.1\nsearch test\n");
    Some(n)
}

/// "Query #0 completed in 3ms:" -> "...in Nms:", so runs can be compared.
fn norm(o: &Out) -> (i32, String, String) {
    let fix = |s: String| {
        s.lines()
            .filter(|l| !l.contains("multi-call binary"))
            .map(|l| match (l.find(" completed in "), l.rfind("ms:")) {
                (Some(a), Some(b)) if b > a => format!("{} completed in Nms:\n", &l[..a]),
                _ => format!("{l}\n"),
            })
            .collect::<String>()
    };
    (o.code, fix(o.out()), fix(o.err()))
}

/// rbox and BusyBox give the same status, output and messages.
#[track_caller]
fn both(n: &Net, args: &[&str]) {
    if !has_busybox() {
        return;
    }
    let a = n.cmd("nslookup").args(args).run();
    let b = bb("nslookup").args(args).run();
    assert_eq!(norm(&a), norm(&b), "{args:?}: left rbox, right busybox");
}

#[test]
fn same_as_busybox() {
    let Some(n) = net("same_as_busybox") else {
        return;
    };
    for a in [
        &["foo.test", "127.0.0.1"][..],
        &["bar.test", "127.0.0.1"],
        &["-type=aaaa", "bar.test", "127.0.0.1"],
        &["nonex.test", "127.0.0.1"],
        &["-type=mx", "test", "127.0.0.1"],
        &["-type=MX", "-type=a", "test", "127.0.0.1"],
        &["-type=txt", "txt.test", "127.0.0.1"],
        &["-type=srv", "_sip._tcp.test", "127.0.0.1"],
        &["-type=soa", "test", "127.0.0.1"],
        &["-type=ns", "test", "127.0.0.1"],
        &["-type=any", "foo.test", "127.0.0.1"],
        &["alias.test", "127.0.0.1"],
        &["-q=cname", "alias.test", "127.0.0.1"],
        &["10.0.0.5", "127.0.0.1"],
        &["10.9.9.9", "127.0.0.1"],
        &["fd00::1", "127.0.0.1"],
        &["-debug", "foo.test", "127.0.0.1"],
        &["-d", "nonex.test", "127.0.0.1"],
        &["-port=53", "-t=2", "-retry=3", "foo.test", "127.0.0.1:53"],
        &["foo.test", "localhost"],
    ] {
        both(&n, a);
    }
    if n.v6 {
        both(&n, &["foo.test", "::1"]);
        both(&n, &["foo.test", "[::1]:53"]);
    }
}

#[test]
fn authoritative_zone_same_as_busybox() {
    let Some(mut n) = Net::new("authoritative_zone_same_as_busybox") else {
        return;
    };
    n.dnsmasq(
        "",
        "auth-zone=auth.test\nauth-server=ns1.auth.test\nhost-record=www.auth.test,10.5.0.1\n\
         auth-soa=2026120101,hostmaster.auth.test,1200,120,604800\n",
    );
    n.resolv("nameserver 127.0.0.1\n");
    for a in [
        &["-type=soa", "auth.test", "127.0.0.1"][..],
        &["-type=ns", "auth.test", "127.0.0.1"],
        &["www.auth.test", "127.0.0.1"],
        &["-debug", "-type=a", "auth.test", "127.0.0.1"],
        &["nonex.auth.test", "127.0.0.1"],
    ] {
        both(&n, a);
    }
    let o = n.cmd("nslookup").args(["-type=soa", "auth.test"]).run();
    assert_eq!(
        o.out(),
        "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\nauth.test\n\torigin = ns1.auth.test\n\
         \tmail addr = hostmaster.auth.test\n\tserial = 2026120101\n\trefresh = 1200\n\tretry = 120\n\
         \texpire = 604800\n\tminimum = 600\n\n"
    );
}

#[test]
fn answers_and_nxdomain() {
    let Some(n) = net("answers_and_nxdomain") else {
        return;
    };
    let head = "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\n";
    n.cmd("nslookup")
        .args(["foo.test", "127.0.0.1"])
        .run()
        .ok(format!(
            "{head}Name:\tfoo.test\nAddress: 10.0.0.1\n\nName:\tfoo.test\nAddress: fd00::1\n\n"
        ));
    let o = n.cmd("nslookup").args(["nonex.test", "127.0.0.1"]).run();
    o.code(1);
    assert_eq!(
        o.out(),
        format!("{head}** server can't find nonex.test: NXDOMAIN\n\n** server can't find nonex.test: NXDOMAIN\n\n")
    );
    // The servers of resolv.conf when none is given.
    n.cmd("nslookup")
        .args(["-type=mx", "test"])
        .run()
        .ok(format!("{head}test\tmail exchanger = 10 mail.test\n\n"));
    n.cmd("nslookup")
        .args(["10.0.0.5"])
        .run()
        .ok(format!("{head}5.0.0.10.in-addr.arpa\tname = ptr.test\n\n"));
    n.cmd("nslookup")
        .args(["-type=srv", "_sip._tcp.test"])
        .run()
        .ok(format!(
            "{head}_sip._tcp.test\tservice = 1 2 5060 sip.test\n\n"
        ));
    // BusyBox prints a TXT record's first string only; rbox prints them all.
    n.cmd("nslookup")
        .args(["-type=txt", "two.test"])
        .run()
        .ok(format!("{head}two.test\ttext = \"one\" \"two\"\n\n"));
    if n.v6 {
        // An IPv6 server from resolv.conf.
        n.resolv("nameserver ::1\n");
        n.cmd("nslookup")
            .args(["-type=a", "foo.test"])
            .run()
            .ok("Server:\t\t::1\nAddress:\t[::1]:53\n\nName:\tfoo.test\nAddress: 10.0.0.1\n\n");
        n.resolv("nameserver 127.0.0.1\n");
    }
    n.cmd("nslookup")
        .args(["-type=aaaa", "foo.test"])
        .run()
        .ok(format!("{head}Name:\tfoo.test\nAddress: fd00::1\n\n"));
}

fn addresses(o: &Out) -> Vec<String> {
    o.out()
        .lines()
        .skip(3)
        .filter_map(|l| l.strip_prefix("Address: ").map(String::from))
        .collect()
}

#[test]
fn sixty_records_all_printed() {
    let Some(mut n) = Net::new("sixty_records_all_printed") else {
        return;
    };
    let mut hosts = String::new();
    for i in 1..=60 {
        hosts.push_str(&format!("10.1.0.{i} big.test\n"));
    }
    let want: Vec<String> = (1..=60).map(|i| format!("10.1.0.{i}")).collect();
    let sorted = |o: &Out| {
        o.code(0);
        let mut a = addresses(o);
        a.sort_by_key(|s| s.rsplit('.').next().unwrap().parse::<u32>().unwrap());
        a
    };
    // Over 512 bytes: EDNS0 lets it come in one UDP datagram (BusyBox shows about half).
    n.dnsmasq(&hosts, "");
    n.resolv("nameserver 127.0.0.1\n");
    let o = n.cmd("nslookup").args(["-type=a", "big.test"]).run();
    assert_eq!(sorted(&o), want);
    // Forced over TCP by use-vc.
    n.resolv("nameserver 127.0.0.1\noptions use-vc\n");
    let o = n.cmd("nslookup").args(["-type=a", "big.test"]).run();
    assert_eq!(sorted(&o), want);
}

#[test]
fn truncated_udp_retried_over_tcp() {
    let Some(mut n) = Net::new("truncated_udp_retried_over_tcp") else {
        return;
    };
    let mut hosts = String::new();
    for i in 1..=60 {
        hosts.push_str(&format!("10.1.0.{i} big.test\n"));
    }
    // dnsmasq then cuts UDP answers at 512 bytes and sets TC: only TCP has all 60.
    n.dnsmasq(&hosts, "edns-packet-max=512\n");
    n.resolv("nameserver 127.0.0.1\n");
    let o = n
        .cmd("nslookup")
        .args(["-type=a", "big.test", "127.0.0.1"])
        .run();
    o.code(0);
    assert_eq!(addresses(&o).len(), 60, "{}", o.out());
    if has_busybox() {
        // BusyBox's 512-byte buffer and no TCP: fewer.
        let b = bb("nslookup")
            .args(["-type=a", "big.test", "127.0.0.1"])
            .run();
        assert!(addresses(&b).len() < 60);
    }
}

#[test]
fn search_lists_and_ndots() {
    let Some(mut n) = Net::new("search_lists_and_ndots") else {
        return;
    };
    n.dnsmasq(
        "10.3.0.1 h.test\n10.3.0.2 h.test.b.test\n10.3.0.3 web.b.test\nfd00::9 nd.a.test\n10.3.0.4 nd.b.test\n",
        "",
    );
    let a = |n: &Net, args: &[&str]| addresses(&n.cmd("nslookup").arg("-type=a").args(args).run());
    n.resolv("nameserver 127.0.0.1\nsearch a.test b.test\noptions ndots:1\n");
    // One dot, ndots 1: the name as it is comes first.
    assert_eq!(a(&n, &["h.test"]), ["10.3.0.1"]);
    // No dot: the suffixes first; web.a.test does not exist, web.b.test does.
    assert_eq!(a(&n, &["web"]), ["10.3.0.3"]);
    // nd.a.test has no A record (NODATA): that does not stop the walk.
    assert_eq!(a(&n, &["nd"]), ["10.3.0.4"]);
    // RES_OPTIONS comes after the file.
    let o = n
        .cmd("nslookup")
        .env("RES_OPTIONS", "ndots:5")
        .args(["-type=a", "h.test"])
        .run();
    assert_eq!(addresses(&o), ["10.3.0.2"]);
    n.resolv("nameserver 127.0.0.1\nsearch a.test b.test\noptions ndots:5\n");
    // Fewer than 5 dots: h.test.a.test (no such name), then h.test.b.test.
    assert_eq!(a(&n, &["h.test"]), ["10.3.0.2"]);
    // A trailing dot: only the name itself.
    assert_eq!(a(&n, &["h.test."]), ["10.3.0.1"]);
    // LOCALDOMAIN replaces the search list.
    let o = n
        .cmd("nslookup")
        .env("LOCALDOMAIN", "x.test")
        .args(["-type=a", "h.test"])
        .run();
    assert_eq!(addresses(&o), ["10.3.0.1"]);
    // `domain` after `search`: the last one wins.
    n.resolv("nameserver 127.0.0.1\nsearch a.test\ndomain b.test\noptions ndots:5\n");
    assert_eq!(a(&n, &["h.test"]), ["10.3.0.2"]);
    assert_eq!(a(&n, &["nd"]), ["10.3.0.4"]);
}

#[test]
fn dead_and_silent_servers_skipped() {
    let Some(mut n) = net("dead_and_silent_servers_skipped") else {
        return;
    };
    let ok =
        "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\nName:\tfoo.test\nAddress: 10.0.0.1\n\n";
    // Nothing listens on 127.0.0.9: refused at once, the next server answers.
    n.resolv("nameserver 127.0.0.9\nnameserver 127.0.0.1\n");
    n.cmd("nslookup").args(["-type=a", "foo.test"]).run().ok(ok);
    // Rotated: whichever comes first, the answer comes from the live one.
    n.resolv("nameserver 127.0.0.9\nnameserver 127.0.0.1\noptions rotate\n");
    for _ in 0..4 {
        n.cmd("nslookup").args(["-type=a", "foo.test"]).run().ok(ok);
    }
    // 127.0.0.8 takes the query and never answers: after the timeout, the next one.
    n.silent("127.0.0.8:53");
    n.resolv("nameserver 127.0.0.8\nnameserver 127.0.0.1\n");
    n.cmd("nslookup")
        .args(["-type=a", "-timeout=1", "-retry=1", "foo.test"])
        .run()
        .ok(ok);
    // No server at all.
    n.resolv("nameserver 127.0.0.9\n");
    // A SERVER name that does not resolve.
    both(&n, &["foo.test", "nosuch.invalid"]);
    let o = n.cmd("nslookup").args(["foo.test"]).run();
    assert_eq!(
        (o.code, o.out()),
        (
            1,
            ";; connection timed out; no servers could be reached\n\n".into()
        )
    );
}

#[test]
fn servfail_tries_next_server() {
    let Some(mut n) = net("servfail_tries_next_server") else {
        return;
    };
    n.fake("127.0.0.2:53", |q| vec![(None, reply(q, 2, 0, &[]))]);
    n.resolv("nameserver 127.0.0.2\nnameserver 127.0.0.1\n");
    n.cmd("nslookup").args(["-type=a", "foo.test"]).run().ok(
        "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\nName:\tfoo.test\nAddress: 10.0.0.1\n\n",
    );
    // Asked alone, it is reported as BusyBox reports it.
    let o = n.cmd("nslookup").args(["foo.test", "127.0.0.2"]).run();
    assert_eq!(
        (o.code, o.out()),
        (
            1,
            "Server:\t\t127.0.0.2\nAddress:\t127.0.0.2:53\n\n** server can't find foo.test: SERVFAIL\n\n\
             ** server can't find foo.test: SERVFAIL\n\n"
                .into()
        )
    );
    both(&n, &["foo.test", "127.0.0.2"]);
}

#[test]
fn replies_with_wrong_id_address_or_question_ignored() {
    let Some(mut n) = Net::new("replies_with_wrong_id_address_or_question_ignored") else {
        return;
    };
    n.fake("127.0.0.3:53", |q| {
        let (_, t) = qname(q);
        let a = |ip: [u8; 4]| {
            if t == 1 {
                reply(q, 0, 1, &rr(1, &ip))
            } else {
                reply(q, 0, 0, &[])
            }
        };
        let mut bad_id = a([6, 6, 6, 8]);
        bad_id[1] ^= 0x55;
        let mut bad_q = a([6, 6, 6, 9]);
        bad_q[13] = b'z';
        vec![
            (Some("127.0.0.4:53".into()), a([6, 6, 6, 6])),
            (Some("127.0.0.3:5300".into()), a([6, 6, 6, 7])),
            (None, bad_id),
            (None, bad_q),
            (None, a([10, 9, 9, 9])),
        ]
    });
    n.resolv("nameserver 127.0.0.3\n");
    n.cmd("nslookup")
        .args(["w.test"])
        .run()
        .ok(
            "Server:\t\t127.0.0.3\nAddress:\t127.0.0.3:53\n\nNon-authoritative answer:\nName:\tw.test\n\
             Address: 10.9.9.9\n\nNon-authoritative answer:\n\n",
        );
}

#[test]
fn one_query_unanswered() {
    let Some(mut n) = Net::new("one_query_unanswered") else {
        return;
    };
    // Answers A queries only: the AAAA one times out.
    n.fake("127.0.0.7:53", |q| match qname(q).1 {
        1 => vec![(None, reply(q, 0x0400, 1, &rr(1, &[10, 7, 7, 7])))],
        _ => Vec::new(),
    });
    n.resolv("nameserver 127.0.0.7\n");
    let args = ["-timeout=1", "-retry=1", "x.test", "127.0.0.7"];
    n.cmd("nslookup").args(args).run().ok(
        "Server:\t\t127.0.0.7\nAddress:\t127.0.0.7:53\n\nName:\tx.test\nAddress: 10.7.7.7\n\n\
         *** Can't find x.test: No answer\n\n",
    );
    both(&n, &args);
}

#[test]
fn malformed_replies_are_errors_not_crashes() {
    let Some(mut n) = Net::new("malformed_replies_are_errors_not_crashes") else {
        return;
    };
    n.fake("127.0.0.5:53", |q| {
        let (name, _) = qname(q);
        let base = reply(q, 0, 0, &[]).len() as u8;
        let rest: Vec<u8> = match name.as_str() {
            // The answer's name is a pointer to itself.
            "loop.bad" => [
                &[0xc0, base][..],
                &[0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4],
            ]
            .concat(),
            // Two pointers pointing at each other.
            "loop2.bad" => [
                &[0xc0, base + 2, 0xc0, base][..],
                &[0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4],
            ]
            .concat(),
            // rdlength 40, four bytes present.
            "trunc.bad" => vec![0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 40, 1, 2, 3, 4],
            // A label length of 64 (0x40: reserved bits).
            "label.bad" => [
                &[0x40][..],
                &[b'a'; 64],
                &[0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4],
            ]
            .concat(),
            // A CNAME whose target runs past its rdata.
            "cname.bad" => vec![0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 5, b'a', b'b'],
            _ => Vec::new(),
        };
        vec![(None, reply(q, 0, 1, &rest))]
    });
    for name in [
        "loop.bad",
        "loop2.bad",
        "trunc.bad",
        "label.bad",
        "cname.bad",
    ] {
        let o = n.cmd("nslookup").args(["-type=a", name, "127.0.0.5"]).run();
        assert_eq!(
            (o.code, o.out(), o.err()),
            (
                1,
                format!("Server:\t\t127.0.0.5\nAddress:\t127.0.0.5:53\n\n*** Can't find {name}: Parse error\n\n"),
                String::new()
            )
        );
    }
    // The resolver the other applets use fails cleanly too.
    n.dir.write("etc-hosts", "");
    n.resolv("nameserver 127.0.0.5\n");
    n.set_hostname("loop.bad");
    n.cmd("hostname")
        .arg("-f")
        .run()
        .fails(1, "hostname: loop.bad: Host name lookup failure\n");
}

#[test]
fn dns_data_printed_sanitised() {
    let Some(mut n) = Net::new("dns_data_printed_sanitised") else {
        return;
    };
    n.fake("127.0.0.6:53", |q| {
        let (name, _) = qname(q);
        let rest = match name.as_str() {
            "esc.test" => {
                let mut d = Vec::new();
                for s in [&b"a\x1b[31mb\x07"[..], b"q\"\\", b"\x9b2J", b"ok"] {
                    d.push(s.len() as u8);
                    d.extend_from_slice(s);
                }
                rr(16, &d)
            }
            "cn.test" => rr(5, b"\x07\x1b]0;x\x07y\x04te.t\x00"),
            _ => return vec![(None, reply(q, 0, 0, &[]))],
        };
        vec![(None, reply(q, 0, 1, &rest))]
    });
    let head = "Server:\t\t127.0.0.6\nAddress:\t127.0.0.6:53\n\nNon-authoritative answer:\n";
    n.cmd("nslookup")
        .args(["-type=txt", "esc.test", "127.0.0.6"])
        .run()
        .ok(format!(
            "{head}esc.test\ttext = \"a\\027[31mb\\007\" \"q\\\"\\\\\" \"\\1552J\" \"ok\"\n\n"
        ));
    n.cmd("nslookup")
        .args(["-type=cname", "cn.test", "127.0.0.6"])
        .run()
        .ok(format!(
            "{head}cn.test\tcanonical name = \\027]0;x\\007y.te\\.t\n\n"
        ));
    // A name typed by the user is escaped too.
    let o = n
        .cmd("nslookup")
        .args(["-type=a", "x\x1b.test", "127.0.0.6"])
        .run();
    assert!(!o.stdout.contains(&0x1b), "{:?}", o.out());
}

#[test]
fn options() {
    // Errors come before any query: no network needed.
    same("nslookup", &["-type=bogus", "x"], b"", |_| {});
    same("nslookup", &["-port=0", "x"], b"", |_| {});
    same("nslookup", &["-port=65536", "x"], b"", |_| {});
    same("nslookup", &["-retry=x", "x"], b"", |_| {});
    same("nslookup", &["-timeout=0", "x"], b"", |_| {});
    // -t is -timeout (an exact word), -ty is -type.
    same("nslookup", &["-ty=bogus", "x"], b"", |_| {});
    // Unknown and ambiguous options, no HOST, too many operands: usage.
    same("nslookup", &["-r", "x"], b"", |_| {});
    for a in [
        &["-zz", "x"][..],
        &["-"],
        &[],
        &["-debug"],
        &["a", "b", "c"],
    ] {
        run("nslookup", a).fails_with(1, "rbox v");
    }
}

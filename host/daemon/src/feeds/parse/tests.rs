//! The parsers on the shipped fixtures (`host/daemon/tests/fixtures/feeds/`: the RSS 2.0
//! sample, RFC 4287's Atom example, the OASIS CAP 1.2 appendix examples) and on
//! documents made to hurt.

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/feeds/", $name)).as_slice()
    };
}

fn severe() -> Option<UrgentRule> {
    Some(UrgentRule {
        severity: Severity::Severe,
        urgency: Urgency::Expected,
    })
}

#[test]
fn the_rss_sample_reads_as_four_entries_in_order() {
    let got = items(FeedKind::Rss, fixture!("rss2-sample.xml"), None, 50).unwrap();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].title, "Star City");
    assert_eq!(
        got[0].id,
        "http://liftoff.msfc.nasa.gov/2003/06/03.html#item573"
    );
    assert_eq!(
        got[0].link.as_deref(),
        Some("http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp")
    );
    assert!(
        got[0].summary.ends_with("at Russia's Star City ."),
        "{}",
        got[0].summary
    );
    assert_eq!(got[1].title, "", "the item with no title");
    assert!(got[1].summary.starts_with("Sky watchers in Europe"));
    assert!(got.iter().all(|i| !i.urgent));
    assert_eq!(
        items(FeedKind::Rss, fixture!("rss2-sample.xml"), None, 2)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_atom_example_reads_its_entry_and_alternate_link() {
    let got = items(FeedKind::Atom, fixture!("atom-sample.xml"), None, 50).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, "tag:example.org,2003:3.2397");
    assert_eq!(got[0].title, "Atom draft-07 snapshot");
    assert_eq!(
        got[0].link.as_deref(),
        Some("http://example.org/2005/04/02/atom")
    );
    assert_eq!(got[0].summary, "[Update: The Atom draft is finished.]");
}

#[test]
fn cap_alerts_read_with_their_urgency_by_the_rule() {
    let thunder = items(
        FeedKind::Cap,
        fixture!("cap-thunderstorm.xml"),
        severe(),
        50,
    )
    .unwrap();
    assert_eq!(thunder.len(), 1);
    let t = &thunder[0];
    assert_eq!(t.id, "KSTO@NWS.NOAA.GOV\0KSTO1055887203");
    assert_eq!(t.title, "SEVERE THUNDERSTORM WARNING");
    assert!(
        t.summary
            .starts_with("Area: EXTREME NORTH CENTRAL TUOLUMNE"),
        "{}",
        t.summary
    );
    assert!(
        t.summary
            .ends_with("TAKE COVER IN A SUBSTANTIAL SHELTER UNTIL THE STORM PASSES.")
    );
    assert!(t.urgent, "Severe and Immediate meet severe/expected");
    // The earthquake report is an update, Minor and Past: not urgent.
    let quake = items(FeedKind::Cap, fixture!("cap-earthquake.xml"), severe(), 50).unwrap();
    assert_eq!(quake[0].title, "Update: EQ 3.4 Imperial County CA");
    assert_eq!(
        quake[0].link.as_deref(),
        Some("http://www.trinet.org/scsn/scsn.html")
    );
    assert!(!quake[0].urgent);
    // The AMBER alert's first info (en-US) makes the text.
    let amber = items(FeedKind::Cap, fixture!("cap-amber.xml"), severe(), 50).unwrap();
    assert_eq!(amber[0].title, "Amber Alert in Los Angeles County");
    assert!(amber[0].urgent);
    let hsas = items(FeedKind::Cap, fixture!("cap-hsas.xml"), severe(), 50).unwrap();
    assert_eq!(hsas[0].title, "Homeland Security Sets Code ORANGE");
    assert!(hsas[0].urgent);
    // With no rule, nothing is urgent; a stricter one leaves Severe out.
    assert!(!items(FeedKind::Cap, fixture!("cap-hsas.xml"), None, 50).unwrap()[0].urgent);
    let extreme = Some(UrgentRule {
        severity: Severity::Extreme,
        urgency: Urgency::Immediate,
    });
    assert!(!items(FeedKind::Cap, fixture!("cap-hsas.xml"), extreme, 50).unwrap()[0].urgent);
}

#[test]
fn alerts_inside_an_index_are_found_and_tests_are_left_out() {
    let strip = |b: &[u8]| {
        let s = std::str::from_utf8(b).unwrap();
        s[s.find("<alert").unwrap()..].to_string()
    };
    let test_alert =
        strip(fixture!("cap-hsas.xml")).replace("<status>Actual</status>", "<status>Test</status>");
    let doc = format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <entry><content type=\"text/xml\">{}</content></entry>\
         <entry><content type=\"text/xml\">{}</content></entry>\
         <entry><content type=\"text/xml\">{test_alert}</content></entry></feed>",
        strip(fixture!("cap-thunderstorm.xml")),
        strip(fixture!("cap-earthquake.xml")),
    );
    let got = items(FeedKind::Cap, doc.as_bytes(), severe(), 50).unwrap();
    let titles: Vec<&str> = got.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "SEVERE THUNDERSTORM WARNING",
            "Update: EQ 3.4 Imperial County CA"
        ]
    );
}

#[test]
fn garbage_is_refused_with_a_reason_not_a_panic() {
    let junk: &[&[u8]] = &[
        b"",
        b"<html><body>502 Bad Gateway</body></html>",
        b"<rss><channel><item><title>cut off",
        &[0xff, 0xfe, 0x00, 0x3c, 0x80, 0x81],
        b"{\"not\": \"a feed\"",
    ];
    for body in junk {
        assert!(items(FeedKind::Rss, body, None, 50).is_err(), "{body:?}");
        assert!(
            items(FeedKind::Cap, body, severe(), 50).is_err(),
            "{body:?}"
        );
    }
    // A DTD (the road to entity expansion) is refused outright.
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
                  <!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\
                  <alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&lol2;</alert>";
    assert!(matches!(
        items(FeedKind::Cap, laughs.as_bytes(), None, 50),
        Err(ParseError::Xml(_))
    ));
}

#[test]
fn thousands_of_entries_come_out_as_at_most_max() {
    let mut doc =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>");
    for n in 0..5000 {
        doc.push_str(&format!(
            "<item><title>n{n}</title><guid>g{n}</guid></item>"
        ));
    }
    doc.push_str("</channel></rss>");
    let got = items(FeedKind::Rss, doc.as_bytes(), None, 50).unwrap();
    assert_eq!(got.len(), 50);
    assert_eq!(got[0].id, "g0");
    assert_eq!(got[49].id, "g49");
}

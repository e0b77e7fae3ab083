//! The calendar invitation of a kick-off meeting: an iCalendar `REQUEST` (RFC 5545,
//! RFC 5546), written by hand because the format is small and the details matter.
//!
//! - The event is in the workspace's time zone, not in UTC, so that clients show the
//!   meeting at the same wall-clock time even if the tz database they ship changes.
//!   That requires a `VTIMEZONE` describing the zone around the event: it is built
//!   from jiff's database (the transition in force at the start, any transition during
//!   the meeting, and the next one after the start), as one-off observances.
//! - The `UID` is stable and `SEQUENCE` is bumped on each change: a re-sent
//!   invitation updates the event in the attendees' calendars instead of adding one.
//! - Text is escaped, lines end with CRLF and are folded at 75 octets without ever
//!   splitting a UTF-8 character. Control characters are dropped from every value, so
//!   that no input can inject a property.

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone, TimeZoneTransition};
use jiff::SignedDuration;

use crate::Timestamp;

/// What the invitation says. Borrowed: it is assembled for one call to [`request`].
#[derive(Clone, Copy, Debug)]
pub struct Invitation<'a> {
    /// Stable for the meeting (e.g. "kickoff-<engagement id>@<host>"): a re-sent invitation updates the same event.
    pub uid: &'a str,
    /// Bumped each time the meeting changes (a client replaces the event when SEQUENCE is higher).
    pub sequence: u32,
    pub starts_at: Timestamp,
    pub duration_minutes: u32,
    /// IANA time zone of the workspace, e.g. "Europe/Paris".
    pub time_zone: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    /// The place or the video link.
    pub location: &'a str,
    pub url: Option<&'a str>,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    /// (name, email) of each attendee.
    pub attendees: &'a [(&'a str, &'a str)],
    /// DTSTAMP: when the invitation is generated.
    pub stamp: Timestamp,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IcsError {
    #[error("unknown time zone {0}")]
    UnknownTimeZone(String),
}

/// The `.ics` text of the invitation (`METHOD:REQUEST`), CRLF line endings included.
///
/// `DESCRIPTION` and `LOCATION` are left out when blank, and so is the `CN` of a
/// person without a name.
pub fn request(inv: &Invitation) -> Result<String, IcsError> {
    let tz = TimeZone::get(inv.time_zone).map_err(|_| IcsError::UnknownTimeZone(inv.time_zone.to_owned()))?;
    // The database's spelling of the name, whatever the case of the input.
    let tzid = tz.iana_name().unwrap_or(inv.time_zone);
    let ends_at = inv.starts_at.plus_millis(i64::from(inv.duration_minutes) * 60_000);

    let mut ics = Ics::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//Embark//Kick-off//EN");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:REQUEST");

    ics.line("BEGIN:VTIMEZONE");
    ics.line(&format!("TZID:{}", text(tzid)));
    for obs in observances(&tz, inv.starts_at, ends_at) {
        let kind = if obs.daylight { "DAYLIGHT" } else { "STANDARD" };
        ics.line(&format!("BEGIN:{kind}"));
        ics.line(&format!("DTSTART:{}", local_time(obs.onset)));
        ics.line(&format!("TZOFFSETFROM:{}", utc_offset(obs.from)));
        ics.line(&format!("TZOFFSETTO:{}", utc_offset(obs.to)));
        if !obs.name.is_empty() {
            ics.line(&format!("TZNAME:{}", text(&obs.name)));
        }
        ics.line(&format!("END:{kind}"));
    }
    ics.line("END:VTIMEZONE");

    let tzid_param = param(tzid);
    ics.line("BEGIN:VEVENT");
    ics.line(&format!("UID:{}", text(inv.uid)));
    ics.line(&format!("SEQUENCE:{}", inv.sequence));
    ics.line(&format!("DTSTAMP:{}Z", local_time(Offset::UTC.to_datetime(inv.stamp.to_jiff()))));
    ics.line(&format!("DTSTART;TZID={tzid_param}:{}", local_time(tz.to_datetime(inv.starts_at.to_jiff()))));
    ics.line(&format!("DTEND;TZID={tzid_param}:{}", local_time(tz.to_datetime(ends_at.to_jiff()))));
    ics.line(&format!("SUMMARY:{}", text(inv.summary)));
    if !inv.description.trim().is_empty() {
        ics.line(&format!("DESCRIPTION:{}", text(inv.description)));
    }
    if !inv.location.trim().is_empty() {
        ics.line(&format!("LOCATION:{}", text(inv.location)));
    }
    if let Some(url) = inv.url {
        ics.line(&format!("URL:{}", uri(url)));
    }
    ics.line(&format!("ORGANIZER{}:mailto:{}", common_name(inv.organizer_name), uri(inv.organizer_email)));
    for (name, email) in inv.attendees {
        ics.line(&format!(
            "ATTENDEE{};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
            common_name(name),
            uri(email)
        ));
    }
    ics.line("STATUS:CONFIRMED");
    ics.line("TRANSP:OPAQUE");
    ics.line("END:VEVENT");
    ics.line("END:VCALENDAR");
    Ok(ics.0)
}

/// The content lines written so far, folded and CRLF-terminated.
#[derive(Default)]
struct Ics(String);

impl Ics {
    /// The longest a line may be, in octets, CRLF excluded (RFC 5545 §3.1).
    const MAX_OCTETS: usize = 75;

    /// Appends a content line, folded: a line longer than 75 octets continues on
    /// the next one after CRLF and a space (which counts in that line's 75). Breaks
    /// fall between characters, never inside a multi-octet UTF-8 sequence.
    fn line(&mut self, line: &str) {
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > Self::MAX_OCTETS {
                self.0.push_str("\r\n ");
                used = 1;
            }
            self.0.push(c);
            used += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }
}

/// One observance of the `VTIMEZONE`: from `onset` (local time before the change,
/// as RFC 5545 expects), the zone is `to` ahead of UTC instead of `from`.
struct Observance {
    daylight: bool,
    onset: DateTime,
    from: Offset,
    to: Offset,
    name: String,
}

impl Observance {
    fn of(tz: &TimeZone, transition: &TimeZoneTransition) -> Self {
        let at = transition.timestamp();
        // Transitions are whole seconds, so the instant just before one is in the previous period.
        let before = at.checked_sub(SignedDuration::from_nanos(1)).unwrap_or(at);
        let from = tz.to_offset(before);
        Self {
            daylight: transition.dst().is_dst(),
            onset: from.to_datetime(at),
            from,
            to: transition.offset(),
            name: transition.abbreviation().to_owned(),
        }
    }
}

/// The observances that describe the zone from the start of the event to its end
/// and one change beyond: the period in force at the start, every transition during
/// the event, and at least the next transition after the start. A zone that never
/// changed before the event (UTC, a fixed offset) gets a single standard observance.
fn observances(tz: &TimeZone, starts_at: Timestamp, ends_at: Timestamp) -> Vec<Observance> {
    let start = starts_at.to_jiff();
    let end = ends_at.to_jiff();
    // `preceding` is strictly before its argument: 1 ms later includes a transition at the very start.
    let in_force = match tz.preceding(starts_at.plus_millis(1).to_jiff()).next() {
        Some(transition) => Observance::of(tz, &transition),
        None => {
            let info = tz.to_offset_info(start);
            let epoch = jiff::civil::datetime(1970, 1, 1, 0, 0, 0, 0);
            Observance {
                daylight: info.dst().is_dst(),
                onset: epoch.min(tz.to_datetime(start)),
                from: info.offset(),
                to: info.offset(),
                name: info.abbreviation().to_owned(),
            }
        }
    };
    let mut list = vec![in_force];
    for (i, transition) in tz.following(start).enumerate() {
        if i > 0 && transition.timestamp() > end {
            break;
        }
        list.push(Observance::of(tz, &transition));
    }
    list
}

/// A DATE-TIME without zone: `YYYYMMDDTHHMMSS`.
fn local_time(dt: DateTime) -> String {
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}", dt.year(), dt.month(), dt.day(), dt.hour(), dt.minute(), dt.second())
}

/// A UTC-OFFSET: `+HHMM`, or `+HHMMSS` for the odd historical offset with seconds.
fn utc_offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// A TEXT value, escaped (RFC 5545 §3.3.11): backslash, semicolon, comma, and
/// newlines (`\n`, `\r\n` or a lone `\r`) as `\n`. Other control characters but
/// tab have no representation and are dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value (URL, mailto address): not escaped, but without control characters.
fn uri(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// A parameter value: `"` cannot appear in one, even quoted, so it is removed; the
/// value is quoted when it contains `:`, `;` or `,` (RFC 5545 §3.2).
fn param(value: &str) -> String {
    let value: String = value.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if value.contains([':', ';', ',']) {
        format!("\"{value}\"")
    } else {
        value
    }
}

/// The `;CN=` parameter of a person, or nothing when the name is blank.
fn common_name(name: &str) -> String {
    let name = param(name.trim());
    if name.is_empty() {
        String::new()
    } else {
        format!(";CN={name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-03-01 08:00 UTC: 09:00 in Paris (CET, +01:00).
    const WINTER: Timestamp = Timestamp::from_millis(1_803_888_000_000);
    /// 2027-07-06 12:00 UTC: 14:00 in Paris (CEST, +02:00).
    const SUMMER: Timestamp = Timestamp::from_millis(1_814_875_200_000);
    /// 2027-02-15 10:30 UTC: when the invitation is generated.
    const STAMP: Timestamp = Timestamp::from_millis(1_802_687_400_000);

    const ATTENDEES: &[(&str, &str)] =
        &[("Camille Martin", "camille@client.example"), ("Dupont, Jean", "jean.dupont@client.example")];

    fn invitation(starts_at: Timestamp, time_zone: &str) -> Invitation<'_> {
        Invitation {
            uid: "kickoff-0190f3a2-1c2d-7e3f-8a4b-5c6d7e8f9a0b@embark.example",
            sequence: 2,
            starts_at,
            duration_minutes: 60,
            time_zone,
            summary: "Kick-off: Head of Sales, France",
            description: "Agenda: scorecard, process, calendar.\nBring the org chart; thanks!",
            location: "Salle Lumière, 12 rue de la Paix, Paris",
            url: Some("https://embark.example/e/0190f3a2"),
            organizer_name: "Claire Dubois",
            organizer_email: "claire@embark.example",
            attendees: ATTENDEES,
            stamp: STAMP,
        }
    }

    /// Joins folded lines back (RFC 5545 §3.1) and splits them.
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect()
    }

    fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }

    #[test]
    fn a_winter_invitation_in_paris_is_exactly_as_expected() {
        let expected: String = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Embark//Kick-off//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Paris",
            // In force on 1 March 2027: back to CET on 25 October 2026 at 03:00 CEST (01:00 UTC).
            "BEGIN:STANDARD",
            "DTSTART:20261025T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "END:STANDARD",
            // Next: CEST from 28 March 2027 at 02:00 CET (01:00 UTC).
            "BEGIN:DAYLIGHT",
            "DTSTART:20270328T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:kickoff-0190f3a2-1c2d-7e3f-8a4b-5c6d7e8f9a0b@embark.example",
            "SEQUENCE:2",
            "DTSTAMP:20270215T103000Z",
            "DTSTART;TZID=Europe/Paris:20270301T090000",
            "DTEND;TZID=Europe/Paris:20270301T100000",
            "SUMMARY:Kick-off: Head of Sales\\, France",
            // 82 octets: folded after the 75th.
            "DESCRIPTION:Agenda: scorecard\\, process\\, calendar.\\nBring the org chart\\; ",
            " thanks!",
            "LOCATION:Salle Lumière\\, 12 rue de la Paix\\, Paris",
            "URL:https://embark.example/e/0190f3a2",
            "ORGANIZER;CN=Claire Dubois:mailto:claire@embark.example",
            "ATTENDEE;CN=Camille Martin;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=",
            " TRUE:mailto:camille@client.example",
            "ATTENDEE;CN=\"Dupont, Jean\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=",
            " TRUE:mailto:jean.dupont@client.example",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        .iter()
        .map(|line| format!("{line}\r\n"))
        .collect();
        let actual = request(&invitation(WINTER, "Europe/Paris")).unwrap();
        assert_eq!(actual, expected);
    }

    #[test]
    fn a_summer_event_is_in_local_summer_time_with_a_daylight_observance() {
        let ics = request(&invitation(SUMMER, "Europe/Paris")).unwrap();
        let lines = unfolded(&ics);
        assert!(lines.contains(&"DTSTART;TZID=Europe/Paris:20270706T140000".to_owned()), "{ics}");
        assert!(lines.contains(&"DTEND;TZID=Europe/Paris:20270706T150000".to_owned()), "{ics}");
        let daylight = ics.split("BEGIN:DAYLIGHT\r\n").nth(1).and_then(|rest| rest.split("END:DAYLIGHT").next());
        assert_eq!(
            daylight,
            Some("DTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n")
        );
        // The observance in force comes first, then the return to CET on 31 October 2027.
        let daylight_at = ics.find("BEGIN:DAYLIGHT").unwrap();
        let standard_at = ics.find("BEGIN:STANDARD").unwrap();
        assert!(daylight_at < standard_at);
        assert!(ics.contains("BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"));
    }

    #[test]
    fn a_utc_event_has_a_single_standard_observance() {
        let ics = request(&invitation(WINTER, "UTC")).unwrap();
        let lines = unfolded(&ics);
        assert!(lines.contains(&"DTSTART;TZID=UTC:20270301T080000".to_owned()), "{ics}");
        assert!(lines.contains(&"DTEND;TZID=UTC:20270301T090000".to_owned()), "{ics}");
        assert_eq!(ics.matches("BEGIN:STANDARD").count(), 1, "{ics}");
        assert!(!ics.contains("BEGIN:DAYLIGHT"), "{ics}");
        assert!(ics.contains("TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n"), "{ics}");
    }

    #[test]
    fn an_event_during_a_change_of_time_ends_in_the_new_offset() {
        // 2027-03-28 00:30 UTC (01:30 CET) for 90 minutes: ends at 02:00 UTC, 04:00 CEST.
        let mut inv = invitation(Timestamp::from_millis(1_806_195_600_000 - 1_800_000), "Europe/Paris");
        inv.duration_minutes = 90;
        let lines = unfolded(&request(&inv).unwrap());
        assert!(lines.contains(&"DTSTART;TZID=Europe/Paris:20270328T013000".to_owned()));
        assert!(lines.contains(&"DTEND;TZID=Europe/Paris:20270328T040000".to_owned()));
        assert!(lines.contains(&"DTSTART:20270328T020000".to_owned()), "the change is described");
    }

    #[test]
    fn long_utf8_lines_are_folded_between_characters_and_unfold_to_the_text() {
        let description = "Ordre du jour : présentation de l’équipe, définition du rôle, étapes du \
                           processus — et un café ☕ pour tout le monde. Déjà prêt ? Très bien ! "
            .repeat(4);
        let mut inv = invitation(WINTER, "Europe/Paris");
        inv.description = &description;
        let ics = request(&inv).unwrap();
        assert!(ics.ends_with("\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(ics.matches("\r\n ").count() > 4, "the description is folded");
        let lines = unfolded(&ics);
        let value = lines.iter().find_map(|l| l.strip_prefix("DESCRIPTION:")).unwrap();
        assert_eq!(unescape(value), description);
    }

    #[test]
    fn text_and_names_are_escaped() {
        assert_eq!(text("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(text("no\u{7}bell\ttab"), "nobell\ttab");
        assert_eq!(param("Jean Dupont"), "Jean Dupont");
        assert_eq!(param("Dupont; \"Jean\""), "\"Dupont; Jean\"");
        assert_eq!(param("Acme: Legal"), "\"Acme: Legal\"");

        let mut inv = invitation(WINTER, "Europe/Paris");
        inv.summary = "Kick-off\r\nATTENDEE:mailto:intruder@example.com";
        inv.attendees = &[("O\"Brien, Pat", "pat@client.example\r\nX-INJECTED:1"), ("", "anon@client.example")];
        let lines = unfolded(&request(&inv).unwrap());
        assert!(lines.contains(&"SUMMARY:Kick-off\\nATTENDEE:mailto:intruder@example.com".to_owned()));
        assert!(lines.iter().any(|l| l.starts_with("ATTENDEE;CN=\"OBrien, Pat\";ROLE=")
            && l.ends_with(":mailto:pat@client.exampleX-INJECTED:1")));
        assert!(lines.iter().any(|l| l.starts_with("ATTENDEE;ROLE=") && l.ends_with(":mailto:anon@client.example")));
        assert!(!lines.iter().any(|l| l.starts_with("X-INJECTED")));
    }

    #[test]
    fn offsets_with_minutes_or_seconds_are_written_in_full() {
        assert_eq!(utc_offset(Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap()), "-0330");
        assert_eq!(utc_offset(Offset::from_seconds(561).unwrap()), "+000921");
        assert_eq!(utc_offset(Offset::UTC), "+0000");
    }

    #[test]
    fn an_unknown_time_zone_is_an_error() {
        assert_eq!(
            request(&invitation(WINTER, "Europe/Atlantis")),
            Err(IcsError::UnknownTimeZone("Europe/Atlantis".to_owned()))
        );
    }
}

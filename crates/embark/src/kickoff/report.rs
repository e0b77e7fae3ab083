//! The report (compte rendu) of a kick-off: what was decided and locked, in the
//! reader's language. One document, shown three ways: the email to the client, the
//! page where they acknowledge receipt, and the printable page.

use askama::Template;
use embark_core::kickoff::scorecard::{FieldValue, Scorecard, FIELDS};
use embark_core::kickoff::NextStepKind;
use embark_core::Timestamp;

use crate::email::{wrap_text, Email};
use crate::i18n::Tr;

/// One line of the timing table: a step, its timebox, the time it took.
pub struct TimingRow {
    pub step: String,
    pub planned: String,
    pub actual: String,
    pub over: bool,
}

pub struct Section {
    pub label: String,
    pub lines: Vec<String>,
}

/// A paragraph of text a person wrote, with the line breaks they typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub lines: Vec<String>,
}

/// Splits typed text into paragraphs at blank lines, keeping each paragraph's line
/// breaks; browsers send `\r\n`, scripts `\n`: both read the same.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(Paragraph { lines: std::mem::take(&mut current) });
            }
        } else {
            current.push(line.trim_end().to_string());
        }
    }
    if !current.is_empty() {
        out.push(Paragraph { lines: current });
    }
    out
}

pub struct NextStepRow {
    pub kind: String,
    pub title: String,
    pub owner: String,
    pub due: String,
}

/// Everything the report says, already translated.
pub struct ReportDoc {
    pub lang: &'static str,
    pub title: String,
    pub subject: String,
    pub heading: String,
    /// When it was planned ("Planned for …").
    pub when: String,
    /// The day it was held and how long it really took, once run.
    pub held: Option<String>,
    pub place: String,
    pub participants: Vec<String>,
    pub timing: Vec<TimingRow>,
    pub timing_summary: String,
    pub scorecard: Vec<Section>,
    pub lock: String,
    /// Paragraphs as written (a blank line between two), each with its line breaks.
    pub decisions: Vec<Paragraph>,
    pub open_questions: Vec<String>,
    pub next_steps: Vec<NextStepRow>,
    pub resources: String,
    pub market: String,
    /// Section titles.
    pub labels: Labels,
}

pub struct Labels {
    /// ":" in English, " :" in French.
    pub colon: String,
    pub participants: String,
    pub timing: String,
    pub step: String,
    pub planned: String,
    pub actual: String,
    pub scorecard: String,
    pub decisions: String,
    pub questions: String,
    pub no_questions: String,
    pub next_steps: String,
    pub owner: String,
    pub due: String,
    pub resources: String,
    pub market: String,
}

/// What the report is built from (plain data, so that it can be built in tests).
pub struct ReportInput<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub starts_at: Timestamp,
    pub time_zone: &'a str,
    pub place: &'a str,
    pub participants: Vec<(String, String)>,
    /// (step title, planned minutes, actual milliseconds if run)
    pub steps: Vec<(String, u32, Option<i64>)>,
    pub planned_minutes: i64,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub extended_minutes: i64,
    pub scorecard: Option<&'a Scorecard>,
    pub locked: Option<(Timestamp, String)>,
    pub decisions: &'a str,
    pub open_questions: Vec<String>,
    /// (kind, title, owner, due)
    pub next_steps: Vec<(NextStepKind, String, String, Timestamp)>,
    pub resources: &'a str,
    pub market: &'a str,
}

fn minutes_of(ms: i64) -> i64 {
    (ms + 30_000) / 60_000
}

impl ReportDoc {
    pub fn build(tr: Tr, input: &ReportInput<'_>) -> ReportDoc {
        let tz = input.time_zone;
        let timing = input
            .steps
            .iter()
            .map(|(step, planned, actual)| TimingRow {
                step: step.clone(),
                planned: tr.minutes(i64::from(*planned)),
                actual: actual.map(|ms| tr.minutes(minutes_of(ms))).unwrap_or_else(|| "—".into()),
                over: actual.is_some_and(|ms| minutes_of(ms) > i64::from(*planned)),
            })
            .collect();
        let timing_summary = match (input.started_at, input.ended_at) {
            (Some(s), Some(e)) => {
                let took = minutes_of(e.as_millis() - s.as_millis());
                let key =
                    if took <= input.planned_minutes { "report-finished-on-time" } else { "report-finished-late" };
                let mut text = tr.t2(key, "took", &tr.minutes(took), "planned", &tr.minutes(input.planned_minutes));
                if input.extended_minutes > 0 {
                    text.push(' ');
                    text.push_str(&tr.t1("report-extended", "minutes", &tr.minutes(input.extended_minutes)));
                }
                text
            }
            _ => tr.t("report-not-run"),
        };
        let scorecard = input
            .scorecard
            .map(|card| {
                FIELDS
                    .iter()
                    .map(|f| Section {
                        label: tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))),
                        lines: match card.get(f) {
                            Some(FieldValue::Text(t)) if !t.is_empty() => vec![t],
                            Some(FieldValue::List(l)) => l,
                            Some(FieldValue::Outcomes(o)) => o
                                .iter()
                                .enumerate()
                                .map(|(i, o)| format!("{}. {} — {}", i + 1, o.text, o.measure))
                                .collect(),
                            _ => Vec::new(),
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        let lock = match &input.locked {
            Some((at, hash)) => {
                tr.t2("report-locked", "date", &tr.datetime(*at, tz), "hash", &hash[..hash.len().min(16)])
            }
            None => tr.t("report-not-locked"),
        };
        ReportDoc {
            lang: tr.code(),
            title: input.title.to_string(),
            subject: input.subject.to_string(),
            heading: tr.t1("report-heading", "title", input.title),
            when: tr.t1("report-planned-for", "when", &tr.datetime(input.starts_at, tz)),
            held: match (input.started_at, input.ended_at) {
                (Some(s), Some(e)) => Some(tr.t_args(
                    "report-held",
                    &[
                        ("date", &tr.date(s, tz)),
                        ("start", &tr.time(s, tz)),
                        ("end", &tr.time(e, tz)),
                        ("took", &tr.minutes(minutes_of(e.as_millis() - s.as_millis()))),
                    ],
                )),
                (Some(s), None) => {
                    Some(tr.t2("report-held-running", "date", &tr.date(s, tz), "start", &tr.time(s, tz)))
                }
                _ => None,
            },
            place: input.place.to_string(),
            participants: input.participants.iter().map(|(name, role)| format!("{name} ({role})")).collect(),
            timing,
            timing_summary,
            scorecard,
            lock,
            decisions: paragraphs(input.decisions),
            open_questions: input.open_questions.clone(),
            next_steps: input
                .next_steps
                .iter()
                .map(|(kind, title, owner, due)| NextStepRow {
                    kind: tr.t(&format!("next-step-kind-{}", kind.as_str().replace('_', "-"))),
                    title: title.clone(),
                    owner: owner.clone(),
                    due: tr.date(*due, tz),
                })
                .collect(),
            resources: input.resources.to_string(),
            market: input.market.to_string(),
            labels: Labels {
                colon: tr.t("punct-colon"),
                participants: tr.t("report-participants"),
                timing: tr.t("report-timing"),
                step: tr.t("report-step"),
                planned: tr.t("report-planned"),
                actual: tr.t("report-actual"),
                scorecard: tr.t("report-scorecard"),
                decisions: tr.t("report-decisions"),
                questions: tr.t("report-questions"),
                no_questions: tr.t("report-no-questions"),
                next_steps: tr.t("report-next-steps"),
                owner: tr.t("report-owner"),
                due: tr.t("report-due"),
                resources: tr.t("report-resources"),
                market: tr.t("report-market"),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "kickoff/report_email.html")]
struct ReportHtml<'a> {
    c: &'a ReportMail<'a>,
}

#[derive(Template)]
#[template(path = "kickoff/report_email.txt")]
struct ReportText<'a> {
    c: &'a ReportMail<'a>,
}

struct ReportMail<'a> {
    lang: &'static str,
    greeting: String,
    intro: String,
    action: String,
    url: String,
    signature: String,
    r: &'a ReportDoc,
}

/// The report by email, with the link to acknowledge receipt.
pub fn render_email(tr: Tr, to: &str, to_name: &str, doc: &ReportDoc, ack_url: String) -> anyhow::Result<Email> {
    let mail = ReportMail {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", to_name)]),
        intro: tr.t1("email-report-intro", "title", &doc.title),
        action: tr.t("email-report-action"),
        url: ack_url,
        signature: tr.t("email-signature"),
        r: doc,
    };
    Ok(Email {
        id: embark_core::EmailId::new(),
        to: to.to_string(),
        to_name: to_name.to_string(),
        subject: tr.t1("email-report-subject", "title", &doc.title),
        text: wrap_text(&ReportText { c: &mail }.render()?),
        html: ReportHtml { c: &mail }.render()?,
        kind: "kickoff_report",
        locale: tr.locale,
        calendar: None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use embark_core::kickoff::scorecard::Outcome;
    use embark_core::Locale;

    /// A fixed report: the same every run, for snapshots.
    pub(crate) fn sample_input(card: &Scorecard) -> ReportInput<'_> {
        let t = |h: i64| Timestamp::from_millis(1_803_200_400_000 + h * 3_600_000);
        ReportInput {
            title: "Directrice financière — Dubois SA",
            subject: "Dubois SA",
            starts_at: t(0),
            time_zone: "Europe/Paris",
            place: "Visio : https://meet.example/dubois",
            participants: vec![("Alice Martin".into(), "AM".into()), ("Claire Dubois".into(), "Client".into())],
            steps: vec![("Ice breaker".into(), 3, Some(4 * 60_000)), ("Scorecard".into(), 45, Some(40 * 60_000))],
            planned_minutes: 60,
            started_at: Some(t(0)),
            ended_at: Some(t(0).plus_millis(58 * 60_000)),
            extended_minutes: 0,
            scorecard: Some(card),
            locked: Some((t(0).plus_millis(50 * 60_000), "5f2c9a0d8e7b6a5f4e3d2c1b0a998877".into())),
            decisions:
                "Shortlist of 4 by 15 March.\r\n\r\nWeekly call on Mondays at 9:00.\r\nFirst checkpoint on 1 March.",
            open_questions: vec![],
            next_steps: vec![(NextStepKind::WeeklyMeeting, "Weekly call".into(), "Claire Dubois".into(), t(24 * 7))],
            resources: "Two researchers, full time for six weeks.",
            market: "Few CFOs move in Q1; expect 8 weeks.",
        }
    }

    pub(crate) fn sample_card() -> Scorecard {
        Scorecard {
            mission: "Lead finance through the group's growth".into(),
            outcomes: vec![Outcome { text: "Close the books in 5 days".into(), measure: "by month 6".into() }],
            competencies: vec!["Rigour".into()],
            must_haves: vec!["10 years in finance".into()],
            nice_to_haves: vec![],
            location: "Lyon".into(),
            salary_range: "120–140 k€".into(),
            start_date: "2027-03-01".into(),
        }
    }

    #[test]
    fn typed_text_keeps_its_paragraphs_and_line_breaks() {
        let p = paragraphs("One.\r\nStill one.\r\n\r\n \r\nTwo.\n\n\nThree.  \n");
        let lines: Vec<Vec<&str>> = p.iter().map(|p| p.lines.iter().map(String::as_str).collect()).collect();
        assert_eq!(lines, [vec!["One.", "Still one."], vec!["Two."], vec!["Three."]]);
        assert!(paragraphs("  \r\n ").is_empty());
    }

    #[test]
    fn the_report_email_matches_its_snapshot_in_both_languages() {
        let card = sample_card();
        for locale in [Locale::En, Locale::Fr] {
            let tr = Tr::new(locale);
            let doc = ReportDoc::build(tr, &sample_input(&card));
            let email =
                render_email(tr, "claire@dubois.test", "Claire Dubois", &doc, "https://embark.test/a/TOKEN".into())
                    .unwrap();
            let text = format!("Subject: {}\n\n{}", email.subject, email.text);
            crate::snapshot::assert_snapshot(&format!("report_email_{}.txt", locale.code()), &text);
            assert!(email.html.contains("https://embark.test/a/TOKEN") && email.html.contains("Claire Dubois"));
        }
    }
}

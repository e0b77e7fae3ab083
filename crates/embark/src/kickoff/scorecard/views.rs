//! The scorecard as its editor shows it (the scorecard page and the meeting runner
//! share the editor), and the questions of the log.

use embark_core::kickoff::scorecard::{FieldValue, Outcome, ReturnTiming, FIELDS};
use embark_core::kickoff::ScorecardState;

use crate::http::{local_input, Viewer};
use crate::i18n::Tr;
use crate::kickoff::scorecard::service::{Party, ScorecardView};

/// One field as the form shows it.
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    /// text (one line), long (several lines), list (one item per line), outcomes
    pub kind: &'static str,
    pub text: String,
    pub outcomes: Vec<Outcome>,
    pub version: i64,
    pub last_edit: Option<String>,
}

pub(crate) fn kind_of(field: &str) -> &'static str {
    match field {
        "mission" => "long",
        "outcomes" => "outcomes",
        "competencies" | "must_haves" | "nice_to_haves" => "list",
        _ => "text",
    }
}

pub struct VersionView {
    pub number: i64,
    pub state: String,
    pub rescoping: bool,
    pub locked: Option<String>,
    pub current: bool,
}

pub struct ObjectionView {
    pub id: String,
    pub field: String,
    pub body: String,
    pub raised: String,
    pub resolved: Option<String>,
}

/// The live scorecard editor (`kickoff/scorecard/editor.html`): the scorecard page shows
/// it, and so does the meeting runner at the step that co-writes the scorecard.
pub struct ScorecardEditor {
    pub id: String,
    pub state: &'static str,
    pub party: &'static str,
    pub editable: bool,
    pub locked: bool,
    pub fields: Vec<FieldView>,
    pub field_choices: Vec<(&'static str, String)>,
    /// Facts about the return: sent, due, agreed, returned (on time / late).
    pub facts: Vec<String>,
    pub timing_late: bool,
    pub due_default: String,
    /// Why the return date typed was refused, next to it.
    pub due_error: Option<String>,
    pub can_send: bool,
    pub can_agree: bool,
    pub can_return: bool,
    pub signatures: Vec<(String, Option<String>)>,
    pub signed_by_me: bool,
    pub lock_info: Option<String>,
    pub content_hash: String,
    pub objections: Vec<ObjectionView>,
    pub open_objections: usize,
    pub versions: Vec<VersionView>,
    /// Shown in the runner: its forms come back there.
    pub in_runner: bool,
}

/// The editor's view of the scorecard for this viewer.
pub(crate) fn editor(tr: Tr, viewer: &Viewer, v: &ScorecardView, in_runner: bool) -> ScorecardEditor {
    let tz = viewer.principal.workspace_time_zone.clone();
    let id = v.engagement.id.to_string();
    let fields = FIELDS
        .iter()
        .map(|f| {
            let (text, outcomes) = match v.card.get(f) {
                Some(FieldValue::Text(t)) => (t, Vec::new()),
                Some(FieldValue::List(l)) => (l.join("\n"), Vec::new()),
                Some(FieldValue::Outcomes(o)) => (String::new(), o),
                None => (String::new(), Vec::new()),
            };
            let row = v.fields.get(*f);
            FieldView {
                name: f,
                label: tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))),
                hint: tr.t(&format!("scorecard-hint-{}", f.replace('_', "-"))),
                kind: kind_of(f),
                text,
                outcomes,
                version: v.version_of(f),
                last_edit: row.filter(|r| r.version > 1).and_then(|r| {
                    r.updated_by_name
                        .as_ref()
                        .map(|n| tr.t2("scorecard-last-edit", "name", n, "date", &tr.datetime(r.updated_at, &tz)))
                }),
            }
        })
        .collect();
    let row = &v.row;
    let mut facts = Vec::new();
    if let (Some(sent), Some(due)) = (row.sent_at, row.due_at) {
        facts.push(tr.t2("scorecard-fact-sent", "date", &tr.datetime(sent, &tz), "due", &tr.datetime(due, &tz)));
    }
    if let Some(at) = row.due_agreed_at {
        facts.push(tr.t1("scorecard-fact-agreed", "date", &tr.datetime(at, &tz)));
    }
    let mut timing_late = false;
    if let Some(at) = row.returned_at {
        let when = tr.datetime(at, &tz);
        facts.push(match v.timing {
            Some(ReturnTiming::Late(min)) => {
                timing_late = true;
                tr.t2("scorecard-fact-returned-late", "date", &when, "late", &tr.minutes(min))
            }
            _ => tr.t1("scorecard-fact-returned-on-time", "date", &when),
        });
    }
    let party = v.party;
    let locked = row.locked_at.is_some();
    let sig = |s: &Option<embark_store::kickoff::scorecards::Signature>| {
        s.as_ref().map(|s| tr.t2("scorecard-signed-by", "name", &s.name, "date", &tr.datetime(s.at, &tz)))
    };
    let signatures = vec![
        (tr.t("scorecard-side-account-manager"), sig(&row.account_manager)),
        (tr.t("scorecard-side-client"), sig(&row.client)),
    ];
    let me = viewer.principal.user.id;
    let signed_by_me = match party {
        Party::AccountManager => row.account_manager.as_ref().is_some_and(|s| s.user_id == me),
        Party::Client => row.client.as_ref().is_some_and(|s| s.user_id == me),
        Party::Reader => false,
    };
    let lock_info = row.locked_at.map(|at| tr.t1("scorecard-locked-at", "date", &tr.datetime(at, &tz)));
    let default_due = v.engagement.anchor_at.plus_millis(-48 * 3_600_000);
    let objections: Vec<ObjectionView> = v
        .objections
        .iter()
        .map(|o| ObjectionView {
            id: o.id.to_string(),
            field: tr.t(&format!("scorecard-field-{}", o.field.replace('_', "-"))),
            body: o.body.clone(),
            raised: tr.t2(
                "scorecard-objection-raised",
                "name",
                o.raised_by_name.as_deref().unwrap_or("—"),
                "date",
                &tr.datetime(o.raised_at, &tz),
            ),
            resolved: o.resolved_at.map(|at| {
                tr.t2(
                    "scorecard-objection-resolved",
                    "name",
                    o.resolved_by_name.as_deref().unwrap_or("—"),
                    "date",
                    &tr.datetime(at, &tz),
                )
            }),
        })
        .collect();
    let versions = v
        .versions
        .iter()
        .map(|s| VersionView {
            number: s.number,
            state: tr.t(&format!("scorecard-state-{}", s.state.as_str().replace('_', "-"))),
            rescoping: s.rescoping,
            locked: s.locked_at.map(|at| tr.datetime(at, &tz)),
            current: s.number == row.number,
        })
        .collect();
    ScorecardEditor {
        state: row.state.as_str(),
        party: match party {
            Party::AccountManager => "account_manager",
            Party::Client => "client",
            Party::Reader => "reader",
        },
        editable: v.editable(),
        locked,
        fields,
        field_choices: FIELDS.iter().map(|f| (*f, tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))))).collect(),
        facts,
        timing_late,
        due_default: local_input(row.due_at.unwrap_or(default_due), &tz),
        due_error: None,
        can_send: party == Party::AccountManager && !locked,
        can_agree: party == Party::Client && row.sent_at.is_some() && row.due_agreed_at.is_none() && !locked,
        can_return: party == Party::Client && row.state == ScorecardState::Sent,
        signatures,
        signed_by_me,
        lock_info,
        content_hash: row.content_hash.clone().unwrap_or_default(),
        open_objections: v.open_objections(),
        objections,
        versions,
        in_runner,
        id,
    }
}

/// The notice of an action as the scorecard stands now, never against it: the page
/// is reloaded by live events with its `?done=` kept, so "your signature is recorded"
/// may meet a lock (both signed) or an edit that cancelled the signature.
pub(crate) fn settled_notice(notice: Option<&str>, locked: bool, signed_by_me: bool) -> Option<&str> {
    match notice {
        Some("scorecard-done-signed") if locked => Some("scorecard-done-locked"),
        Some("scorecard-done-signed") if !signed_by_me => Some("scorecard-signature-cancelled"),
        other => other,
    }
}

pub struct QuestionView {
    pub id: String,
    pub source: String,
    pub body: String,
    pub asked: String,
    pub answer: String,
    pub field: String,
    pub field_label: String,
    pub guess: bool,
    pub open: bool,
}

/// The questions of the log as the page and the runner show them.
pub(crate) fn question_views(
    tr: Tr,
    tz: &str,
    list: &[embark_store::kickoff::scorecards::Question],
) -> Vec<QuestionView> {
    let field_label =
        |f: &str| if f.is_empty() { String::new() } else { tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))) };
    list.iter()
        .map(|q| QuestionView {
            id: q.id.to_string(),
            source: tr.t(&format!("question-source-{}", q.source.as_str())),
            body: q.body.clone(),
            asked: tr.t2(
                "question-asked",
                "name",
                q.asked_by_name.as_deref().unwrap_or("—"),
                "date",
                &tr.datetime(q.asked_at, tz),
            ),
            answer: q.answer.clone(),
            field: q.field.clone(),
            field_label: field_label(&q.field),
            guess: q.guess,
            open: q.open,
        })
        .collect()
}

/// The scorecard's fields, to choose one (an objection's, an answer's source).
pub(crate) fn field_choices(tr: Tr) -> Vec<(&'static str, String)> {
    FIELDS.iter().map(|f| (*f, tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))))).collect()
}

#[cfg(test)]
mod notice_tests {
    use super::settled_notice;

    #[test]
    fn a_signature_notice_follows_the_lock_and_the_cancelling_edit() {
        let signed = Some("scorecard-done-signed");
        assert_eq!(settled_notice(signed, false, true), signed);
        assert_eq!(settled_notice(signed, true, true), Some("scorecard-done-locked"), "no \"waiting\" once locked");
        assert_eq!(settled_notice(signed, false, false), Some("scorecard-signature-cancelled"));
        assert_eq!(settled_notice(Some("scorecard-done-saved"), true, false), Some("scorecard-done-saved"));
        assert_eq!(settled_notice(None, true, true), None);
    }
}

//! The next steps as the meeting page, the runner and the report show them, with
//! their forms (to add one, to change one) as they were typed when refused.

use embark_core::engagements::EngagementState;
use embark_core::kickoff::NextStepOutcome;
use embark_core::{NextStepId, UserId};
use serde::Deserialize;

use crate::http::{local_input, FormErrors};
use crate::i18n::Tr;
use crate::kickoff::meeting::service::MeetingView;
use crate::kickoff::scorecard::service::CLIENT_ROLE;

pub struct NextStepView {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub outcome: &'static str,
    pub outcome_label: String,
    pub late: bool,
    /// "Accepted by … on …", once a client contact accepted it.
    pub accepted: Option<String>,
    /// The viewer is a client contact who may accept it now.
    pub can_accept: bool,
    /// It is the viewer's own homework, open, and the report was sent.
    pub can_complete: bool,
    /// The firm may still change or delete it (the report is not sent).
    pub editable: bool,
    /// Its edit form: its values, or what was typed with the errors next to each field.
    pub form: NextStepForm,
}

/// The values of a next step's edit form.
pub struct NextStepForm {
    pub kind: String,
    pub title: String,
    pub owner_id: String,
    pub due_at: String,
    /// Open when it came back with errors.
    pub open: bool,
    pub errors: FormErrors,
}

/// The form to add a next step: empty (due in a week), or what was typed with the
/// errors next to each field.
pub struct NewStepForm {
    pub kind: String,
    pub title: String,
    pub owner_id: String,
    pub due_at: String,
    pub errors: FormErrors,
}

impl NewStepForm {
    pub(crate) fn empty(v: &MeetingView, tz: &str) -> NewStepForm {
        NewStepForm {
            kind: String::new(),
            title: String::new(),
            owner_id: String::new(),
            due_at: local_input(v.now.plus_millis(7 * 24 * 3_600_000), tz),
            errors: FormErrors::default(),
        }
    }

    /// What was typed in a refused add (kind, title, owner, due), with each field's reason.
    pub(crate) fn typed(tr: Tr, typed: [&str; 4], errors: &[embark_core::FieldError]) -> NewStepForm {
        let [kind, title, owner_id, due_at] = typed.map(str::to_string);
        NewStepForm { kind, title, owner_id, due_at, errors: FormErrors::from_fields(tr, errors) }
    }
}

/// A next step's edit that came back with errors: what was typed, and why.
pub(crate) struct FailedEdit {
    pub step: NextStepId,
    pub form: EditForm,
    pub errors: Vec<embark_core::FieldError>,
}

/// The next steps as the viewer may answer them: the firm records outcomes; a client
/// contact accepts them once the report is sent, and marks her own homework done.
pub(crate) fn next_step_views(
    tr: Tr,
    tz: &str,
    v: &MeetingView,
    viewer: UserId,
    failed: Option<&FailedEdit>,
) -> Vec<NextStepView> {
    let sent = v.report.as_ref().is_some_and(|r| r.sent_at.is_some());
    let client = v.access.roles.iter().any(|r| r == CLIENT_ROLE) && v.engagement.state != EngagementState::Cancelled;
    v.next_steps
        .iter()
        .map(|s| NextStepView {
            id: s.id.to_string(),
            kind: tr.t(&format!("next-step-kind-{}", s.kind.as_str().replace('_', "-"))),
            title: s.title.clone(),
            owner: s.owner_name.clone(),
            due: tr.date(s.due_at, tz),
            outcome: s.outcome.as_str(),
            outcome_label: tr.t(&format!("next-step-outcome-{}", s.outcome.as_str())),
            late: s.outcome == NextStepOutcome::Open && s.due_at < v.now,
            accepted: s.accepted_at.map(|at| {
                let by = s.accepted_by_name.clone().unwrap_or_default();
                tr.t2("next-step-accepted-by", "name", &by, "date", &tr.date(at, tz))
            }),
            can_accept: client && sent && s.accepted_at.is_none(),
            can_complete: client && sent && s.owner_id == viewer && s.outcome == NextStepOutcome::Open,
            editable: v.access.can_manage && !sent && v.engagement.state != EngagementState::Cancelled,
            form: match failed.filter(|f| f.step == s.id) {
                Some(f) => NextStepForm {
                    kind: f.form.kind.clone(),
                    title: f.form.title.clone(),
                    owner_id: f.form.owner_id.clone(),
                    due_at: f.form.due_at.clone(),
                    open: true,
                    errors: FormErrors::from_fields(tr, &f.errors),
                },
                None => NextStepForm {
                    kind: s.kind.as_str().to_string(),
                    title: s.title.clone(),
                    owner_id: s.owner_id.to_string(),
                    due_at: local_input(s.due_at, tz),
                    open: false,
                    errors: FormErrors::default(),
                },
            },
        })
        .collect()
}

/// A next step's edit form as posted.
#[derive(Deserialize)]
pub(crate) struct EditForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub due_at: String,
    /// "runner" when edited from the runner: the answer goes back there.
    #[serde(default)]
    pub back: String,
}

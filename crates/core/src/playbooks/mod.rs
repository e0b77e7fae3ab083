//! Playbooks: one text document that is both read (as an article) and run (as a
//! checklist or a live meeting guide). The format is Markdown with a front matter
//! and a little structure; `docs/playbook-format.md` describes it.
//!
//! [`parse`] turns a document into a [`Playbook`] or precise [`Diagnostic`]s
//! (`line:col: message`); [`Playbook::to_text`] writes the canonical form back.

pub mod builtin;
pub mod limits;
pub(crate) mod parse;
mod render;
pub mod schedule;

use std::fmt;

pub use parse::{parse, parse_stored};
pub use schedule::{RelativeDue, Timebox};

use crate::Locale;

/// A problem in a playbook document, at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// Whether a playbook runs as a timed meeting or as a journey over days or weeks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Meeting,
    Journey,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Journey => "journey",
        }
    }
}

/// When a phase of a meeting playbook happens relative to the meeting itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    Before,
    Meeting,
    After,
    /// Rules that hold during the whole meeting (keep to time…), not a slot of it.
    Throughout,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Before => "before",
            Stage::Meeting => "meeting",
            Stage::After => "after",
            Stage::Throughout => "throughout",
        }
    }
}

/// What a success criterion is measured with (see the indicators of PRODUCT.md §C4).
pub const MEASURES: &[&str] = &[
    "nps",
    "enps",
    "clarity",
    "relationship",
    "follow_through",
    "on_time",
    "progress",
    "usage_progression",
    "response_rate",
    "complaint_response_time",
    "time_to_productivity",
    "no_show",
    "acknowledgement_delay",
];

/// Who sees an item of the playbook: everyone taking part (`shared`), or only the
/// team (`internal`). External people — the client, the new hire — never see an
/// internal item, nor anyone's notes or the "why" of a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Visibility {
    Shared,
    Internal,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Shared => "shared",
            Visibility::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        match s {
            "shared" => Some(Visibility::Shared),
            "internal" => Some(Visibility::Internal),
            _ => None,
        }
    }

    /// What an item is when the document does not say: shared when its owner is an
    /// external role (the client's own step), internal otherwise (the team's, or nobody's).
    pub fn default_for(owner: Option<&str>) -> Visibility {
        match owner {
            Some(role) if crate::accounts::role::is_external_playbook_role(role) => Visibility::Shared,
            _ => Visibility::Internal,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Playbook {
    pub title: String,
    pub summary: Option<String>,
    pub language: Locale,
    pub kind: Kind,
    /// The name of the date everything is scheduled from (`kickoff`, `start_date`).
    pub anchor: String,
    /// Total length, for meetings.
    pub duration: Option<Timebox>,
    /// The roles of the people taking part, which owners refer to.
    pub roles: Vec<String>,
    /// Markdown before the first section.
    pub intro: String,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Section {
    /// How to tell the outcome was good; measured.
    Criteria {
        title: String,
        intro: String,
        criteria: Vec<Criterion>,
    },
    /// Gates that must be closed before the steps that require them start.
    Prerequisites {
        title: String,
        intro: String,
        gates: Vec<Gate>,
    },
    Phase(Phase),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub measure: Option<String>,
    pub target: Option<String>,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gate {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<RelativeDue>,
    /// An event that closes the gate by itself; otherwise its owner closes it.
    pub signal: Option<crate::Signal>,
    /// `visibility:`, or the default for its owner.
    pub visibility: Visibility,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phase {
    pub id: String,
    pub title: String,
    pub stage: Option<Stage>,
    pub timebox: Option<Timebox>,
    pub body: String,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub timebox: Option<Timebox>,
    pub owner: Option<String>,
    pub due: Option<RelativeDue>,
    pub deliverable: Option<String>,
    /// The key of a survey sent when the step falls due (`enps`); its answer closes the step.
    pub survey: Option<String>,
    /// An event elsewhere that does the step (`signal: report_sent`): the step closes by
    /// itself when it happens (its checkpoints stay to be ticked).
    pub signal: Option<crate::Signal>,
    /// Ids of the gates that must be closed before this step starts.
    pub requires: Vec<String>,
    /// What the meeting runner brings on screen with this step (`runner: scorecard`).
    pub runner: Vec<RunnerTool>,
    /// `visibility:`, or the default for its owner.
    pub visibility: Visibility,
    pub body: String,
    pub checkpoints: Vec<Checkpoint>,
}

/// A tool the meeting runner embeds with a step, so the meeting is held from one screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunnerTool {
    /// The live scorecard editor: both parties' edits, objections, the signatures.
    Scorecard,
    /// The dedicated resources and the market dynamics of the conclusion.
    Conclusion,
    /// The open questions of the questions log.
    Questions,
    /// The next steps: their list (with the client's acceptances) and the form to add one.
    NextSteps,
}

impl RunnerTool {
    pub const ALL: &'static [RunnerTool] =
        &[RunnerTool::Scorecard, RunnerTool::Conclusion, RunnerTool::Questions, RunnerTool::NextSteps];

    pub fn as_str(self) -> &'static str {
        match self {
            RunnerTool::Scorecard => "scorecard",
            RunnerTool::Conclusion => "conclusion",
            RunnerTool::Questions => "questions",
            RunnerTool::NextSteps => "next_steps",
        }
    }

    pub fn parse(s: &str) -> Option<RunnerTool> {
        RunnerTool::ALL.iter().copied().find(|t| t.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// `step-id.N`, from 1.
    pub id: String,
    pub text: String,
    /// To be asked to the client out loud (`- [?]`).
    pub ask_client: bool,
    /// Why we check this.
    pub why: String,
    /// An event elsewhere that ticks the checkpoint by itself (`signal: report_sent`).
    pub signal: Option<crate::Signal>,
    /// What must hold for the checkpoint to be ticked (`condition: no_guessed_answer`).
    pub condition: Option<crate::engagements::condition::Condition>,
    /// `  visibility:`, or its step's.
    pub visibility: Visibility,
}

impl Playbook {
    pub fn phases(&self) -> impl Iterator<Item = &Phase> {
        self.sections.iter().filter_map(|s| match s {
            Section::Phase(p) => Some(p),
            _ => None,
        })
    }

    pub fn gates(&self) -> impl Iterator<Item = &Gate> {
        self.sections.iter().flat_map(|s| match s {
            Section::Prerequisites { gates, .. } => gates.as_slice(),
            _ => &[],
        })
    }

    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.sections.iter().flat_map(|s| match s {
            Section::Criteria { criteria, .. } => criteria.as_slice(),
            _ => &[],
        })
    }

    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.phases().flat_map(|p| p.steps.iter())
    }

    pub fn checkpoints(&self) -> impl Iterator<Item = &Checkpoint> {
        self.steps().flat_map(|s| s.checkpoints.iter())
    }

    /// The visibility of a gate, step or checkpoint by its key; None for an unknown key.
    pub fn visibility_of(&self, key: &str) -> Option<Visibility> {
        if let Some(g) = self.gates().find(|g| g.id == key) {
            return Some(g.visibility);
        }
        for s in self.steps() {
            if s.id == key {
                return Some(s.visibility);
            }
            if let Some(c) = s.checkpoints.iter().find(|c| c.id == key) {
                return Some(c.visibility);
            }
        }
        None
    }

    /// The keys of the gates, steps and checkpoints shown to external people, to look
    /// each item up once.
    pub fn shared_keys(&self) -> std::collections::HashSet<&str> {
        let gates = self.gates().filter(|g| g.visibility == Visibility::Shared).map(|g| g.id.as_str());
        let steps = self.steps().flat_map(|s| {
            let step = (s.visibility == Visibility::Shared).then_some(s.id.as_str());
            let checks = s.checkpoints.iter().filter(|c| c.visibility == Visibility::Shared).map(|c| c.id.as_str());
            step.into_iter().chain(checks)
        });
        gates.chain(steps).collect()
    }

    /// Whether the item is shown to external people (an unknown key is not).
    pub fn is_shared(&self, key: &str) -> bool {
        self.visibility_of(key) == Some(Visibility::Shared)
    }

    /// Minutes to read the document as an article (200 words a minute, at least 1).
    pub fn reading_minutes(&self) -> u32 {
        let words = self.to_text().split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
        (words as u32).div_ceil(200).max(1)
    }

    /// The time the meeting's phases take, when they say.
    pub fn scheduled_minutes(&self) -> u32 {
        self.phases()
            .filter(|p| matches!(p.stage, None | Some(Stage::Meeting)))
            .map(|p| {
                p.timebox
                    .map(|t| t.minutes())
                    .unwrap_or_else(|| p.steps.iter().filter_map(|s| s.timebox).map(|t| t.minutes()).sum())
            })
            .sum()
    }
}

/// Turns a title into an id: lower-case ASCII letters, digits and dashes.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'À' | 'Â' => 'a',
            'É' | 'È' | 'Ê' => 'e',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "item".into()
    } else {
        out.chars().take(48).collect::<String>().trim_end_matches('-').to_string()
    }
}

#[cfg(test)]
mod tests;

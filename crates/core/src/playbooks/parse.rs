//! The playbook parser: lines → raw sections and blocks → a checked [`Playbook`].
//! It never panics and reports every problem it can find, each with its position.

use std::collections::HashSet;

use super::{
    slug, Checkpoint, Criterion, Diagnostic, Gate, Kind, Phase, Playbook, RelativeDue, RunnerTool, Section, Stage,
    Step, Timebox, Visibility, MEASURES,
};
use crate::Locale;

const FRONT_KEYS: &[&str] = &["title", "summary", "language", "kind", "anchor", "duration", "roles"];
const PHASE_KEYS: &[&str] = &["id", "stage", "timebox"];
const STEP_KEYS: &[&str] =
    &["id", "timebox", "owner", "due", "deliverable", "requires", "survey", "signal", "runner", "visibility"];
const GATE_KEYS: &[&str] = &["id", "owner", "due", "signal", "visibility"];
const CRITERION_KEYS: &[&str] = &["id", "measure", "target"];
const CHECKPOINT_KEYS: &[&str] = &["signal", "condition", "visibility"];

/// Parses a playbook document. All problems are reported together, in line order.
pub fn parse(text: &str) -> Result<Playbook, Vec<Diagnostic>> {
    super::limits::check_source(text).map_err(|d| vec![d])?;
    let playbook = parse_stored(text)?;
    super::limits::check_items(&playbook).map_err(|d| vec![d])?;
    Ok(playbook)
}

/// Parses a version already stored, without the size limits of [`parse`]: a version
/// accepted before the limits existed still opens.
pub fn parse_stored(text: &str) -> Result<Playbook, Vec<Diagnostic>> {
    let mut p = Parser { diags: Vec::new() };
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let playbook = p.document(&lines);
    if p.diags.is_empty() {
        if let Some(pb) = playbook {
            return Ok(pb);
        }
        p.err(1, 1, "the document could not be read as a playbook".into());
    }
    p.diags.sort_by_key(|d| (d.line, d.col));
    p.diags.dedup();
    Err(p.diags)
}

struct Parser {
    diags: Vec<Diagnostic>,
}

struct Attr<'a> {
    line: usize,
    key: &'a str,
    value: &'a str,
    value_col: usize,
}

struct RawCheck<'a> {
    line: usize,
    text: &'a str,
    ask: bool,
    /// `  key: value` lines right under the checkpoint, before its reason.
    attrs: Vec<Attr<'a>>,
    why: Vec<&'a str>,
}

struct RawBlock<'a> {
    line: usize,
    title: &'a str,
    attrs: Vec<Attr<'a>>,
    body: Vec<&'a str>,
    checks: Vec<RawCheck<'a>>,
}

struct RawSection<'a> {
    line: usize,
    title: &'a str,
    marker: Option<(&'a str, usize)>,
    attrs: Vec<Attr<'a>>,
    body: Vec<&'a str>,
    blocks: Vec<RawBlock<'a>>,
}

/// 1-based column of byte offset `i` in `line`, counted in characters.
pub(crate) fn col(line: &str, i: usize) -> usize {
    line.get(..i).map(|s| s.chars().count()).unwrap_or(0) + 1
}

pub(crate) fn join(lines: &[&str]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map(|i| i + 1).unwrap_or(start);
    lines[start..end.max(start)].join("\n")
}

/// `key: value` with a lower-case key, or None.
pub(crate) fn attr_line(line: &str) -> Option<(&str, &str, usize)> {
    let (key, rest) = line.split_once(':')?;
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let value = rest.strip_prefix(' ').unwrap_or(rest);
    Some((key, value.trim_end(), key.len() + 1 + (rest.len() - value.len()) + 1))
}

impl Parser {
    fn err(&mut self, line: usize, col: usize, message: String) {
        self.diags.push(Diagnostic { line, col, message });
    }

    fn document(&mut self, lines: &[&str]) -> Option<Playbook> {
        if lines.first().map(|l| l.trim_end()) != Some("---") {
            self.err(
                1,
                1,
                "a playbook starts with a front matter: a line `---`, `key: value` lines, then `---`".into(),
            );
            return None;
        }
        let Some(close) = lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1) else {
            self.err(1, 1, "the front matter is not closed: add a line `---` after its `key: value` lines".into());
            return None;
        };
        let front = self.front_matter(&lines[1..close]);
        let (intro, raw_sections) = self.body(lines, close + 1);
        Some(self.build(front, intro, raw_sections))
    }

    fn front_matter(&mut self, lines: &[&str]) -> Front {
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let mut f = FrontRaw::default();
        for (i, line) in lines.iter().enumerate() {
            let n = i + 2;
            if line.trim().is_empty() {
                continue;
            }
            let Some((key, value, vcol)) = attr_line(line) else {
                self.err(n, 1, format!("expected `key: value` in the front matter, found `{}`", line.trim()));
                continue;
            };
            if !FRONT_KEYS.contains(&key) {
                self.err(
                    n,
                    1,
                    format!("unknown front matter key `{key}` (expected one of: {})", FRONT_KEYS.join(", ")),
                );
                continue;
            }
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                self.err(n, 1, format!("`{key}` is given twice (first on line {first})"));
                continue;
            }
            seen.push((key, n));
            let v = (value.to_string(), n, vcol);
            match key {
                "title" => f.title = Some(v),
                "summary" => f.summary = Some(v),
                "language" => f.language = Some(v),
                "kind" => f.kind = Some(v),
                "anchor" => f.anchor = Some(v),
                "duration" => f.duration = Some(v),
                _ => f.roles = Some(v),
            }
        }
        let end = lines.len() + 2;
        let missing = |p: &mut Parser, what: &str| p.err(end, 1, format!("the front matter needs `{what}:`"));
        let title = match f.title {
            Some((t, n, c)) if t.trim().is_empty() => {
                self.err(n, c, "the title is empty".into());
                None
            }
            Some((t, ..)) => Some(t.trim().to_string()),
            None => {
                missing(self, "title");
                None
            }
        };
        let language = match f.language {
            Some((l, n, c)) => match l.parse::<Locale>() {
                Ok(l) => Some(l),
                Err(_) => {
                    self.err(n, c, format!("unknown language `{l}` (expected `fr` or `en`)"));
                    None
                }
            },
            None => {
                missing(self, "language");
                None
            }
        };
        let kind = match f.kind {
            Some((k, n, c)) => match k.as_str() {
                "meeting" => Some(Kind::Meeting),
                "journey" => Some(Kind::Journey),
                _ => {
                    self.err(n, c, format!("unknown kind `{k}` (expected `meeting` or `journey`)"));
                    None
                }
            },
            None => {
                missing(self, "kind");
                None
            }
        };
        let anchor = match f.anchor {
            Some((a, n, c)) => {
                if a.is_empty() || !a.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                    self.err(
                        n,
                        c,
                        format!("the anchor `{a}` must be a lower-case name like `kickoff` or `start_date`"),
                    );
                    None
                } else {
                    Some(a)
                }
            }
            None => {
                missing(self, "anchor");
                None
            }
        };
        let duration = match f.duration {
            Some((d, n, c)) => match Timebox::parse(&d) {
                Ok(t) => Some((t, n)),
                Err(e) => {
                    self.err(n, c, e);
                    None
                }
            },
            None => None,
        };
        let mut roles = Vec::new();
        match f.roles {
            Some((r, n, c)) => {
                for role in r.split(',').map(str::trim) {
                    if role.is_empty() || !role.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        self.err(n, c, format!("the role `{role}` must be a lower-case name like `account_manager`"));
                    } else if roles.iter().any(|x| x == role) {
                        self.err(n, c, format!("the role `{role}` is listed twice"));
                    } else {
                        roles.push(role.to_string());
                    }
                }
            }
            None => missing(self, "roles"),
        }
        if let Some(k) = kind {
            match (k, &duration) {
                (Kind::Meeting, None) if seen.iter().all(|(key, _)| *key != "duration") => {
                    self.err(end, 1, "a meeting playbook needs `duration:` (e.g. `duration: 1 h`)".into())
                }
                (Kind::Journey, Some((_, n))) => {
                    self.err(*n, 1, "a journey has no `duration:`; give its steps due dates instead".into())
                }
                _ => {}
            }
        }
        Front {
            title: title.unwrap_or_default(),
            summary: f.summary.map(|(s, ..)| s.trim().to_string()).filter(|s| !s.is_empty()),
            language: language.unwrap_or_default(),
            kind,
            anchor,
            duration,
            roles: if seen.iter().any(|(k, _)| *k == "roles") { Some(roles) } else { None },
        }
    }

    /// Splits the body into the intro and raw sections.
    fn body<'a>(&mut self, lines: &[&'a str], start: usize) -> (Vec<&'a str>, Vec<RawSection<'a>>) {
        let mut intro = Vec::new();
        let mut sections: Vec<RawSection<'a>> = Vec::new();
        let mut in_fence = false;
        // Attribute lines are read right after a heading, until the first other line.
        let mut attrs_open = false;
        for (i, &line) in lines.iter().enumerate().skip(start) {
            let n = i + 1;
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                in_fence = !in_fence;
            }
            if !in_fence {
                if let Some(rest) = line.strip_prefix("### ") {
                    let Some(section) = sections.last_mut() else {
                        self.err(n, 1, "a `###` heading before any `##` section: start a section first".into());
                        continue;
                    };
                    if rest.trim().is_empty() {
                        self.err(n, 4, "empty heading".into());
                    }
                    section.blocks.push(RawBlock {
                        line: n,
                        title: rest.trim(),
                        attrs: Vec::new(),
                        body: Vec::new(),
                        checks: Vec::new(),
                    });
                    attrs_open = true;
                    continue;
                }
                if let Some(rest) = line.strip_prefix("## ") {
                    let (title, marker) =
                        match rest.trim_end().strip_suffix('}').and_then(|r| r.rfind('{').map(|b| (r, b))) {
                            Some((r, b)) => (r[..b].trim(), Some((&r[b + 1..], col(line, 3 + b)))),
                            None => (rest.trim(), None),
                        };
                    if title.is_empty() {
                        self.err(n, 4, "empty heading".into());
                    }
                    sections.push(RawSection {
                        line: n,
                        title,
                        marker,
                        attrs: Vec::new(),
                        body: Vec::new(),
                        blocks: Vec::new(),
                    });
                    attrs_open = true;
                    continue;
                }
                if line.starts_with("# ") {
                    self.err(
                        n,
                        1,
                        "a `#` heading in the body: the title is the front matter's `title:`; use `##` for sections"
                            .into(),
                    );
                    continue;
                }
            }
            let Some(section) = sections.last_mut() else {
                intro.push(line);
                continue;
            };
            if attrs_open && !in_fence {
                if let Some((key, value, vcol)) = attr_line(line) {
                    let attr = Attr { line: n, key, value, value_col: vcol };
                    match section.blocks.last_mut() {
                        Some(b) => b.attrs.push(attr),
                        None => section.attrs.push(attr),
                    }
                    continue;
                }
                attrs_open = false;
            }
            let Some(block) = section.blocks.last_mut() else {
                if !in_fence && (line.starts_with("- [ ] ") || line.starts_with("- [?] ")) {
                    self.err(n, 1, "a checkpoint belongs to a step: put it under a `###` heading".into());
                    continue;
                }
                section.body.push(line);
                continue;
            };
            if !in_fence {
                let check = line
                    .strip_prefix("- [ ] ")
                    .map(|t| (t, false))
                    .or_else(|| line.strip_prefix("- [?] ").map(|t| (t, true)));
                if let Some((text, ask)) = check {
                    if text.trim().is_empty() {
                        self.err(n, 7, "empty checkpoint".into());
                    }
                    block.checks.push(RawCheck { line: n, text: text.trim(), ask, attrs: Vec::new(), why: Vec::new() });
                    continue;
                }
                if let Some(text) = line.strip_prefix("- [x] ").or_else(|| line.strip_prefix("- [X] ")) {
                    self.err(
                        n,
                        3,
                        "checkpoints are written unticked: `- [ ]` (or `- [?]` for one to ask the client)".into(),
                    );
                    block.checks.push(RawCheck {
                        line: n,
                        text: text.trim(),
                        ask: false,
                        attrs: Vec::new(),
                        why: Vec::new(),
                    });
                    continue;
                }
                // `  key: value` right under a checkpoint is one of its attributes.
                if let (Some(c), Some((key, value, vcol))) =
                    (block.checks.last_mut(), line.strip_prefix("  ").and_then(attr_line))
                {
                    if c.why.is_empty() {
                        c.attrs.push(Attr { line: n, key, value, value_col: vcol + 2 });
                    } else {
                        self.err(
                            n,
                            3,
                            "a checkpoint's attributes (`  key: value`) go right under it, before its reason".into(),
                        );
                    }
                    continue;
                }
                if let Some(why) = line.strip_prefix("  > ").or_else(|| if line == "  >" { Some("") } else { None }) {
                    match block.checks.last_mut() {
                        Some(c) => c.why.push(why),
                        None => self.err(n, 3, "an explanation (`  > …`) must follow a checkpoint line".into()),
                    }
                    continue;
                }
            }
            if !block.checks.is_empty() {
                if !line.trim().is_empty() {
                    self.err(
                        n,
                        1,
                        "text after the checkpoints of a step: put the step's text before its first checkpoint".into(),
                    );
                }
                continue;
            }
            block.body.push(line);
        }
        if in_fence {
            self.err(lines.len(), 1, "a code block (```) is not closed".into());
        }
        (intro, sections)
    }

    fn attrs<'a>(&mut self, attrs: &'a [Attr<'a>], allowed: &[&str], what: &str) -> Vec<&'a Attr<'a>> {
        let mut out: Vec<&Attr> = Vec::new();
        for a in attrs {
            if !allowed.contains(&a.key) {
                self.err(
                    a.line,
                    1,
                    format!(
                        "unknown attribute `{}` for {what} (expected one of: {}); if this line is text, leave a blank line after the heading",
                        a.key,
                        allowed.join(", ")
                    ),
                );
            } else if out.iter().any(|o| o.key == a.key) {
                self.err(a.line, 1, format!("`{}` is given twice", a.key));
            } else {
                out.push(a);
            }
        }
        out
    }

    fn get<'a>(attrs: &[&'a Attr<'a>], key: &str) -> Option<&'a Attr<'a>> {
        attrs.iter().find(|a| a.key == key).copied()
    }

    fn id(&mut self, attrs: &[&Attr], title: &str, taken: &mut HashSet<String>, line: usize) -> String {
        let id = match Self::get(attrs, "id") {
            Some(a) => {
                if a.value.is_empty()
                    || !a.value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    self.err(
                        a.line,
                        a.value_col,
                        format!("the id `{}` must use lower-case letters, digits and `-`", a.value),
                    );
                }
                a.value.to_string()
            }
            None => slug(title),
        };
        if !taken.insert(id.clone()) {
            self.err(line, 1, format!("the id `{id}` is used twice; give one of them another `id:`"));
        }
        id
    }

    fn due(&mut self, attrs: &[&Attr], anchor: Option<&str>) -> Option<RelativeDue> {
        let a = Self::get(attrs, "due")?;
        match RelativeDue::parse(a.value) {
            Ok(d) if anchor.is_some_and(|anchor| d.anchor != anchor) => {
                let anchor = anchor.unwrap_or_default();
                self.err(
                    a.line,
                    a.value_col,
                    format!("unknown anchor `{}`: this playbook's anchor is `{anchor}`", d.anchor),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.err(a.line, a.value_col, e);
                None
            }
        }
    }

    fn owner(&mut self, attrs: &[&Attr], roles: Option<&[String]>) -> Option<String> {
        let a = Self::get(attrs, "owner")?;
        if let Some(roles) = roles.filter(|roles| !roles.iter().any(|r| r == a.value)) {
            self.err(
                a.line,
                a.value_col,
                format!("unknown owner role `{}` (this playbook's roles: {})", a.value, roles.join(", ")),
            );
        }
        Some(a.value.to_string())
    }

    /// The signal that closes a gate or does a step by itself (`signal: report_sent`).
    fn signal(&mut self, attrs: &[&Attr]) -> Option<crate::Signal> {
        let a = Self::get(attrs, "signal")?;
        match a.value.parse::<crate::Signal>() {
            Ok(signal) => Some(signal),
            Err(e) => {
                let expected = crate::Signal::names().collect::<Vec<_>>().join(", ");
                self.err(a.line, a.value_col, format!("{e} (expected one of: {expected})"));
                None
            }
        }
    }

    /// Who sees a gate or a step (`visibility: shared`); without it, its owner's kind
    /// decides ([`Visibility::default_for`]). An external role's item is shared: its
    /// owner could not do what she does not see.
    fn visibility(&mut self, attrs: &[&Attr], owner: Option<&str>) -> Visibility {
        let default = Visibility::default_for(owner);
        match Self::get(attrs, "visibility") {
            Some(a) => self.read_visibility(a, owner, default),
            None => default,
        }
    }

    /// A `visibility:` value as written, or `fallback` after saying what is wrong with it:
    /// an unknown value, or `internal` on what a person outside the team owns.
    fn read_visibility(&mut self, a: &Attr, owner: Option<&str>, fallback: Visibility) -> Visibility {
        match Visibility::parse(a.value) {
            Some(Visibility::Internal) if Visibility::default_for(owner) == Visibility::Shared => {
                let owner = owner.unwrap_or_default();
                self.err(
                    a.line,
                    a.value_col,
                    format!("`{owner}` names people outside the team: what they own is `shared`, never `internal`"),
                );
                fallback
            }
            Some(v) => v,
            None => {
                self.err(
                    a.line,
                    a.value_col,
                    format!("unknown visibility `{}` (expected shared or internal)", a.value),
                );
                fallback
            }
        }
    }

    /// A checkpoint is seen by whoever sees its step, unless it says `  visibility: internal`
    /// (a shared step's detail for the team only); an internal step's checkpoints stay internal.
    fn checkpoint_visibility(&mut self, attrs: &[&Attr], step: Visibility, owner: Option<&str>) -> Visibility {
        let Some(a) = Self::get(attrs, "visibility") else { return step };
        if step == Visibility::Internal && Visibility::parse(a.value) == Some(Visibility::Shared) {
            self.err(
                a.line,
                a.value_col,
                "the step is internal, and so are its checkpoints: give the step `visibility: shared` to share it"
                    .into(),
            );
            return step;
        }
        self.read_visibility(a, owner, step)
    }

    /// What the meeting runner brings with a step (`runner: conclusion, questions`): known
    /// tools, each once, and only in a meeting's playbook.
    fn runner(&mut self, attrs: &[&Attr], kind: Option<Kind>) -> Vec<RunnerTool> {
        let Some(a) = Self::get(attrs, "runner") else { return Vec::new() };
        if kind != Some(Kind::Meeting) {
            self.err(a.line, 1, "`runner` is for the steps of a meeting (`kind: meeting` in the front matter)".into());
            return Vec::new();
        }
        let mut tools = Vec::new();
        let mut col = a.value_col;
        for part in a.value.split(',') {
            let name = part.trim();
            let at = col + (part.len() - part.trim_start().len());
            col += part.len() + 1;
            match RunnerTool::parse(name) {
                Some(t) if tools.contains(&t) => self.err(a.line, at, format!("`{name}` is given twice")),
                Some(t) => tools.push(t),
                None => {
                    let known: Vec<&str> = RunnerTool::ALL.iter().map(|t| t.as_str()).collect();
                    self.err(
                        a.line,
                        at,
                        format!("unknown runner tool `{name}` (expected one of: {})", known.join(", ")),
                    );
                }
            }
        }
        tools
    }

    /// What must hold for a checkpoint to be ticked (`condition: no_guessed_answer`).
    fn condition(&mut self, attrs: &[&Attr]) -> Option<crate::engagements::condition::Condition> {
        let a = Self::get(attrs, "condition")?;
        match a.value.parse() {
            Ok(c) => Some(c),
            Err(e) => {
                let expected = crate::engagements::condition::Condition::names().collect::<Vec<_>>().join(", ");
                self.err(a.line, a.value_col, format!("{e} (expected one of: {expected})"));
                None
            }
        }
    }

    /// A survey Embark sends when the step falls due, to the people of its audience role.
    fn survey(&mut self, attrs: &[&Attr], roles: Option<&[String]>) -> Option<String> {
        let a = Self::get(attrs, "survey")?;
        let Some(template) = crate::surveys::builtin(a.value) else {
            let known: Vec<&str> = crate::surveys::BUILTIN.iter().map(|t| t.key).collect();
            self.err(
                a.line,
                a.value_col,
                format!("unknown survey `{}` (Embark's surveys: {})", a.value, known.join(", ")),
            );
            return None;
        };
        if let Some(roles) = roles.filter(|roles| !roles.iter().any(|r| r == template.audience)) {
            self.err(
                a.line,
                a.value_col,
                format!(
                    "the survey `{}` is answered by the role `{}`, which this playbook does not have (its roles: {})",
                    a.value,
                    template.audience,
                    roles.join(", ")
                ),
            );
        }
        Some(a.value.to_string())
    }

    fn timebox(&mut self, attrs: &[&Attr]) -> Option<Timebox> {
        let a = Self::get(attrs, "timebox")?;
        match Timebox::parse(a.value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.err(a.line, a.value_col, e);
                None
            }
        }
    }

    fn build(&mut self, front: Front, intro: Vec<&str>, raw: Vec<RawSection>) -> Playbook {
        let mut ids = HashSet::new();
        let mut gate_ids: Vec<String> = Vec::new();
        let mut sections = Vec::new();
        let mut required: Vec<(String, usize, usize)> = Vec::new();
        let (mut has_criteria, mut has_prereq) = (false, false);
        for s in &raw {
            match s.marker {
                Some(("criteria", c)) => {
                    if std::mem::replace(&mut has_criteria, true) {
                        self.err(s.line, c, "a second `{criteria}` section: keep all criteria in one".into());
                    }
                    if let Some(a) = s.attrs.first() {
                        self.err(a.line, 1, "a `{criteria}` section takes no attributes".into());
                    }
                    let mut criteria = Vec::new();
                    for b in &s.blocks {
                        let attrs = self.attrs(&b.attrs, CRITERION_KEYS, "a criterion");
                        let id = self.id(&attrs, b.title, &mut ids, b.line);
                        let measure = Self::get(&attrs, "measure").map(|a| {
                            if !MEASURES.contains(&a.value) {
                                self.err(
                                    a.line,
                                    a.value_col,
                                    format!("unknown measure `{}` (expected one of: {})", a.value, MEASURES.join(", ")),
                                );
                            }
                            a.value.to_string()
                        });
                        if let Some(c) = b.checks.first() {
                            self.err(c.line, 1, "criteria have no checkpoints; put checkpoints in a step".into());
                        }
                        criteria.push(Criterion {
                            id,
                            title: b.title.to_string(),
                            measure,
                            target: Self::get(&attrs, "target").map(|a| a.value.to_string()),
                            body: join(&b.body),
                        });
                    }
                    if criteria.is_empty() {
                        self.err(s.line, 1, "the criteria section is empty: add `###` criteria".into());
                    }
                    sections.push(Section::Criteria { title: s.title.to_string(), intro: join(&s.body), criteria });
                }
                Some(("prerequisites", c)) => {
                    if std::mem::replace(&mut has_prereq, true) {
                        self.err(s.line, c, "a second `{prerequisites}` section: keep all gates in one".into());
                    }
                    if let Some(a) = s.attrs.first() {
                        self.err(a.line, 1, "a `{prerequisites}` section takes no attributes".into());
                    }
                    let mut gates = Vec::new();
                    for b in &s.blocks {
                        let attrs = self.attrs(&b.attrs, GATE_KEYS, "a prerequisite");
                        let id = self.id(&attrs, b.title, &mut ids, b.line);
                        let signal = self.signal(&attrs);
                        if let Some(c) = b.checks.first() {
                            self.err(c.line, 1, "prerequisites have no checkpoints; put checkpoints in a step".into());
                        }
                        gate_ids.push(id.clone());
                        let owner = self.owner(&attrs, front.roles.as_deref());
                        gates.push(Gate {
                            id,
                            title: b.title.to_string(),
                            visibility: self.visibility(&attrs, owner.as_deref()),
                            owner,
                            due: self.due(&attrs, front.anchor.as_deref()),
                            signal,
                            body: join(&b.body),
                        });
                    }
                    if gates.is_empty() {
                        self.err(s.line, 1, "the prerequisites section is empty: add `###` gates".into());
                    }
                    sections.push(Section::Prerequisites { title: s.title.to_string(), intro: join(&s.body), gates });
                }
                Some((other, c)) => {
                    self.err(s.line, c, format!("unknown section marker `{{{other}}}` (expected `{{criteria}}` or `{{prerequisites}}`, or none for a phase)"));
                }
                None => {
                    let attrs = self.attrs(&s.attrs, PHASE_KEYS, "a phase");
                    let id = self.id(&attrs, s.title, &mut ids, s.line);
                    let stage = Self::get(&attrs, "stage").and_then(|a| {
                        if front.kind == Some(Kind::Journey) {
                            self.err(
                                a.line,
                                1,
                                "`stage:` is for meeting playbooks; a journey's phases follow their due dates".into(),
                            );
                            return None;
                        }
                        match a.value {
                            "before" => Some(Stage::Before),
                            "meeting" => Some(Stage::Meeting),
                            "after" => Some(Stage::After),
                            "throughout" => Some(Stage::Throughout),
                            v => {
                                self.err(
                                    a.line,
                                    a.value_col,
                                    format!("unknown stage `{v}` (expected before, meeting, after or throughout)"),
                                );
                                None
                            }
                        }
                    });
                    let timebox = self.timebox(&attrs);
                    let mut steps = Vec::new();
                    for b in &s.blocks {
                        steps.push(self.step(b, &front, &mut ids, &mut required));
                    }
                    if steps.is_empty() {
                        self.err(s.line, 1, format!("the phase `{}` is empty: add at least one `###` step", s.title));
                    }
                    let step_minutes: u32 = steps.iter().filter_map(|st: &Step| st.timebox).map(|t| t.minutes()).sum();
                    if let Some(t) = timebox {
                        if step_minutes > t.minutes() {
                            self.err(
                                s.line,
                                1,
                                format!(
                                    "the steps of `{}` add up to {}, more than its timebox of {t}",
                                    s.title,
                                    Timebox::from_minutes(step_minutes)
                                ),
                            );
                        }
                    }
                    sections.push(Section::Phase(Phase {
                        id,
                        title: s.title.to_string(),
                        stage,
                        timebox,
                        body: join(&s.body),
                        steps,
                    }));
                }
            }
        }
        for (gate, line, c) in required {
            if !gate_ids.contains(&gate) {
                let known = if gate_ids.is_empty() {
                    "none: add a `{prerequisites}` section".to_string()
                } else {
                    gate_ids.join(", ")
                };
                self.err(line, c, format!("`requires:` names an unknown prerequisite `{gate}` (known: {known})"));
            }
        }
        let playbook = Playbook {
            title: front.title,
            summary: front.summary,
            language: front.language,
            kind: front.kind.unwrap_or(Kind::Journey),
            anchor: front.anchor.unwrap_or_default(),
            duration: front.duration.map(|(t, _)| t),
            roles: front.roles.unwrap_or_default(),
            intro: join(&intro),
            sections,
        };
        if let Some((duration, line)) = front.duration {
            let scheduled = playbook.scheduled_minutes();
            if scheduled > duration.minutes() {
                self.err(
                    line,
                    1,
                    format!(
                        "the meeting's phases add up to {}, more than its duration of {duration}",
                        Timebox::from_minutes(scheduled)
                    ),
                );
            }
        }
        let unknown_marker =
            raw.iter().any(|s| matches!(s.marker, Some((m, _)) if m != "criteria" && m != "prerequisites"));
        if playbook.phases().next().is_none() && !unknown_marker {
            self.err(1, 1, "a playbook needs at least one phase: a `##` heading with `###` steps".into());
        }
        playbook
    }

    fn step(
        &mut self,
        b: &RawBlock,
        front: &Front,
        ids: &mut HashSet<String>,
        required: &mut Vec<(String, usize, usize)>,
    ) -> Step {
        let attrs = self.attrs(&b.attrs, STEP_KEYS, "a step");
        let id = self.id(&attrs, b.title, ids, b.line);
        let mut requires = Vec::new();
        if let Some(a) = Self::get(&attrs, "requires") {
            for gate in a.value.split(',').map(str::trim).filter(|g| !g.is_empty()) {
                required.push((gate.to_string(), a.line, a.value_col));
                requires.push(gate.to_string());
            }
        }
        let owner = self.owner(&attrs, front.roles.as_deref());
        let visibility = self.visibility(&attrs, owner.as_deref());
        let mut checkpoints = Vec::new();
        for (i, c) in b.checks.iter().enumerate() {
            let why = join(&c.why);
            if why.is_empty() && front.kind == Some(Kind::Meeting) {
                self.err(
                    c.line,
                    1,
                    "a checkpoint of a meeting needs its reason: add a line `  > why we check this` under it".into(),
                );
            }
            let attrs = self.attrs(&c.attrs, CHECKPOINT_KEYS, "a checkpoint");
            let signal = self.signal(&attrs);
            if let (Some(s), Some(a)) = (signal.as_ref().filter(|s| s.course().is_some()), Self::get(&attrs, "signal"))
            {
                // A course passed is one person's: it closes what that person owns, a gate or a step.
                self.err(
                    a.line,
                    a.value_col,
                    format!("`{s}` is about one person's course: put it on a gate or a step, not a checkpoint"),
                );
            }
            checkpoints.push(Checkpoint {
                id: format!("{id}.{}", i + 1),
                text: c.text.to_string(),
                ask_client: c.ask,
                why,
                signal,
                condition: self.condition(&attrs),
                visibility: self.checkpoint_visibility(&attrs, visibility, owner.as_deref()),
            });
        }
        Step {
            timebox: self.timebox(&attrs),
            owner,
            visibility,
            due: self.due(&attrs, front.anchor.as_deref()),
            deliverable: Self::get(&attrs, "deliverable").map(|a| a.value.to_string()),
            survey: self.survey(&attrs, front.roles.as_deref()),
            signal: self.signal(&attrs),
            runner: self.runner(&attrs, front.kind),
            requires,
            body: join(&b.body),
            checkpoints,
            title: b.title.to_string(),
            id,
        }
    }
}

#[derive(Default)]
struct FrontRaw {
    title: Option<(String, usize, usize)>,
    summary: Option<(String, usize, usize)>,
    language: Option<(String, usize, usize)>,
    kind: Option<(String, usize, usize)>,
    anchor: Option<(String, usize, usize)>,
    duration: Option<(String, usize, usize)>,
    roles: Option<(String, usize, usize)>,
}

/// The front matter as far as it could be read: checks that depend on a missing
/// or broken field are skipped, so that the rest of the document is still checked.
struct Front {
    title: String,
    summary: Option<String>,
    language: Locale,
    kind: Option<Kind>,
    anchor: Option<String>,
    duration: Option<(Timebox, usize)>,
    roles: Option<Vec<String>>,
}

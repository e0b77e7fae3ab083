//! Writes a playbook back in its canonical text form: what `parse` reads,
//! attribute order fixed, one blank line between blocks.

use super::{slug, Kind, Phase, Playbook, Section, Step, Visibility};

impl Playbook {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str("---\n");
        line(&mut out, "title", &self.title);
        if let Some(s) = &self.summary {
            line(&mut out, "summary", s);
        }
        line(&mut out, "language", self.language.code());
        line(&mut out, "kind", self.kind.as_str());
        line(&mut out, "anchor", &self.anchor);
        if let (Kind::Meeting, Some(d)) = (self.kind, self.duration) {
            line(&mut out, "duration", &d.to_string());
        }
        line(&mut out, "roles", &self.roles.join(", "));
        out.push_str("---\n");
        paragraph(&mut out, &self.intro);
        for section in &self.sections {
            match section {
                Section::Criteria { title, intro, criteria } => {
                    heading(&mut out, "##", title, Some("criteria"));
                    paragraph(&mut out, intro);
                    for c in criteria {
                        heading(&mut out, "###", &c.title, None);
                        id_line(&mut out, &c.id, &c.title);
                        opt(&mut out, "measure", c.measure.as_deref());
                        opt(&mut out, "target", c.target.as_deref());
                        paragraph(&mut out, &c.body);
                    }
                }
                Section::Prerequisites { title, intro, gates } => {
                    heading(&mut out, "##", title, Some("prerequisites"));
                    paragraph(&mut out, intro);
                    for g in gates {
                        heading(&mut out, "###", &g.title, None);
                        id_line(&mut out, &g.id, &g.title);
                        opt(&mut out, "owner", g.owner.as_deref());
                        opt(&mut out, "due", g.due.as_ref().map(|d| d.to_string()).as_deref());
                        opt(&mut out, "signal", g.signal.as_ref().map(|s| s.name()).as_deref());
                        visibility(&mut out, "", g.visibility, Visibility::default_for(g.owner.as_deref()));
                        paragraph(&mut out, &g.body);
                    }
                }
                Section::Phase(p) => phase(&mut out, p),
            }
        }
        out
    }
}

fn phase(out: &mut String, p: &Phase) {
    heading(out, "##", &p.title, None);
    id_line(out, &p.id, &p.title);
    opt(out, "stage", p.stage.map(|s| s.as_str()));
    opt(out, "timebox", p.timebox.map(|t| t.to_string()).as_deref());
    paragraph(out, &p.body);
    for s in &p.steps {
        step(out, s);
    }
}

fn step(out: &mut String, s: &Step) {
    heading(out, "###", &s.title, None);
    id_line(out, &s.id, &s.title);
    opt(out, "timebox", s.timebox.map(|t| t.to_string()).as_deref());
    opt(out, "owner", s.owner.as_deref());
    opt(out, "due", s.due.as_ref().map(|d| d.to_string()).as_deref());
    opt(out, "deliverable", s.deliverable.as_deref());
    opt(out, "survey", s.survey.as_deref());
    opt(out, "signal", s.signal.as_ref().map(|g| g.name()).as_deref());
    if !s.requires.is_empty() {
        line(out, "requires", &s.requires.join(", "));
    }
    if !s.runner.is_empty() {
        line(out, "runner", &s.runner.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "));
    }
    visibility(out, "", s.visibility, Visibility::default_for(s.owner.as_deref()));
    paragraph(out, &s.body);
    if !s.checkpoints.is_empty() {
        out.push('\n');
        for c in &s.checkpoints {
            out.push_str(if c.ask_client { "- [?] " } else { "- [ ] " });
            out.push_str(&c.text);
            out.push('\n');
            if let Some(signal) = &c.signal {
                out.push_str("  signal: ");
                out.push_str(&signal.name());
                out.push('\n');
            }
            if let Some(condition) = c.condition {
                out.push_str("  condition: ");
                out.push_str(condition.name());
                out.push('\n');
            }
            visibility(out, "  ", c.visibility, s.visibility);
            for why in c.why.lines() {
                if why.is_empty() {
                    out.push_str("  >\n");
                } else {
                    out.push_str("  > ");
                    out.push_str(why);
                    out.push('\n');
                }
            }
        }
    }
}

/// `visibility:` only where it is not what the document would say without it.
fn visibility(out: &mut String, indent: &str, visibility: Visibility, default: Visibility) {
    if visibility != default {
        out.push_str(indent);
        line(out, "visibility", visibility.as_str());
    }
}

fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

fn opt(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        line(out, key, v);
    }
}

fn id_line(out: &mut String, id: &str, title: &str) {
    if id != slug(title) {
        line(out, "id", id);
    }
}

fn heading(out: &mut String, level: &str, title: &str, marker: Option<&str>) {
    out.push('\n');
    out.push_str(level);
    out.push(' ');
    out.push_str(title);
    if let Some(m) = marker {
        out.push_str(" {");
        out.push_str(m);
        out.push('}');
    }
    out.push('\n');
}

fn paragraph(out: &mut String, text: &str) {
    if !text.is_empty() {
        out.push('\n');
        out.push_str(text);
        out.push('\n');
    }
}

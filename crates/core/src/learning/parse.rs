//! The course parser: lines → raw sections → a checked [`Course`]. Like the playbook
//! parser, it never panics and reports every problem at once, each at its position.

use std::collections::HashMap;

use super::{Choice, Course, Diagnostic, Module, Question, QuestionKind, Quiz, Validity};
use crate::playbooks::parse::{attr_line, col, join};
use crate::playbooks::slug;
use crate::Locale;

const FRONT_KEYS: &[&str] = &["title", "summary", "language", "certification"];
const MODULE_KEYS: &[&str] = &["id", "media"];
const QUIZ_KEYS: &[&str] = &["id", "pass_mark", "draw", "attempts"];
const QUESTION_KEYS: &[&str] = &["id", "kind", "answer"];
const KINDS: &[&str] = &["single", "multiple", "true_false", "short"];
/// The pass mark when a quiz does not say.
const DEFAULT_PASS_MARK: u8 = 80;

/// Parses a course document. All problems are reported together, in line order.
pub fn parse(text: &str) -> Result<Course, Vec<Diagnostic>> {
    let mut p = Parser { diags: Vec::new() };
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let course = p.document(&lines);
    if p.diags.is_empty() {
        if let Some(c) = course {
            return Ok(c);
        }
        p.err(1, 1, "the document could not be read as a course".into());
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
    col: usize,
}

/// `- [x] text` or `- [ ] text`, with the line it is on.
struct RawChoice<'a> {
    line: usize,
    text: &'a str,
    correct: bool,
}

#[derive(Default)]
struct RawQuestion<'a> {
    line: usize,
    title: &'a str,
    attrs: Vec<Attr<'a>>,
    body: Vec<&'a str>,
    choices: Vec<RawChoice<'a>>,
    why: Vec<&'a str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Module,
    Quiz,
    Exam,
}

struct RawSection<'a> {
    line: usize,
    title: &'a str,
    marker: Marker,
    attrs: Vec<Attr<'a>>,
    body: Vec<&'a str>,
    questions: Vec<RawQuestion<'a>>,
}

impl Parser {
    fn err(&mut self, line: usize, col: usize, message: String) {
        self.diags.push(Diagnostic { line, col, message });
    }

    fn document(&mut self, lines: &[&str]) -> Option<Course> {
        if lines.first().map(|l| l.trim_end()) != Some("---") {
            self.err(1, 1, "a course starts with a front matter: a line `---`, `key: value` lines, then `---`".into());
            return None;
        }
        let Some(close) = lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1) else {
            self.err(1, 1, "the front matter is not closed: add a line `---` after its `key: value` lines".into());
            return None;
        };
        let front = self.front_matter(&lines[1..close], close + 1);
        let (intro, sections) = self.body(lines, close + 1);
        self.build(front, intro, sections)
    }

    fn front_matter(&mut self, lines: &[&str], end: usize) -> Front {
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let mut front = Front::default();
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
                let expected = FRONT_KEYS.join(", ");
                self.err(n, 1, format!("unknown front matter key `{key}` (expected one of: {expected})"));
                continue;
            }
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                self.err(n, 1, format!("`{key}` is given twice (first on line {first})"));
                continue;
            }
            seen.push((key, n));
            let value = value.trim();
            match key {
                "title" if value.is_empty() => self.err(n, vcol, "the title is empty".into()),
                "title" => front.title = Some(value.to_string()),
                "summary" => front.summary = Some(value.to_string()).filter(|s| !s.is_empty()),
                "language" => match value.parse::<Locale>() {
                    Ok(l) => front.language = Some(l),
                    Err(_) => self.err(n, vcol, format!("unknown language `{value}` (expected `fr` or `en`)")),
                },
                _ => match Validity::parse(value) {
                    Ok(v) => front.certification = Some((v, n)),
                    Err(e) => self.err(n, vcol, e),
                },
            }
        }
        for key in ["title", "language"] {
            if seen.iter().all(|(k, _)| *k != key) {
                self.err(end, 1, format!("the front matter needs `{key}:`"));
            }
        }
        front
    }

    /// Splits the body into the introduction and raw sections.
    fn body<'a>(&mut self, lines: &[&'a str], start: usize) -> (Vec<&'a str>, Vec<RawSection<'a>>) {
        let mut intro = Vec::new();
        let mut sections: Vec<RawSection<'a>> = Vec::new();
        let mut in_fence = false;
        let mut attrs_open = false;
        for (i, &line) in lines.iter().enumerate().skip(start) {
            let n = i + 1;
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                in_fence = !in_fence;
            }
            if !in_fence {
                if let Some(rest) = line.strip_prefix("### ") {
                    match sections.last_mut() {
                        Some(s) if s.marker != Marker::Module => {
                            if rest.trim().is_empty() {
                                self.err(n, 4, "empty question".into());
                            }
                            s.questions.push(RawQuestion { line: n, title: rest.trim(), ..RawQuestion::default() });
                            attrs_open = true;
                        }
                        _ => self.err(
                            n,
                            1,
                            "a `###` heading is a question: it belongs under a `## … {quiz}` or `## … {exam}` section"
                                .into(),
                        ),
                    }
                    continue;
                }
                if let Some(rest) = line.strip_prefix("## ") {
                    let (title, marker) = self.heading(n, line, rest);
                    if title.is_empty() {
                        self.err(n, 4, "empty heading".into());
                    }
                    sections.push(RawSection {
                        line: n,
                        title,
                        marker,
                        attrs: Vec::new(),
                        body: Vec::new(),
                        questions: Vec::new(),
                    });
                    attrs_open = true;
                    continue;
                }
                if line.starts_with("# ") || line.starts_with("####") {
                    self.err(
                        n,
                        1,
                        "only `##` (a module, a quiz, the exam) and `###` (a question) headings: the title is the \
                         front matter's `title:`"
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
                    let attr = Attr { line: n, key, value, col: vcol };
                    match section.questions.last_mut() {
                        Some(q) => q.attrs.push(attr),
                        None => section.attrs.push(attr),
                    }
                    continue;
                }
                attrs_open = false;
            }
            let Some(q) = section.questions.last_mut() else {
                section.body.push(line);
                continue;
            };
            if in_fence {
                q.body.push(line);
            } else if let Some(choice) = choice_line(line) {
                if !q.why.is_empty() {
                    self.err(n, 1, "an option after the explanation: the `>` lines come last".into());
                }
                q.choices.push(RawChoice { line: n, text: choice.0, correct: choice.1 });
            } else if let Some(why) = line.trim_start().strip_prefix('>') {
                q.why.push(why.trim());
            } else if line.trim().is_empty() {
                q.body.push(line);
            } else if !q.choices.is_empty() || !q.why.is_empty() {
                self.err(n, 1, "text after a question's options: put it above them, or in a `>` explanation".into());
            } else {
                q.body.push(line);
            }
        }
        (intro, sections)
    }

    /// A `##` heading's title and what it is: `{quiz}`, `{exam}`, or a module.
    fn heading<'a>(&mut self, n: usize, line: &'a str, rest: &'a str) -> (&'a str, Marker) {
        let Some((head, b)) = rest.trim_end().strip_suffix('}').and_then(|r| r.rfind('{').map(|b| (r, b))) else {
            return (rest.trim(), Marker::Module);
        };
        let marker = match &head[b + 1..] {
            "quiz" => Marker::Quiz,
            "exam" => Marker::Exam,
            other => {
                self.err(
                    n,
                    col(line, 3 + b),
                    format!("unknown section `{{{other}}}` (expected `{{quiz}}` or `{{exam}}`)"),
                );
                Marker::Module
            }
        };
        (head[..b].trim(), marker)
    }

    fn build(&mut self, front: Front, intro: Vec<&str>, sections: Vec<RawSection>) -> Option<Course> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut question_ids: HashMap<String, usize> = HashMap::new();
        let mut modules: Vec<Module> = Vec::new();
        let mut exam: Option<Quiz> = None;
        let mut exam_line = None;
        for s in &sections {
            if let Some(line) = exam_line {
                self.err(s.line, 1, format!("the exam (line {line}) is the course's last section"));
            }
            match s.marker {
                Marker::Module => {
                    if let Some(m) = self.module(s, &mut ids) {
                        modules.push(m);
                    }
                }
                Marker::Quiz => {
                    let quiz = self.quiz(s, &mut ids, &mut question_ids);
                    match modules.last_mut() {
                        None => {
                            self.err(s.line, 1, "a `{quiz}` checks the module above it: write a module first".into())
                        }
                        Some(m) if m.quiz.is_some() => {
                            self.err(s.line, 1, format!("the module `{}` already has a quiz", m.id))
                        }
                        Some(m) => m.quiz = quiz,
                    }
                }
                Marker::Exam => {
                    exam = self.quiz(s, &mut ids, &mut question_ids);
                    exam_line = Some(s.line);
                }
            }
        }
        if sections.iter().all(|s| s.marker != Marker::Module) {
            let line = sections.first().map(|s| s.line).unwrap_or(1);
            self.err(line, 1, "a course needs at least one module: a `## Title` section".into());
        }
        if let (Some((_, line)), None) = (front.certification, &exam_line) {
            self.err(line, 1, "a course that certifies needs an exam: a `## Title {exam}` section at the end".into());
        }
        Some(Course {
            title: front.title?,
            summary: front.summary,
            language: front.language?,
            certification: front.certification.map(|(v, _)| v),
            intro: join(&intro),
            modules,
            exam,
        })
    }

    /// The section's id: given, or made from its title; unique in the course.
    fn id(&mut self, line: usize, title: &str, attrs: &[Attr], ids: &mut HashMap<String, usize>) -> String {
        let given = attrs.iter().find(|a| a.key == "id");
        let id = match given {
            Some(a) if valid_id(a.value) => a.value.to_string(),
            Some(a) => {
                self.err(a.line, a.col, format!("the id `{}` may only hold a-z, 0-9 and -", a.value));
                slug(title)
            }
            None => slug(title),
        };
        let at = given.map(|a| a.line).unwrap_or(line);
        if let Some(first) = ids.insert(id.clone(), at) {
            self.err(at, 1, format!("the id `{id}` is already used on line {first}: give this one an `id:`"));
        }
        id
    }

    fn unknown_attrs(&mut self, attrs: &[Attr], allowed: &[&str], what: &str) {
        for a in attrs {
            if !allowed.contains(&a.key) {
                let expected = allowed.join(", ");
                self.err(
                    a.line,
                    1,
                    format!(
                        "unknown attribute `{}` for {what} (expected one of: {expected}; leave a blank line under the \
                         heading before text)",
                        a.key
                    ),
                );
            } else if a.key != "media" && attrs.iter().filter(|b| b.key == a.key).count() > 1 {
                let first = attrs.iter().find(|b| b.key == a.key).map(|b| b.line).unwrap_or(a.line);
                if first != a.line {
                    self.err(a.line, 1, format!("`{}` is given twice (first on line {first})", a.key));
                }
            }
        }
    }

    fn module(&mut self, s: &RawSection, ids: &mut HashMap<String, usize>) -> Option<Module> {
        self.unknown_attrs(&s.attrs, MODULE_KEYS, "a module");
        let id = self.id(s.line, s.title, &s.attrs, ids);
        let mut media = Vec::new();
        for a in s.attrs.iter().filter(|a| a.key == "media") {
            let url = a.value.trim();
            if url.starts_with("https://") && url.len() > 8 && !url.contains(char::is_whitespace) {
                media.push(url.to_string());
            } else {
                self.err(a.line, a.col, format!("`{url}` is not a media link: write a `https://` address"));
            }
        }
        let body = join(&s.body);
        if body.is_empty() && media.is_empty() {
            self.err(s.line, 1, format!("the module `{}` is empty: write its text under the heading", s.title));
        }
        Some(Module { id, title: s.title.to_string(), body, media, quiz: None })
    }

    fn quiz(
        &mut self,
        s: &RawSection,
        ids: &mut HashMap<String, usize>,
        question_ids: &mut HashMap<String, usize>,
    ) -> Option<Quiz> {
        self.unknown_attrs(&s.attrs, QUIZ_KEYS, "a quiz");
        let id = self.id(s.line, s.title, &s.attrs, ids);
        let mut pass_mark = DEFAULT_PASS_MARK;
        let mut draw = None;
        let mut attempts = None;
        for a in &s.attrs {
            let v = a.value.trim();
            match a.key {
                "pass_mark" => match v.trim_end_matches('%').trim().parse::<u8>() {
                    Ok(p @ 1..=100) => pass_mark = p,
                    _ => self.err(a.line, a.col, format!("the pass mark `{v}` is a percentage from 1 to 100: `80 %`")),
                },
                "draw" => match v.parse::<usize>() {
                    Ok(d) if d >= 1 => draw = Some((d, a.line, a.col)),
                    _ => self.err(a.line, a.col, format!("`draw` is how many questions to ask, at least 1, not `{v}`")),
                },
                "attempts" => match v.parse::<u32>() {
                    Ok(n @ 1..=100) => attempts = Some(n),
                    _ => self.err(a.line, a.col, format!("`attempts` is a number from 1 to 100, not `{v}`")),
                },
                _ => {}
            }
        }
        let questions: Vec<Question> = s.questions.iter().filter_map(|q| self.question(q, question_ids)).collect();
        if s.questions.is_empty() {
            self.err(s.line, 1, format!("the quiz `{}` has no question: add `### A question?` headings", s.title));
        }
        if let Some((d, line, c)) = draw {
            if d > s.questions.len() && !s.questions.is_empty() {
                let n = s.questions.len();
                self.err(line, c, format!("`draw: {d}` asks more questions than the quiz's {n}"));
            }
        }
        Some(Quiz {
            id,
            title: s.title.to_string(),
            intro: join(&s.body),
            pass_mark,
            draw: draw.map(|(d, ..)| d),
            attempts,
            questions,
        })
    }

    fn question(&mut self, q: &RawQuestion, ids: &mut HashMap<String, usize>) -> Option<Question> {
        self.unknown_attrs(&q.attrs, QUESTION_KEYS, "a question");
        let id = self.id(q.line, q.title, &q.attrs, ids);
        let answer = q.attrs.iter().find(|a| a.key == "answer");
        let kind_attr = q.attrs.iter().find(|a| a.key == "kind");
        let correct = q.choices.iter().filter(|c| c.correct).count();
        let kind = match kind_attr.map(|a| (a.value.trim(), a)) {
            Some((k, a)) if !KINDS.contains(&k) => {
                self.err(a.line, a.col, format!("unknown question kind `{k}` (expected one of: {})", KINDS.join(", ")));
                return None;
            }
            Some((k, _)) => k,
            None if !q.choices.is_empty() && correct > 1 => "multiple",
            None if !q.choices.is_empty() => "single",
            None => match answer.map(|a| a.value.trim()) {
                Some("true" | "false") => "true_false",
                Some(_) => "short",
                None => {
                    self.err(
                        q.line,
                        1,
                        "a question needs options (`- [x] right`, `- [ ] wrong`) or an `answer:`".into(),
                    );
                    return None;
                }
            },
        };
        let choices = || q.choices.iter().map(|c| Choice { text: c.text.to_string(), correct: c.correct }).collect();
        let kind = match kind {
            "single" | "multiple" => {
                if let Some(a) = answer {
                    self.err(
                        a.line,
                        1,
                        "a question with options marks its right ones `- [x]`, not with `answer:`".into(),
                    );
                }
                if q.choices.len() < 2 {
                    self.err(q.line, 1, "a choice question needs at least two options".into());
                } else if correct == 0 {
                    self.err(q.choices[0].line, 1, "no option is marked right: mark it `- [x]`".into());
                } else if kind == "single" && correct > 1 {
                    self.err(q.line, 1, "a single-choice question has exactly one `- [x]` option".into());
                }
                for (i, c) in q.choices.iter().enumerate() {
                    if c.text.is_empty() {
                        self.err(c.line, 7, "empty option".into());
                    } else if q.choices[..i].iter().any(|d| d.text == c.text) {
                        self.err(c.line, 7, format!("the option `{}` is given twice", c.text));
                    }
                }
                if kind == "single" {
                    QuestionKind::Single(choices())
                } else {
                    QuestionKind::Multiple(choices())
                }
            }
            "true_false" => {
                self.no_choices(q, kind);
                match answer.map(|a| (a.value.trim(), a)) {
                    Some(("true", _)) => QuestionKind::TrueFalse(true),
                    Some(("false", _)) => QuestionKind::TrueFalse(false),
                    Some((v, a)) => {
                        self.err(a.line, a.col, format!("a true/false answer is `true` or `false`, not `{v}`"));
                        return None;
                    }
                    None => {
                        self.err(q.line, 1, "a true/false question needs `answer: true` or `answer: false`".into());
                        return None;
                    }
                }
            }
            _ => {
                self.no_choices(q, kind);
                let accepted: Vec<String> = answer
                    .map(|a| a.value.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
                    .unwrap_or_default();
                if accepted.is_empty() {
                    self.err(
                        q.line,
                        1,
                        "a short-answer question needs `answer:` with its accepted answers, `a | b`".into(),
                    );
                }
                QuestionKind::Short(accepted)
            }
        };
        Some(Question {
            id,
            prompt: q.title.to_string(),
            body: join(&q.body),
            kind,
            explanation: q.why.join("\n").trim().to_string(),
        })
    }

    fn no_choices(&mut self, q: &RawQuestion, kind: &str) {
        if let Some(c) = q.choices.first() {
            self.err(c.line, 1, format!("a `{kind}` question has no options: give its `answer:`"));
        }
    }
}

#[derive(Default)]
struct Front {
    title: Option<String>,
    summary: Option<String>,
    language: Option<Locale>,
    certification: Option<(Validity, usize)>,
}

fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `- [x] text` (right) or `- [ ] text` (wrong).
fn choice_line(line: &str) -> Option<(&str, bool)> {
    let rest = line.strip_prefix("- [")?;
    let (mark, text) = (rest.get(..1)?, rest.get(1..)?.strip_prefix(']')?);
    let correct = match mark {
        "x" | "X" => true,
        " " => false,
        _ => return None,
    };
    Some((text.trim(), correct))
}

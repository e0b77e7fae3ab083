//! Parser tests: every kind of mistake gets its own message at the right place,
//! and no input makes the parser panic.

use proptest::prelude::*;

use super::builtin::BUILTINS;
use super::*;

const MINIMAL: &str = "---
title: Welcome
language: en
kind: meeting
anchor: kickoff
duration: 30 min
roles: host, guest
---

## Opening
timebox: 10 min

### Hello
timebox: 5 min
owner: host
due: kickoff - 1h

- [ ] Everyone is here.
  > We start together.
";

fn errors(text: &str) -> Vec<Diagnostic> {
    parse(text).expect_err("should not parse")
}

fn one_error(text: &str) -> Diagnostic {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.into_iter().next().unwrap()
}

#[test]
fn the_minimal_playbook_parses() {
    let pb = parse(MINIMAL).unwrap();
    assert_eq!(pb.title, "Welcome");
    assert_eq!(pb.kind, Kind::Meeting);
    assert_eq!(pb.duration, Some(Timebox::from_minutes(30)));
    let step = pb.steps().next().unwrap();
    assert_eq!(step.id, "hello");
    assert_eq!(step.checkpoints[0].id, "hello.1");
    assert_eq!(step.checkpoints[0].why, "We start together.");
    assert_eq!(step.due.as_ref().unwrap().to_string(), "kickoff - 1h");
    assert_eq!(pb.to_text(), MINIMAL);
}

#[test]
fn an_unknown_front_matter_key_is_named() {
    let d = one_error(&MINIMAL.replace("roles: host, guest", "roles: host, guest\ncolour: blue"));
    assert_eq!((d.line, d.col), (8, 1));
    assert!(d.message.contains("unknown front matter key `colour`"), "{d}");
}

#[test]
fn a_timebox_that_is_not_a_duration_points_at_the_value() {
    let d = one_error(&MINIMAL.replace("timebox: 5 min", "timebox: five"));
    assert_eq!((d.line, d.col), (14, 10));
    assert!(d.message.contains("`five` is not a duration"), "{d}");
}

#[test]
fn a_relative_date_that_does_not_parse_is_explained() {
    let d = one_error(&MINIMAL.replace("due: kickoff - 1h", "due: kickoff - 1 hour"));
    assert_eq!(d.line, 16);
    assert_eq!(d.col, 6);
    assert!(d.message.contains("unknown unit"), "{d}");
    let d = one_error(&MINIMAL.replace("due: kickoff - 1h", "due: start_date + 1d"));
    assert!(d.message.contains("unknown anchor `start_date`"), "{d}");
}

#[test]
fn timeboxes_beyond_the_duration_are_refused() {
    let d = one_error(&MINIMAL.replace("duration: 30 min", "duration: 5 min"));
    assert_eq!(d.line, 6);
    assert!(d.message.contains("add up to 10 min, more than its duration of 5 min"), "{d}");
    let d = one_error(&MINIMAL.replace("timebox: 5 min", "timebox: 20 min"));
    assert_eq!(d.line, 10);
    assert!(d.message.contains("add up to 20 min, more than its timebox of 10 min"), "{d}");
}

#[test]
fn an_empty_phase_is_refused() {
    let text = format!("{MINIMAL}\n## Closing\n\nNothing here yet.\n");
    let d = one_error(&text);
    assert!(d.message.contains("the phase `Closing` is empty"), "{d}");
    assert_eq!(d.line, 21);
}

#[test]
fn a_meeting_checkpoint_needs_its_reason() {
    let d = one_error(&MINIMAL.replace("  > We start together.\n", ""));
    assert_eq!((d.line, d.col), (18, 1));
    assert!(d.message.contains("needs its reason"), "{d}");
    // A journey's checkpoints may go without.
    let journey = MINIMAL
        .replace("kind: meeting", "kind: journey")
        .replace("duration: 30 min\n", "")
        .replace("timebox: 10 min\n", "");
    assert!(parse(&journey.replace("  > We start together.\n", "")).is_ok());
}

#[test]
fn owners_gates_markers_and_stray_text_are_checked() {
    let d = one_error(&MINIMAL.replace("owner: host", "owner: hots"));
    assert!(d.message.contains("unknown owner role `hots`"), "{d}");
    let d = one_error(&MINIMAL.replace("owner: host", "owner: host\nrequires: ready"));
    assert!(d.message.contains("unknown prerequisite `ready`"), "{d}");
    let d = one_error(&MINIMAL.replace("## Opening", "## Opening {phase}"));
    assert!(d.message.contains("unknown section marker `{phase}`"), "{d}");
    assert_eq!((d.line, d.col), (10, 12));
    let d = one_error(&format!("{MINIMAL}More words.\n"));
    assert!(d.message.contains("text after the checkpoints"), "{d}");
    let d = one_error(&MINIMAL.replace("owner: host", "owner: host\nlocation: room 4"));
    assert!(d.message.contains("unknown attribute `location` for a step"), "{d}");
    let d = one_error(&MINIMAL.replace("- [ ] Everyone", "- [x] Everyone"));
    assert!(d.message.contains("unticked"), "{d}");
}

#[test]
fn a_missing_front_matter_or_section_is_reported() {
    assert!(one_error("# Hello\n").message.contains("starts with a front matter"));
    assert!(one_error("---\ntitle: x\n").message.contains("not closed"));
    let e = errors("---\ntitle: x\n---\n");
    assert!(e.iter().any(|d| d.message.contains("needs `language:`")), "{e:#?}");
    assert!(e.iter().any(|d| d.message.contains("needs `roles:`")), "{e:#?}");
}

#[test]
fn several_mistakes_are_all_reported_in_line_order() {
    let text = MINIMAL
        .replace("timebox: 5 min", "timebox: five")
        .replace("owner: host", "owner: nobody")
        .replace("language: en", "language: de");
    let e = errors(&text);
    let lines: Vec<usize> = e.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![3, 14, 15], "{e:#?}");
}

#[test]
fn ids_can_be_set_and_collisions_are_refused() {
    let text = MINIMAL.replace("### Hello\n", "### Hello\nid: greet\n");
    let pb = parse(&text).unwrap();
    assert_eq!(pb.steps().next().unwrap().id, "greet");
    assert_eq!(pb.to_text(), text);
    let dup = format!("{MINIMAL}\n### Hello\n\n- [ ] Again.\n  > Twice.\n");
    assert!(one_error(&dup).message.contains("the id `hello` is used twice"));
}

#[test]
fn reading_time_counts_words() {
    let pb = parse(MINIMAL).unwrap();
    assert_eq!(pb.reading_minutes(), 1);
    let kickoff = parse(BUILTINS[0].text).unwrap();
    assert!((3..=8).contains(&kickoff.reading_minutes()), "{}", kickoff.reading_minutes());
}

fn mutate(text: &str, ops: &[(u8, usize, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(op, pos, c) in ops {
        if chars.is_empty() {
            chars.push(c);
            continue;
        }
        let i = pos % chars.len();
        match op % 4 {
            0 => {
                chars.remove(i);
            }
            1 => chars.insert(i, c),
            2 => chars[i] = c,
            _ => {
                // Swap two lines' worth of text around.
                let j = (pos / 7) % chars.len();
                chars.swap(i, j);
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,400}") {
        let _ = parse(&s);
        let _ = parse(&format!("---\n{s}\n---\n{s}"));
    }

    #[test]
    fn mutated_builtins_never_panic_and_what_parses_round_trips(
        which in 0usize..16,
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), prop::sample::select(vec!['#', '-', '[', ']', '?', '>', ' ', '\n', ':', '{', '}', 'é', 'a', '5', '`'])), 1..12)
    ) {
        let base = BUILTINS[which % BUILTINS.len()].text;
        let text = mutate(base, &ops);
        match parse(&text) {
            Ok(pb) => {
                let again = parse(&pb.to_text());
                prop_assert_eq!(again.as_ref().ok(), Some(&pb), "canonical text must parse to the same playbook");
            }
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                let lines = text.split('\n').count();
                for d in diags {
                    prop_assert!(d.line >= 1 && d.line <= lines + 2, "{} beyond {} lines", d, lines);
                    prop_assert!(d.col >= 1);
                }
            }
        }
    }
}

#[test]
fn the_example_of_the_format_documentation_parses() {
    let doc = include_str!("../../../../docs/playbook-format.md");
    let start = doc.find("```markdown\n").expect("an example") + "```markdown\n".len();
    let end = start + doc[start..].find("\n```").unwrap() + 1;
    let pb = parse(&doc[start..end]).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(pb.kind, Kind::Journey);
    assert_eq!(pb.steps().count(), 2);
    assert_eq!(pb.gates().next().unwrap().id, "offer-signed");
}

#[test]
fn a_step_names_a_survey_that_exists_and_whose_audience_is_a_role() {
    let journey = MINIMAL.replace("roles: host, guest", "roles: host, new_hire");
    let with = |survey: &str| journey.replace("owner: host", &format!("owner: host\nsurvey: {survey}"));
    let pb = parse(&with("enps")).expect("enps is answered by new_hire, a role of the playbook");
    let step = pb.phases().flat_map(|p| &p.steps).next().unwrap();
    assert_eq!(step.survey.as_deref(), Some("enps"));
    assert!(pb.to_text().contains("\nsurvey: enps\n"), "the survey survives a round trip");

    let d = one_error(&with("npss"));
    assert!(d.message.contains("unknown survey `npss` (Embark's surveys: enps, client-nps)"), "{d}");
    assert_eq!((d.line, d.col), (16, 9));
    let d = one_error(&with("client-nps"));
    assert!(d.message.contains("answered by the role `client`, which this playbook does not have"), "{d}");
}

#[test]
fn a_checkpoint_names_its_signal_and_its_condition_right_under_it() {
    let with = |attrs: &str| MINIMAL.replace("- [ ] Everyone is here.\n", &format!("- [ ] Everyone is here.\n{attrs}"));
    let pb = parse(&with("  signal: report_acknowledged\n  condition: no_guessed_answer\n")).unwrap();
    let c = &pb.steps().next().unwrap().checkpoints[0];
    assert_eq!(c.signal, Some(crate::Signal::ReportAcknowledged));
    assert_eq!(c.condition, Some(crate::engagements::condition::Condition::NoGuessedAnswer));
    assert_eq!(c.why, "We start together.", "the reason still follows");
    assert_eq!(parse(&pb.to_text()).as_ref(), Ok(&pb), "both survive a round trip");
    assert!(pb
        .to_text()
        .contains("- [ ] Everyone is here.\n  signal: report_acknowledged\n  condition: no_guessed_answer\n  > We"));

    let d = one_error(&with("  signal: report_read\n"));
    assert!(d.message.contains("unknown signal `report_read` (expected one of:"), "{d}");
    assert_eq!((d.line, d.col), (19, 11));
    let d = one_error(&with("  condition: no_guess\n"));
    assert!(d.message.contains("unknown condition `no_guess` (expected one of: no_guessed_answer)"), "{d}");
    assert_eq!((d.line, d.col), (19, 14));
    let d = one_error(&with("  signal: certified:scorecard\n"));
    assert!(d.message.contains("put it on a gate or a step, not a checkpoint"), "{d}");
    assert_eq!((d.line, d.col), (19, 11));
    let d = one_error(&with("  colour: blue\n"));
    assert!(
        d.message
            .contains("unknown attribute `colour` for a checkpoint (expected one of: signal, condition, visibility)"),
        "{d}"
    );
    assert_eq!((d.line, d.col), (19, 1));
    let d = one_error(&with("  signal: report_sent\n  signal: report_sent\n"));
    assert!(d.message.contains("`signal` is given twice"), "{d}");
    let d = one_error(&format!("{MINIMAL}  signal: report_sent\n"));
    assert!(d.message.contains("go right under it, before its reason"), "{d}");
    assert_eq!((d.line, d.col), (20, 3));
}

#[test]
fn a_meeting_step_names_what_the_runner_brings_with_it() {
    let with = |tools: &str| MINIMAL.replace("due: kickoff - 1h\n", &format!("due: kickoff - 1h\nrunner: {tools}\n"));
    let pb = parse(&with("conclusion, questions")).unwrap();
    let step = pb.steps().next().unwrap();
    assert_eq!(step.runner, vec![super::RunnerTool::Conclusion, super::RunnerTool::Questions]);
    assert_eq!(parse(&pb.to_text()).as_ref(), Ok(&pb), "it survives a round trip");
    assert!(pb.to_text().contains("\nrunner: conclusion, questions\n"));

    let d = one_error(&with("conclusion, quiz"));
    assert!(
        d.message
            .contains("unknown runner tool `quiz` (expected one of: scorecard, conclusion, questions, next_steps)"),
        "{d}"
    );
    assert_eq!((d.line, d.col), (17, 21), "at the tool's own column");
    let d = one_error(&with("scorecard, scorecard"));
    assert!(d.message.contains("`scorecard` is given twice"), "{d}");
    assert_eq!((d.line, d.col), (17, 20));
    let journey = with("scorecard")
        .replace("kind: meeting", "kind: journey")
        .replace("duration: 30 min\n", "")
        .replace("timebox: 10 min\n", "")
        .replace("timebox: 5 min\n", "");
    let d = one_error(&journey);
    assert!(d.message.contains("`runner` is for the steps of a meeting"), "{d}");
}

#[test]
fn the_builtin_kickoff_brings_the_scorecard_the_wrap_up_and_the_next_steps_into_the_runner() {
    use super::RunnerTool::*;
    for language in [crate::Locale::En, crate::Locale::Fr] {
        let pb = parse(super::builtin::find("recruitment-kickoff", language).unwrap().text).unwrap();
        let tools = |id: &str| pb.steps().find(|s| s.id == id).unwrap().runner.clone();
        assert_eq!(tools("scorecard"), vec![Scorecard], "{language:?}");
        assert_eq!(tools("next-steps"), vec![NextSteps], "{language:?}");
        let wrap = pb.steps().find(|s| s.runner.contains(&Conclusion)).expect("a wrap-up step");
        assert_eq!(wrap.runner, vec![Conclusion, Questions], "{language:?}");
    }
}

#[test]
fn an_item_is_internal_to_the_team_unless_an_external_role_owns_it_or_it_says_shared() {
    use super::Visibility::{Internal, Shared};
    let pb = parse(MINIMAL).unwrap();
    let step = pb.steps().next().unwrap();
    assert_eq!((step.visibility, step.checkpoints[0].visibility), (Internal, Internal), "the host is staff");
    let client = MINIMAL
        .replace("roles: host, guest", "roles: host, client_contact")
        .replace("owner: host", "owner: client_contact");
    let pb = parse(&client).unwrap();
    let step = pb.steps().next().unwrap();
    assert_eq!((step.visibility, step.checkpoints[0].visibility), (Shared, Shared), "the client's own step");
    assert_eq!(pb.to_text(), client, "a default is not written");
    assert!(pb.is_shared("hello.1") && !pb.is_shared("nope"));

    // Said explicitly: kept, and written back where it is.
    let shared = MINIMAL.replace("due: kickoff - 1h\n", "due: kickoff - 1h\nvisibility: shared\n");
    let pb = parse(&shared).unwrap();
    let step = pb.steps().next().unwrap();
    assert_eq!((step.visibility, step.checkpoints[0].visibility), (Shared, Shared), "its checkpoints follow");
    assert_eq!(pb.to_text(), shared, "byte for byte");
    assert_eq!(pb.visibility_of("hello"), Some(Shared));
    // A shared step may keep one checkpoint for the team.
    let detail = shared.replace("- [ ] Everyone is here.\n", "- [ ] Everyone is here.\n  visibility: internal\n");
    let pb = parse(&detail).unwrap();
    let step = pb.steps().next().unwrap();
    assert_eq!((step.visibility, step.checkpoints[0].visibility), (Shared, Internal));
    assert_eq!(pb.to_text(), detail, "byte for byte");
    assert_eq!(parse(&pb.to_text()).as_ref(), Ok(&pb));
    // The default said out loud is the same playbook; the canonical text leaves it out.
    let said = MINIMAL.replace("due: kickoff - 1h\n", "due: kickoff - 1h\nvisibility: internal\n");
    assert_eq!(parse(&said).unwrap(), parse(MINIMAL).unwrap());

    // A gate too.
    let gate = "## Before {prerequisites}\n\n### Room booked\nowner: host\nvisibility: shared\n\nThe room.\n";
    let gated = MINIMAL.replace("## Opening\n", &format!("{gate}\n## Opening\n"));
    let pb = parse(&gated).unwrap();
    assert_eq!(pb.gates().next().unwrap().visibility, Shared);
    assert_eq!(pb.to_text(), gated, "byte for byte");
}

#[test]
fn a_visibility_that_is_not_shared_or_internal_is_named_at_its_place() {
    let d = one_error(&MINIMAL.replace("due: kickoff - 1h\n", "due: kickoff - 1h\nvisibility: public\n"));
    assert_eq!((d.line, d.col), (17, 13), "{d}");
    assert!(d.message.contains("unknown visibility `public` (expected shared or internal)"), "{d}");
    let d = one_error(&MINIMAL.replace("- [ ] Everyone is here.\n", "- [ ] Everyone is here.\n  visibility: Shared\n"));
    assert_eq!((d.line, d.col), (19, 15), "{d}");
    assert!(d.message.contains("unknown visibility `Shared`"), "{d}");
    let d = one_error(&MINIMAL.replace("- [ ] Everyone is here.\n", "- [ ] Everyone is here.\n  visibility: shared\n"));
    assert_eq!((d.line, d.col), (19, 15), "{d}");
    assert!(d.message.contains("the step is internal, and so are its checkpoints"), "{d}");
    let client = MINIMAL
        .replace("roles: host, guest", "roles: host, new_hire")
        .replace("owner: host", "owner: new_hire\nvisibility: internal");
    let d = one_error(&client);
    assert_eq!((d.line, d.col), (16, 13), "{d}");
    assert!(d.message.contains("`new_hire` names people outside the team"), "{d}");
    let d = one_error(
        &MINIMAL.replace("due: kickoff - 1h\n", "due: kickoff - 1h\nvisibility: shared\nvisibility: shared\n"),
    );
    assert!(d.message.contains("`visibility` is given twice"), "{d}");
}

#[test]
fn the_builtins_share_with_the_client_and_the_new_hire_what_is_theirs_to_know() {
    use super::Visibility::{Internal, Shared};
    for language in [crate::Locale::En, crate::Locale::Fr] {
        let kickoff = parse(super::builtin::find("recruitment-kickoff", language).unwrap().text).unwrap();
        for (key, v) in [
            ("scorecard-return-agreed", Shared),
            ("logistics-locked", Shared),
            ("confirmation", Shared),
            ("report", Shared),
            ("report.2", Shared),
            ("scorecard-mastered", Internal),
            ("ice-breaker", Internal),
            ("scorecard", Internal),
            ("keep-structure.1", Internal),
        ] {
            assert_eq!(kickoff.visibility_of(key), Some(v), "{language:?} {key}");
        }
        let journey = parse(super::builtin::find("employee-onboarding", language).unwrap().text).unwrap();
        for (key, v) in [
            ("offer-signed", Shared),
            ("pre-work", Shared),
            ("welcome-day-one", Shared),
            ("equipment", Internal),
            ("worst-case-welcome", Internal),
        ] {
            assert_eq!(journey.visibility_of(key), Some(v), "{language:?} {key}");
        }
        let client = parse(super::builtin::find("client-onboarding", language).unwrap().text).unwrap();
        for (key, v) in [("welcome-call", Shared), ("name-users", Shared), ("contract-signed", Internal)] {
            assert_eq!(client.visibility_of(key), Some(v), "{language:?} {key}");
        }
    }
}

#[test]
fn a_playbook_of_more_than_five_hundred_items_is_refused_with_the_count() {
    let with = |steps: usize| {
        let mut text = MINIMAL.replace("duration: 30 min\n", "").replace("kind: meeting", "kind: journey");
        text = text.replace("timebox: 10 min\n", "").replace("timebox: 5 min\n", "").replace("due: kickoff - 1h\n", "");
        for n in 0..steps {
            text.push_str(&format!("\n### Step {n}\nowner: host\n\n- [ ] Done {n}.\n"));
        }
        text
    };
    // The minimal playbook has 2 items; 249 more steps of 2 items each make 500.
    let pb = parse(&with(249)).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(pb.steps().count(), 250);
    let d = one_error(&with(250));
    assert!(d.message.starts_with("502 gates, steps and checkpoints; a playbook may hold 500 at most"), "{d}");
}

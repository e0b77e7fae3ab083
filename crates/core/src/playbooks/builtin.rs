//! The playbooks Embark ships with, in French and English.

use crate::Locale;

pub struct Builtin {
    /// Pairs the languages of one playbook and names it in a workspace's library.
    pub key: &'static str,
    pub language: Locale,
    pub text: &'static str,
}

pub const BUILTINS: &[Builtin] = &[
    Builtin { key: "recruitment-kickoff", language: Locale::Fr, text: include_str!("../../playbooks/kickoff.fr.md") },
    Builtin { key: "recruitment-kickoff", language: Locale::En, text: include_str!("../../playbooks/kickoff.en.md") },
    Builtin {
        key: "client-onboarding",
        language: Locale::Fr,
        text: include_str!("../../playbooks/client-onboarding.fr.md"),
    },
    Builtin {
        key: "client-onboarding",
        language: Locale::En,
        text: include_str!("../../playbooks/client-onboarding.en.md"),
    },
    Builtin {
        key: "employee-onboarding",
        language: Locale::Fr,
        text: include_str!("../../playbooks/employee-onboarding.fr.md"),
    },
    Builtin {
        key: "employee-onboarding",
        language: Locale::En,
        text: include_str!("../../playbooks/employee-onboarding.en.md"),
    },
];

/// The built-in playbook `key` in `language`.
pub fn find(key: &str, language: Locale) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.key == key && b.language == language)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbooks::{parse, Kind, Playbook, Stage};

    fn kickoff(language: Locale) -> Playbook {
        parse(find("recruitment-kickoff", language).unwrap().text).unwrap()
    }

    /// Seed 000, row by row: (stage, step id, phase timebox, checkpoints, of which ask-the-client).
    const SEED_ROWS: &[(Stage, &str, Option<u32>, usize, usize)] = &[
        (Stage::Before, "confirmation", None, 1, 0),
        (Stage::Meeting, "ice-breaker", Some(5), 1, 1),
        (Stage::Meeting, "structure", Some(5), 1, 0),
        (Stage::Meeting, "scorecard", Some(45), 2, 1),
        (Stage::Throughout, "keep-structure", None, 2, 0),
        (Stage::Meeting, "wrap-up", Some(10), 1, 1),
        (Stage::Meeting, "next-steps", Some(10), 2, 2),
        (Stage::After, "report", None, 2, 0),
    ];

    #[test]
    fn the_kickoffs_checkpoints_follow_what_happened_in_both_languages() {
        use crate::engagements::condition::Condition;
        use crate::Signal;
        for language in Locale::ALL {
            let pb = kickoff(language);
            let signals: Vec<(&str, Option<&Signal>, Option<Condition>)> =
                pb.checkpoints().map(|c| (c.id.as_str(), c.signal.as_ref(), c.condition)).collect();
            let expected: &[(&str, Option<&Signal>, Option<Condition>)] = &[
                ("confirmation.1", Some(&Signal::AttendanceConfirmed), None),
                ("ice-breaker.1", None, None),
                ("structure.1", None, None),
                ("scorecard.1", Some(&Signal::ScorecardLocked), None),
                ("scorecard.2", None, Some(Condition::NoGuessedAnswer)),
                ("wrap-up.1", None, None),
                ("next-steps.1", None, None),
                ("next-steps.2", Some(&Signal::NextStepsAccepted), None),
                ("keep-structure.1", None, None),
                ("keep-structure.2", None, None),
                ("report.1", Some(&Signal::ReportSent), None),
                ("report.2", Some(&Signal::ReportAcknowledged), None),
            ];
            assert_eq!(signals, expected, "{language}");
        }
    }

    #[test]
    fn the_kickoff_has_every_step_checkpoint_and_reason_of_the_seed_in_both_languages() {
        for language in Locale::ALL {
            let pb = kickoff(language);
            assert_eq!(pb.kind, Kind::Meeting);
            assert_eq!(pb.duration.map(|d| d.minutes()), Some(60));
            assert_eq!(pb.scheduled_minutes(), 60, "intro 5 + development 45 + conclusion 10");
            for (stage, id, phase_minutes, checks, asks) in SEED_ROWS {
                let phase = pb
                    .phases()
                    .find(|p| p.steps.iter().any(|s| s.id == *id))
                    .unwrap_or_else(|| panic!("{language}: no step {id}"));
                let step = phase.steps.iter().find(|s| s.id == *id).unwrap();
                assert_eq!(phase.stage, Some(*stage), "{language}: {id}");
                assert_eq!(phase.timebox.map(|t| t.minutes()), *phase_minutes, "{language}: {id}");
                assert_eq!(step.checkpoints.len(), *checks, "{language}: {id}");
                assert_eq!(step.checkpoints.iter().filter(|c| c.ask_client).count(), *asks, "{language}: {id}");
                assert!(
                    step.checkpoints.iter().all(|c| !c.why.is_empty()),
                    "{language}: {id} has a checkpoint without its reason"
                );
            }
            let criteria: Vec<_> = pb.criteria().filter_map(|c| c.measure.as_deref()).collect();
            assert_eq!(criteria, ["nps", "clarity", "relationship", "follow_through"], "{language}: the four criteria");
            let gates: Vec<_> = pb.gates().map(|g| g.id.as_str()).collect();
            assert_eq!(
                gates,
                ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered", "logistics-locked"],
                "{language}"
            );
            let first = pb.steps().find(|s| s.id == "ice-breaker").unwrap();
            assert_eq!(first.requires, gates, "{language}: the meeting cannot start while a prerequisite is open");
            let report = pb.steps().find(|s| s.id == "report").unwrap();
            assert_eq!(
                report.due.as_ref().unwrap().to_string(),
                "kickoff + 75min",
                "{language}: report 15 min after the 60 min meeting"
            );
        }
    }

    #[test]
    fn the_kickoff_keeps_the_seeds_key_ideas() {
        let fr = kickoff(Locale::Fr).to_text();
        for idea in [
            "90 %",
            "je pense que",
            "juge de paix",
            "dédit",
            "ressources dédiées",
            "dynamique du marché",
            "méthodologie de delivery",
            "prolonger",
            "confirmation de réception",
            "no-show",
            "« à dispo »",
            "chasse, shortlist",
        ] {
            assert!(fr.contains(idea), "fr: missing {idea:?}");
        }
        let en = kickoff(Locale::En).to_text();
        for idea in [
            "90%",
            "I think that",
            "referee",
            "cancellation fee",
            "dedicated resources",
            "market dynamics",
            "how we deliver",
            "extend",
            "acknowledge receipt",
            "no-show",
            "on call",
            "sourcing, shortlist",
        ] {
            assert!(en.contains(idea), "en: missing {idea:?}");
        }
    }

    #[test]
    fn both_languages_of_a_builtin_share_their_structure() {
        let keys: std::collections::BTreeSet<_> = BUILTINS.iter().map(|b| b.key).collect();
        for key in keys {
            let (fr, en) = (
                parse(find(key, Locale::Fr).unwrap().text).unwrap(),
                parse(find(key, Locale::En).unwrap().text).unwrap(),
            );
            let ids = |p: &Playbook| {
                p.steps()
                    .flat_map(|s| std::iter::once(s.id.clone()).chain(s.checkpoints.iter().map(|c| c.id.clone())))
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(&fr), ids(&en), "{key}");
            assert_eq!(
                fr.gates().map(|g| &g.id).collect::<Vec<_>>(),
                en.gates().map(|g| &g.id).collect::<Vec<_>>(),
                "{key}"
            );
            assert_eq!(fr.roles, en.roles, "{key}");
        }
    }

    #[test]
    fn every_builtin_parses_and_round_trips_exactly() {
        for b in BUILTINS {
            let pb = parse(b.text).unwrap_or_else(|d| panic!("{} ({}): {:#?}", b.key, b.language, d));
            assert_eq!(pb.language, b.language, "{}", b.key);
            let again = pb.to_text();
            if again != b.text {
                let diff: Vec<_> =
                    b.text.lines().zip(again.lines()).enumerate().filter(|(_, (a, b))| a != b).take(3).collect();
                panic!("{} ({}) is not in canonical form; first differences: {diff:#?}", b.key, b.language);
            }
        }
    }

    fn journey(key: &str, language: Locale) -> Playbook {
        let pb = parse(find(key, language).unwrap_or_else(|| panic!("no built-in {key} in {language}")).text).unwrap();
        assert_eq!(pb.kind, Kind::Journey, "{key} ({language})");
        assert_eq!(pb.anchor, "start_date", "{key} ({language})");
        pb
    }

    fn step<'a>(pb: &'a Playbook, id: &str) -> &'a crate::playbooks::Step {
        pb.steps().find(|s| s.id == id).unwrap_or_else(|| panic!("{} ({}): no step {id}", pb.title, pb.language))
    }

    fn due(pb: &Playbook, id: &str) -> String {
        step(pb, id)
            .due
            .as_ref()
            .map(|d| d.to_string())
            .unwrap_or_else(|| panic!("{}: {id} has no due date", pb.language))
    }

    fn measures(pb: &Playbook) -> Vec<&str> {
        pb.criteria().filter_map(|c| c.measure.as_deref()).collect()
    }

    #[test]
    fn the_employee_journey_keeps_the_seeds_key_elements() {
        for language in Locale::ALL {
            let pb = journey("employee-onboarding", language);
            assert_eq!(pb.roles, ["new_hire", "manager", "buddy", "coach"], "{language}");
            // Pre-boarding starts from the signed offer, days before the start date.
            let gate = pb.gates().find(|g| g.id == "offer-signed").expect("an offer-signed gate");
            assert_eq!(gate.signal, Some(crate::Signal::OfferSigned), "{language}");
            for id in ["welcome-message", "equipment", "buddy-intro", "pre-work"] {
                let s = step(&pb, id);
                assert!(
                    s.requires.contains(&"offer-signed".to_string()),
                    "{language}: {id} waits for the signed offer"
                );
                assert!(s.due.as_ref().unwrap().approx_minutes() < 0, "{language}: {id} is due before day one");
            }
            // Flipped classroom: the new hire's pre-work is due before the structured session.
            let (pre, session) = (step(&pb, "pre-work"), step(&pb, "structured-session"));
            assert_eq!(pre.owner.as_deref(), Some("new_hire"), "{language}");
            assert!(
                pre.due.as_ref().unwrap().approx_minutes() < session.due.as_ref().unwrap().approx_minutes(),
                "{language}: pre-work after the session"
            );
            for id in ["on-the-job", "social-learning", "first-day-buddy"] {
                step(&pb, id);
            }
            // Field coaching, with feedback, belongs to the coach.
            let coaching = step(&pb, "field-coaching");
            assert_eq!(coaching.owner.as_deref(), Some("coach"), "{language}");
            assert!(
                coaching.deliverable.is_some() && coaching.checkpoints.len() >= 2,
                "{language}: coaching gives written feedback"
            );
            // The welcome team's worst-case brainstorm, run by the manager, yields checklist items.
            let workshop = step(&pb, "worst-case-welcome");
            assert_eq!(workshop.owner.as_deref(), Some("manager"), "{language}");
            assert!(workshop.deliverable.is_some(), "{language}");
            // eNPS at day 7, 30 and 90 (sent by Embark, anonymous), and the criteria that measure the journey.
            assert_eq!(due(&pb, "enps-day-7"), "start_date + 7d", "{language}");
            for id in ["enps-day-7", "enps-day-30", "enps-day-90"] {
                assert_eq!(step(&pb, id).survey.as_deref(), Some("enps"), "{language}: {id}");
            }
            assert_eq!(due(&pb, "enps-day-30"), "start_date + 30d", "{language}");
            assert_eq!(due(&pb, "enps-day-90"), "start_date + 90d", "{language}");
            for m in ["enps", "progress", "on_time", "time_to_productivity"] {
                assert!(measures(&pb).contains(&m), "{language}: no criterion measured with {m}");
            }
            assert!(
                pb.steps().all(|s| s.checkpoints.iter().all(|c| !c.ask_client)),
                "{language}: nothing to ask a client in an employee journey"
            );
            assert!((10..=20).contains(&pb.steps().count()), "{language}: {} steps", pb.steps().count());
        }
        let fr = journey("employee-onboarding", Locale::Fr).to_text();
        for idea in [
            "de plus en plus tôt",
            "volatil",
            "recrutement raté",
            "classe inversée",
            "sur le tas",
            "social learning",
            "coaching terrain",
            "pire accueil possible",
            "recommanderiez-vous votre nouvelle entreprise à vos proches",
            "La plateforme",
        ] {
            assert!(fr.to_lowercase().contains(&idea.to_lowercase()), "fr: missing {idea:?}");
        }
        let en = journey("employee-onboarding", Locale::En).to_text();
        for idea in [
            "earlier and earlier",
            "volatile",
            "failed hire",
            "flipped classroom",
            "on the job",
            "social learning",
            "field coaching",
            "worst welcome",
            "would you recommend your new company to your friends",
            "The platform",
        ] {
            assert!(en.to_lowercase().contains(&idea.to_lowercase()), "en: missing {idea:?}");
        }
    }

    #[test]
    fn the_client_journey_keeps_the_seeds_key_elements() {
        for language in Locale::ALL {
            let pb = journey("client-onboarding", language);
            assert_eq!(pb.roles, ["account_manager", "client_contact"], "{language}");
            for m in ["usage_progression", "response_rate", "complaint_response_time", "nps"] {
                let c = pb
                    .criteria()
                    .find(|c| c.measure.as_deref() == Some(m))
                    .unwrap_or_else(|| panic!("{language}: no criterion measured with {m}"));
                assert!(c.target.is_some(), "{language}: {m} has no target");
            }
            // Response-time targets: requests within 24 h, complaints within 4 h.
            let targets: Vec<_> = pb.criteria().filter_map(|c| c.target.as_deref()).collect();
            assert!(
                targets.iter().any(|t| t.contains("24 h")) && targets.iter().any(|t| t.contains("4 h")),
                "{language}: {targets:?}"
            );
            for id in ["requests", "complaints"] {
                assert!(step(&pb, id).checkpoints.len() >= 2, "{language}: {id}");
            }
            // Training on the client portal: flipped-classroom pre-work before the live session.
            let phase = pb.phases().find(|p| p.id == "portal-training").expect("a portal-training phase");
            assert!(phase.steps.iter().any(|s| s.id == "portal-access"), "{language}");
            assert!(
                step(&pb, "pre-work").due.as_ref().unwrap().approx_minutes()
                    < step(&pb, "live-session").due.as_ref().unwrap().approx_minutes(),
                "{language}"
            );
            // Usage milestones at set dates, NPS at day 30 and day 90, then a review.
            for (id, when) in [
                ("usage-day-14", "start_date + 14d"),
                ("usage-day-30", "start_date + 30d"),
                ("usage-day-60", "start_date + 60d"),
                ("nps-day-30", "start_date + 30d"),
                ("nps-day-90", "start_date + 90d"),
            ] {
                assert_eq!(due(&pb, id), when, "{language}: {id}");
            }
            assert!(
                step(&pb, "review").due.as_ref().unwrap().approx_minutes()
                    > step(&pb, "nps-day-90").due.as_ref().unwrap().approx_minutes(),
                "{language}"
            );
            // Some checkpoints are asked to the client out loud, starting with the welcome call.
            assert!(step(&pb, "welcome-call").checkpoints.iter().any(|c| c.ask_client), "{language}");
            assert!(step(&pb, "welcome-call").requires.contains(&"contract-signed".to_string()), "{language}");
            assert!((10..=20).contains(&pb.steps().count()), "{language}: {} steps", pb.steps().count());
        }
        let fr = journey("client-onboarding", Locale::Fr).to_text();
        for idea in [
            "volatil",
            "convaincre que son choix était le bon",
            "mécontent",
            "réputation",
            "entreprise étendue",
            "classe inversée",
            "NPS",
        ] {
            assert!(fr.contains(idea), "fr: missing {idea:?}");
        }
        let en = journey("client-onboarding", Locale::En).to_text();
        for idea in [
            "volatile",
            "convinced that choosing us was the right decision",
            "unhappy",
            "reputation",
            "extended enterprise",
            "flipped classroom",
            "NPS",
        ] {
            assert!(en.contains(idea), "en: missing {idea:?}");
        }
    }
}

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
];

/// The built-in playbook `key` in `language`.
pub fn find(key: &str, language: Locale) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.key == key && b.language == language)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{parse, Kind, Playbook, Stage};

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
    fn the_kickoff_has_every_step_checkpoint_and_reason_of_the_seed_in_both_languages() {
        for language in Locale::ALL {
            let pb = kickoff(language);
            assert_eq!(pb.kind, Kind::Meeting);
            assert_eq!(pb.duration.map(|d| d.minutes()), Some(60));
            assert_eq!(pb.scheduled_minutes(), 60, "intro 5 + development 45 + conclusion 10");
            for (stage, id, phase_minutes, checks, asks) in SEED_ROWS {
                let phase = pb.phases().find(|p| p.steps.iter().any(|s| s.id == *id)).unwrap_or_else(|| panic!("{language}: no step {id}"));
                let step = phase.steps.iter().find(|s| s.id == *id).unwrap();
                assert_eq!(phase.stage, Some(*stage), "{language}: {id}");
                assert_eq!(phase.timebox.map(|t| t.minutes()), *phase_minutes, "{language}: {id}");
                assert_eq!(step.checkpoints.len(), *checks, "{language}: {id}");
                assert_eq!(step.checkpoints.iter().filter(|c| c.ask_client).count(), *asks, "{language}: {id}");
                assert!(step.checkpoints.iter().all(|c| !c.why.is_empty()), "{language}: {id} has a checkpoint without its reason");
            }
            let criteria: Vec<_> = pb.criteria().filter_map(|c| c.measure.as_deref()).collect();
            assert_eq!(criteria, ["nps", "clarity", "relationship", "follow_through"], "{language}: the four criteria");
            let gates: Vec<_> = pb.gates().map(|g| g.id.as_str()).collect();
            assert_eq!(gates, ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered", "logistics-locked"], "{language}");
            let first = pb.steps().find(|s| s.id == "ice-breaker").unwrap();
            assert_eq!(first.requires, gates, "{language}: the meeting cannot start while a prerequisite is open");
            let report = pb.steps().find(|s| s.id == "report").unwrap();
            assert_eq!(report.due.as_ref().unwrap().to_string(), "kickoff + 75min", "{language}: report 15 min after the 60 min meeting");
        }
    }

    #[test]
    fn the_kickoff_keeps_the_seeds_key_ideas() {
        let fr = kickoff(Locale::Fr).to_text();
        for idea in ["90 %", "je pense que", "juge de paix", "dédit", "ressources dédiées", "dynamique du marché", "méthodologie de delivery", "prolonger", "confirmation de réception", "no-show", "« à dispo »", "chasse, shortlist"] {
            assert!(fr.contains(idea), "fr: missing {idea:?}");
        }
        let en = kickoff(Locale::En).to_text();
        for idea in ["90%", "I think that", "referee", "cancellation fee", "dedicated resources", "market dynamics", "how we deliver", "extend", "acknowledge receipt", "no-show", "on call", "sourcing, shortlist"] {
            assert!(en.contains(idea), "en: missing {idea:?}");
        }
    }

    #[test]
    fn both_languages_of_a_builtin_share_their_structure() {
        let keys: std::collections::BTreeSet<_> = BUILTINS.iter().map(|b| b.key).collect();
        for key in keys {
            let (fr, en) = (parse(find(key, Locale::Fr).unwrap().text).unwrap(), parse(find(key, Locale::En).unwrap().text).unwrap());
            let ids = |p: &Playbook| p.steps().flat_map(|s| std::iter::once(s.id.clone()).chain(s.checkpoints.iter().map(|c| c.id.clone()))).collect::<Vec<_>>();
            assert_eq!(ids(&fr), ids(&en), "{key}");
            assert_eq!(fr.gates().map(|g| &g.id).collect::<Vec<_>>(), en.gates().map(|g| &g.id).collect::<Vec<_>>(), "{key}");
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
                let diff: Vec<_> = b.text.lines().zip(again.lines()).enumerate().filter(|(_, (a, b))| a != b).take(3).collect();
                panic!("{} ({}) is not in canonical form; first differences: {diff:#?}", b.key, b.language);
            }
        }
    }
}

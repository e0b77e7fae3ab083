//! The meeting clock of a live kick-off: where the meeting stands against its
//! timeboxes (seed 000: keep to the structure, finish on time; offering to extend
//! is a sign of failure).

use crate::playbooks::{Kind, Playbook, Stage};
use crate::Timestamp;

/// The steps run during the meeting itself (not before, after or throughout), in order,
/// each with its timebox (0 when the playbook gives none).
pub fn timed_steps(playbook: &Playbook) -> Vec<TimedStep> {
    if playbook.kind != Kind::Meeting {
        return Vec::new();
    }
    playbook
        .phases()
        .filter(|p| matches!(p.stage, None | Some(Stage::Meeting)))
        .flat_map(|p| p.steps.iter())
        .map(|s| TimedStep { key: s.id.clone(), minutes: s.timebox.map(|t| t.minutes()).unwrap_or(0) })
        .collect()
}

/// One timed step of the meeting, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedStep {
    pub key: String,
    pub minutes: u32,
}

/// How the meeting is doing, to show on the runner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockReading {
    /// Milliseconds spent on the current step.
    pub step_elapsed_ms: i64,
    /// Milliseconds the current step is over its timebox (0 if within).
    pub step_overrun_ms: i64,
    /// When the meeting will end if the remaining steps take their timeboxes.
    pub projected_end: Timestamp,
    /// Milliseconds the projected end is past the planned end (0 if on time).
    pub meeting_overrun_ms: i64,
    pub warning: Warning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Warning {
    None,
    /// The current step is over its timebox.
    StepOverrun,
    /// At this pace the meeting will not finish on time.
    LateFinish,
}

/// Reads the clock: the meeting started at `started_at` and is planned to last
/// `planned_minutes`; the current step (index `current`) started at `step_started_at`.
pub fn read(
    steps: &[TimedStep],
    current: usize,
    started_at: Timestamp,
    step_started_at: Timestamp,
    planned_minutes: u32,
    now: Timestamp,
) -> ClockReading {
    let minute = 60_000i64;
    let step_elapsed_ms = (now.as_millis() - step_started_at.as_millis()).max(0);
    let current_ms = steps.get(current).map(|s| i64::from(s.minutes) * minute).unwrap_or(0);
    let step_overrun_ms = (step_elapsed_ms - current_ms).max(0);
    let remaining_ms: i64 = (current_ms - step_elapsed_ms).max(0)
        + steps.iter().skip(current + 1).map(|s| i64::from(s.minutes) * minute).sum::<i64>();
    let projected_end = now.plus_millis(remaining_ms);
    let planned_end = started_at.plus_millis(i64::from(planned_minutes) * minute);
    let meeting_overrun_ms = (projected_end.as_millis() - planned_end.as_millis()).max(0);
    let warning = if meeting_overrun_ms > 0 {
        Warning::LateFinish
    } else if step_overrun_ms > 0 {
        Warning::StepOverrun
    } else {
        Warning::None
    };
    ClockReading { step_elapsed_ms, step_overrun_ms, projected_end, meeting_overrun_ms, warning }
}

/// How long before its planned time a meeting starts without a second thought.
pub const EARLY_START_MS: i64 = 30 * 60_000;

/// Starting now would be more than [`EARLY_START_MS`] before the planned time: the
/// person confirms first (a wrong click would time the meeting from now).
pub fn starts_early(planned: crate::Timestamp, now: crate::Timestamp) -> bool {
    planned.as_millis() - now.as_millis() > EARLY_START_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_half_an_hour_ahead_is_early() {
        let planned = crate::Timestamp::from_millis(10 * 3_600_000);
        let at = |minutes_before: i64| crate::Timestamp::from_millis(planned.as_millis() - minutes_before * 60_000);
        assert!(starts_early(planned, at(31)));
        assert!(!starts_early(planned, at(30)), "30 minutes ahead is on time");
        assert!(!starts_early(planned, at(-10)), "late is not early");
    }

    fn steps() -> Vec<TimedStep> {
        [("intro", 5), ("development", 45), ("conclusion", 10)]
            .iter()
            .map(|(k, m)| TimedStep { key: (*k).into(), minutes: *m })
            .collect()
    }

    fn at(min: i64) -> Timestamp {
        Timestamp::from_millis(1_800_000_000_000 + min * 60_000)
    }

    #[test]
    fn the_kickoff_runs_its_five_meeting_steps_in_sixty_minutes() {
        let pb = crate::playbooks::builtin::BUILTINS
            .iter()
            .find(|b| b.key == "recruitment-kickoff" && b.language == crate::Locale::En)
            .map(|b| crate::playbooks::parse(b.text).unwrap())
            .unwrap();
        let steps = timed_steps(&pb);
        let keys: Vec<&str> = steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["ice-breaker", "structure", "scorecard", "wrap-up", "next-steps"]);
        assert_eq!(steps.iter().map(|s| s.minutes).sum::<u32>(), 60);
    }

    #[test]
    fn on_time_a_meeting_has_no_warning() {
        let r = read(&steps(), 1, at(0), at(5), 60, at(20));
        assert_eq!(r.warning, Warning::None);
        assert_eq!(r.projected_end, at(60));
        assert_eq!(r.step_elapsed_ms, 15 * 60_000);
    }

    #[test]
    fn a_step_may_overrun_while_the_meeting_still_fits_then_it_does_not() {
        // The intro started late-ish but finished early: development overruns by 2 min,
        // yet the slack of the intro absorbs it.
        let r = read(&steps(), 1, at(0), at(3), 60, at(50));
        assert_eq!(r.step_overrun_ms, 2 * 60_000);
        assert_eq!(r.warning, Warning::StepOverrun);
        assert_eq!(r.meeting_overrun_ms, 0);
        // Four more minutes and the conclusion no longer fits.
        let r = read(&steps(), 1, at(0), at(3), 60, at(54));
        assert_eq!(r.warning, Warning::LateFinish);
        assert_eq!(r.meeting_overrun_ms, 4 * 60_000);
        assert_eq!(r.projected_end, at(64));
    }
}

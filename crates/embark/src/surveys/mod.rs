//! Surveys: NPS, eNPS and their honest statistics (PRODUCT.md §C4, issue 13).

pub mod api;
pub mod mail;
pub mod pages;
pub mod service;

use axum::Router;
use embark_core::surveys::nps::Summary;
use embark_core::Locale;
use embark_store::surveys::SurveyRow;

use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    pages::router().merge(api::router())
}

/// A survey's title in a language.
pub fn title(s: &SurveyRow, locale: Locale) -> &str {
    match locale {
        Locale::En => &s.title_en,
        Locale::Fr => &s.title_fr,
    }
}

/// A survey's question in a language.
pub fn question(s: &SurveyRow, locale: Locale) -> &str {
    match locale {
        Locale::En => &s.question_en,
        Locale::Fr => &s.question_fr,
    }
}

/// A score as shown: signed, whole points, a true minus sign ("+30", "−19", "0").
pub fn signed(points: f64) -> String {
    let rounded = points.round();
    if rounded > 0.0 {
        format!("+{rounded:.0}")
    } else if rounded < 0.0 {
        format!("\u{2212}{:.0}", -rounded)
    } else {
        "0".into()
    }
}

/// An NPS as a figure: its value, and a detail line with its 95 % interval, how many
/// answered, and a "too few answers" note under five.
pub fn nps_figure(tr: Tr, summary: &Summary) -> (String, String) {
    let value = summary.score.map(signed).unwrap_or_else(|| "—".into());
    let mut detail = Vec::new();
    if let Some(ci) = summary.ci95 {
        detail.push(tr.t2("survey-nps-interval", "low", &signed(ci.low), "high", &signed(ci.high)));
    }
    detail.push(tr.t_count("survey-answers", i64::from(summary.answers)));
    if summary.answers > 0 && summary.too_few() {
        detail.push(tr.t("survey-too-few"));
    }
    (value, detail.join(", "))
}

#[cfg(test)]
mod tests {
    use embark_core::surveys::nps::from_counts;
    use embark_core::Locale;

    use super::*;

    #[test]
    fn scores_are_signed_with_a_true_minus() {
        assert_eq!(signed(30.0), "+30");
        assert_eq!(signed(-19.05), "\u{2212}19");
        assert_eq!(signed(0.2), "0");
        assert_eq!(signed(-0.4), "0");
    }

    #[test]
    fn a_figure_says_its_interval_its_answers_and_when_they_are_too_few() {
        let en = Tr::new(Locale::En);
        let (value, detail) = nps_figure(en, &from_counts(10, 0, 0));
        assert_eq!(value, "+100");
        assert_eq!(detail, "95% interval +48 to +100, 10 answers");
        let (_, few) = nps_figure(en, &from_counts(1, 1, 1));
        assert!(few.ends_with("3 answers, too few answers to read much into it"), "{few}");
        let (none, detail) = nps_figure(Tr::new(Locale::Fr), &from_counts(0, 0, 0));
        assert_eq!((none.as_str(), detail.as_str()), ("—", "0 réponse"));
    }
}

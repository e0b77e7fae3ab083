//! French and English, through Fluent. Every screen and email takes a [`Tr`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use embark_core::Locale;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{langid, LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments show up as junk in plain-text emails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The Fluent files of one language: one per capability, plus what every page shares.
macro_rules! ftl_files {
    ($lang:literal) => {
        &[
            include_str!(concat!("../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../locales/", $lang, "/accounts.ftl")),
            include_str!(concat!("../locales/", $lang, "/portal.ftl")),
            include_str!(concat!("../locales/", $lang, "/email.ftl")),
            include_str!(concat!("../locales/", $lang, "/playbooks.ftl")),
            include_str!(concat!("../locales/", $lang, "/engagements.ftl")),
            include_str!(concat!("../locales/", $lang, "/kickoff.ftl")),
            include_str!(concat!("../locales/", $lang, "/surveys.ftl")),
            include_str!(concat!("../locales/", $lang, "/learning.ftl")),
            include_str!(concat!("../locales/", $lang, "/requests.ftl")),
            include_str!(concat!("../locales/", $lang, "/indicators.ftl")),
        ]
    };
}
const EN_FTL: &[&str] = ftl_files!("en");
const FR_FTL: &[&str] = ftl_files!("fr");

/// The message identifiers of a Fluent file (lines `key = …`).
pub fn message_keys(files: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    files
        .iter()
        .flat_map(|ftl| ftl.lines())
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
}

static EN: LanguageIdentifier = langid!("en");
static FR: LanguageIdentifier = langid!("fr");

/// A translator for one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Tr { locale }
    }

    fn lang(&self) -> &'static LanguageIdentifier {
        match self.locale {
            Locale::En => &EN,
            Locale::Fr => &FR,
        }
    }

    /// The message for `key`; the key itself if it is missing (a test makes sure none is).
    pub fn t(&self, key: &str) -> String {
        self.lookup(key).map(str::to_string).unwrap_or_else(|| key.to_string())
    }

    /// A message without arguments, formatted once per process: pages ask for the
    /// same labels on every row, and Fluent formatting is not free.
    fn lookup(&self, key: &str) -> Option<&'static str> {
        static PLAIN: OnceLock<[HashMap<&'static str, String>; 2]> = OnceLock::new();
        let plain = PLAIN.get_or_init(|| {
            [(Locale::En, EN_FTL), (Locale::Fr, FR_FTL)].map(|(locale, ftl)| {
                message_keys(ftl)
                    .filter_map(|key| Some((key, LOCALES.try_lookup(Tr::new(locale).lang(), key)?)))
                    .collect()
            })
        });
        let index = match self.locale {
            Locale::En => 0,
            Locale::Fr => 1,
        };
        plain[index].get(key).map(String::as_str)
    }

    /// The message for `key` with named arguments.
    pub fn t_args(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.to_string()))).collect();
        LOCALES.try_lookup_with_args(self.lang(), key, &map).unwrap_or_else(|| key.to_string())
    }

    /// The message for `key` with one argument (for templates).
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.t_args(key, &[(name, value)])
    }

    /// The message for `key` with two arguments (for templates).
    pub fn t2(&self, key: &str, n1: &'static str, v1: &str, n2: &'static str, v2: &str) -> String {
        self.t_args(key, &[(n1, v1), (n2, v2)])
    }

    /// The message for `key` with numeric arguments (plural forms select on them).
    pub fn t_nums(&self, key: &str, args: &[(&'static str, i64)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(*v))).collect();
        LOCALES.try_lookup_with_args(self.lang(), key, &map).unwrap_or_else(|| key.to_string())
    }

    /// The message for `key` with a number (plural forms).
    pub fn t_count(&self, key: &str, count: impl std::borrow::Borrow<i64>) -> String {
        let count = *count.borrow();
        let mut map: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        map.insert(Cow::Borrowed("count"), FluentValue::from(count));
        LOCALES.try_lookup_with_args(self.lang(), key, &map).unwrap_or_else(|| key.to_string())
    }

    pub fn code(&self) -> &'static str {
        self.locale.code()
    }

    /// A role's name in this language.
    pub fn role(&self, role: &embark_core::Role) -> String {
        self.t(&format!("role-{}", role.as_str().replace('_', "-")))
    }

    /// The calendar day of an instant in a time zone, in this language's usual format.
    pub fn date(&self, at: embark_core::Timestamp, time_zone: &str) -> String {
        let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let zoned = at.to_jiff().to_zoned(tz);
        match self.locale {
            Locale::En => zoned.strftime("%Y-%m-%d").to_string(),
            Locale::Fr => zoned.strftime("%d/%m/%Y").to_string(),
        }
    }

    /// A month given as `YYYY-MM`, written out ("February 2026", "février 2026");
    /// anything else as given.
    pub fn month(&self, month: &str) -> String {
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let Some((year, m)) = month.split_once('-') else { return month.to_string() };
        let Some(index) = m.parse::<usize>().ok().filter(|m| (1..=12).contains(m)) else { return month.to_string() };
        let names = match self.locale {
            Locale::En => EN,
            Locale::Fr => FR,
        };
        format!("{} {year}", names[index - 1])
    }

    /// A playbook role's name (`client_contact` → "Client contact"), or as written for a custom one.
    pub fn role_name(&self, role: &str) -> String {
        let key = format!("role-{}", role.replace('_', "-"));
        let t = self.t(&key);
        if t == key {
            role.replace('_', " ")
        } else {
            t
        }
    }

    /// A length of time in minutes: "45 min", "2 h 5 min" (the same in both languages).
    pub fn minutes(&self, minutes: i64) -> String {
        let (h, m) = (minutes / 60, minutes % 60);
        match (h, m) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        }
    }

    /// The time of day of an instant in a time zone: "09:05" (both languages).
    pub fn time(&self, at: embark_core::Timestamp, time_zone: &str) -> String {
        let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        at.to_jiff().to_zoned(tz).strftime("%H:%M").to_string()
    }

    /// An instant shown in a time zone, in this language's usual format.
    pub fn datetime(&self, at: embark_core::Timestamp, time_zone: &str) -> String {
        let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let zoned = at.to_jiff().to_zoned(tz);
        match self.locale {
            Locale::En => zoned.strftime("%Y-%m-%d %H:%M").to_string(),
            Locale::Fr => zoned.strftime("%d/%m/%Y %H:%M").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(files: &'static [&'static str]) -> BTreeSet<String> {
        message_keys(files).map(str::to_string).collect()
    }

    #[test]
    fn months_are_written_out_in_each_language() {
        assert_eq!(Tr::new(Locale::En).month("2026-02"), "February 2026");
        assert_eq!(Tr::new(Locale::Fr).month("2026-12"), "décembre 2026");
        assert_eq!(Tr::new(Locale::Fr).month("2026-13"), "2026-13");
    }

    #[test]
    fn every_fluent_file_is_listed_and_no_key_is_defined_twice() {
        for (lang, files) in [("en", EN_FTL), ("fr", FR_FTL)] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
            let on_disk = std::fs::read_dir(&dir).unwrap().count();
            assert_eq!(on_disk, files.len(), "{lang}: every .ftl file in {} is listed in ftl_files!", dir.display());
            let all: Vec<_> = message_keys(files).collect();
            let unique: BTreeSet<_> = all.iter().collect();
            assert_eq!(all.len(), unique.len(), "{lang}: a key is defined in two files");
        }
    }

    /// French puts a no-break space before `:` and a narrow one before `;`, `!` and `?`,
    /// and inside « guillemets »: never an ordinary space, which may break the line there.
    #[test]
    fn french_messages_keep_their_punctuation_on_the_line() {
        let mut wrong = Vec::new();
        for ftl in FR_FTL {
            for line in ftl.lines().filter(|l| !l.starts_with('#')) {
                let value = match line.split_once(" = ") {
                    Some((key, value)) if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => value,
                    _ => line,
                };
                let bad_before = [" :", " ;", " !", " ?", " »"].iter().any(|p| value.contains(p));
                if bad_before || value.contains("« ") {
                    wrong.push(line.to_string());
                }
            }
        }
        assert!(wrong.is_empty(), "ordinary spaces around French punctuation:\n{}", wrong.join("\n"));
        assert!(Tr::new(Locale::Fr).t("punct-colon").starts_with('\u{a0}'));
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let en = keys(EN_FTL);
        let fr = keys(FR_FTL);
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty() && only_fr.is_empty(), "missing in fr: {only_en:?}; missing in en: {only_fr:?}");
        assert!(en.len() > 50);
    }

    #[test]
    fn every_role_has_a_name() {
        for locale in Locale::ALL {
            for role in embark_core::Role::ALL {
                let name = Tr::new(locale).role(&role);
                assert!(!name.starts_with("role-"), "{locale}: {name}");
            }
        }
    }

    #[test]
    fn arguments_and_plurals_render() {
        let fr = Tr::new(Locale::Fr);
        assert_eq!(fr.t_count("people-count", 1), "1 personne");
        assert_eq!(fr.t_count("people-count", 3), "3 personnes");
        assert_eq!(Tr::new(Locale::En).t_count("people-count", 1), "1 person");
    }
}

//! Configuration: defaults, then an optional TOML file, then `EMBARK_*` environment
//! variables (with `*_FILE` variants for secrets), then command-line flags.
//! A bad value stops start-up with one line naming the setting.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// A value that must not appear in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`; may hold a password, hence a secret.
    pub database_url: Secret,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    /// The public address, used in links inside emails.
    pub base_url: String,
    /// Unset: emails go to the outbox directory.
    pub smtp_url: Option<Secret>,
    pub smtp_from: String,
    /// Time zone given to new workspaces.
    pub default_time_zone: String,
    /// Trust `X-Forwarded-For` for the client address (behind a reverse proxy).
    pub trust_proxy: bool,
    /// Database connections per instance.
    pub max_connections: u32,
    /// SQLite's commit durability (`full` unless `normal` is named; see the README).
    pub sqlite_synchronous: embark_store::SqliteSync,
    /// When set, `/metrics` answers only `Authorization: Bearer <this>`.
    pub metrics_token: Option<Secret>,
    pub log: String,
}

impl Config {
    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
    pub fn uses_tls(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// A setting with a bad value: `EMBARK_BIND: "x" is not an address…`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub message: String,
}

impl ConfigError {
    pub fn new(setting: &'static str, message: impl Into<String>) -> Self {
        Self { setting, message: message.into() }
    }
}

/// Settings given on the command line (each `None` when absent).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Overrides {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [env: EMBARK_DATABASE_URL]
    #[arg(long)]
    pub database_url: Option<String>,
    /// Directory for the SQLite file and the email outbox [env: EMBARK_DATA_DIR]
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on [env: EMBARK_BIND]
    #[arg(long)]
    pub bind: Option<String>,
    /// Public URL used in emails [env: EMBARK_BASE_URL]
    #[arg(long)]
    pub base_url: Option<String>,
    /// SMTP server, e.g. smtps://user:pass@smtp.example.com [env: EMBARK_SMTP_URL]
    #[arg(long)]
    pub smtp_url: Option<String>,
    /// A TOML configuration file [env: EMBARK_CONFIG]
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// The settings a file or the environment may give, by their file key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    bind: Option<String>,
    base_url: Option<String>,
    smtp_url: Option<String>,
    smtp_from: Option<String>,
    default_time_zone: Option<String>,
    trust_proxy: Option<bool>,
    max_connections: Option<u32>,
    sqlite_synchronous: Option<String>,
    metrics_token: Option<String>,
    log: Option<String>,
}

/// Every `EMBARK_*` variable we read, with its file key. Others get a warning.
const ENV_KEYS: &[(&str, &str)] = &[
    ("EMBARK_DATABASE_URL", "database_url"),
    ("EMBARK_DATA_DIR", "data_dir"),
    ("EMBARK_BIND", "bind"),
    ("EMBARK_BASE_URL", "base_url"),
    ("EMBARK_SMTP_URL", "smtp_url"),
    ("EMBARK_SMTP_FROM", "smtp_from"),
    ("EMBARK_DEFAULT_TIME_ZONE", "default_time_zone"),
    ("EMBARK_TRUST_PROXY", "trust_proxy"),
    ("EMBARK_MAX_CONNECTIONS", "max_connections"),
    ("EMBARK_SQLITE_SYNCHRONOUS", "sqlite_synchronous"),
    ("EMBARK_METRICS_TOKEN", "metrics_token"),
    ("EMBARK_LOG", "log"),
];

/// Secrets that may also be read from a file named by `<NAME>_FILE`.
const SECRET_KEYS: &[&str] = &["EMBARK_DATABASE_URL", "EMBARK_SMTP_URL", "EMBARK_METRICS_TOKEN"];

/// Variables that are not settings but are known (tests, the config file path).
const OTHER_KNOWN: &[&str] = &[
    "EMBARK_CONFIG",
    "EMBARK_TEST_POSTGRES_URL",
    "EMBARK_TEST_CHROME",
    "EMBARK_TEST_CHROMEDRIVER",
    "EMBARK_SCREENSHOTS",
];

/// The result of loading: the configuration and warnings to print once logging is up.
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

impl Config {
    /// Loads from the process environment and the flags.
    pub fn load(overrides: &Overrides) -> Result<Loaded, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("EMBARK_")).collect();
        let path = overrides.config.clone().or_else(|| env.get("EMBARK_CONFIG").map(PathBuf::from));
        let file = match path {
            Some(p) => Some(
                std::fs::read_to_string(&p)
                    .map_err(|e| ConfigError::new("EMBARK_CONFIG", format!("cannot read {}: {e}", p.display())))?,
            ),
            None => None,
        };
        Self::from_sources(&env, file.as_deref(), overrides, |p| std::fs::read_to_string(p))
    }

    /// Builds the configuration from explicit sources, in order of precedence:
    /// flags, then environment, then file, then defaults.
    pub fn from_sources(
        env: &BTreeMap<String, String>,
        file: Option<&str>,
        flags: &Overrides,
        read_file: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<Loaded, ConfigError> {
        let mut warnings = Vec::new();
        let file_layer: Layer = match file {
            Some(text) => {
                toml::from_str(text).map_err(|e| ConfigError::new("EMBARK_CONFIG", one_line(&e.to_string())))?
            }
            None => Layer::default(),
        };
        let env_layer = env_layer(env, &read_file, &mut warnings)?;

        let pick = |flag: Option<String>, env: Option<String>, file: Option<String>| flag.or(env).or(file);

        let data_dir = flags
            .data_dir
            .clone()
            .or(env_layer.data_dir.clone())
            .or(file_layer.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("./embark-data"));
        let data_dir = absolute(&data_dir);

        let database_url =
            pick(flags.database_url.clone(), env_layer.database_url.clone(), file_layer.database_url.clone())
                .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("embark.db").display()));
        embark_store::Engine::from_url(&database_url)
            .map_err(|e| ConfigError::new("EMBARK_DATABASE_URL", e.to_string()))?;

        let bind_text = pick(flags.bind.clone(), env_layer.bind.clone(), file_layer.bind.clone())
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.parse().map_err(|_| {
            ConfigError::new(
                "EMBARK_BIND",
                format!("{bind_text:?} is not an address (expected IP:PORT, e.g. 127.0.0.1:8080)"),
            )
        })?;

        let base_url = pick(flags.base_url.clone(), env_layer.base_url.clone(), file_layer.base_url.clone())
            .unwrap_or_else(|| format!("http://{bind}"));
        let base_url = base_url.trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) || base_url.len() < "http://x".len() {
            return Err(ConfigError::new(
                "EMBARK_BASE_URL",
                format!("{base_url:?} must start with http:// or https://"),
            ));
        }

        let smtp_url = pick(flags.smtp_url.clone(), env_layer.smtp_url.clone(), file_layer.smtp_url.clone())
            .filter(|s| !s.trim().is_empty());
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::new("EMBARK_SMTP_URL", "must start with smtp:// or smtps://"));
            }
        }
        let smtp_from =
            env_layer.smtp_from.or(file_layer.smtp_from).unwrap_or_else(|| "Embark <embark@localhost>".into());
        if smtp_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::new(
                "EMBARK_SMTP_FROM",
                format!("{smtp_from:?} is not a mailbox (expected Name <address@domain>)"),
            ));
        }

        let default_time_zone =
            env_layer.default_time_zone.or(file_layer.default_time_zone).unwrap_or_else(|| "Europe/Paris".into());
        if jiff::tz::TimeZone::get(&default_time_zone).is_err() {
            return Err(ConfigError::new(
                "EMBARK_DEFAULT_TIME_ZONE",
                format!("{default_time_zone:?} is not a known time zone (expected e.g. Europe/Paris)"),
            ));
        }

        let max_connections = env_layer.max_connections.or(file_layer.max_connections).unwrap_or(10);
        if !(1..=500).contains(&max_connections) {
            return Err(ConfigError::new("EMBARK_MAX_CONNECTIONS", "must be between 1 and 500"));
        }

        let sqlite_synchronous = match env_layer.sqlite_synchronous.or(file_layer.sqlite_synchronous) {
            None => embark_store::SqliteSync::Full,
            Some(text) => embark_store::SqliteSync::parse(&text).ok_or_else(|| {
                ConfigError::new(
                    "EMBARK_SQLITE_SYNCHRONOUS",
                    format!(
                        "{text:?} is not a durability (expected full, the default: every acknowledged write \
                         survives a power loss; or normal: faster, survives a crash of Embark but may lose \
                         the last acknowledged writes on a power loss)"
                    ),
                )
            })?,
        };

        let metrics_token = env_layer.metrics_token.or(file_layer.metrics_token).filter(|t| !t.trim().is_empty());
        if let Some(token) = &metrics_token {
            if token.chars().count() < 16 || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(ConfigError::new(
                    "EMBARK_METRICS_TOKEN",
                    "must be at least 16 characters, without spaces (e.g. the output of `openssl rand -hex 24`)",
                ));
            }
        }

        Ok(Loaded {
            config: Config {
                database_url: Secret(database_url),
                data_dir,
                bind,
                base_url,
                smtp_url: smtp_url.map(Secret),
                smtp_from,
                default_time_zone,
                trust_proxy: env_layer.trust_proxy.or(file_layer.trust_proxy).unwrap_or(false),
                max_connections,
                sqlite_synchronous,
                metrics_token: metrics_token.map(Secret),
                log: env_layer.log.or(file_layer.log).unwrap_or_else(|| "info".into()),
            },
            warnings,
        })
    }
}

fn env_layer(
    env: &BTreeMap<String, String>,
    read_file: &impl Fn(&str) -> std::io::Result<String>,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    let mut layer = Layer::default();
    for (name, value) in env {
        if let Some((setting, key)) = ENV_KEYS.iter().find(|(n, _)| n == name) {
            set(&mut layer, setting, key, value.clone())?;
        } else if let Some(secret) = name.strip_suffix("_FILE").and_then(|n| SECRET_KEYS.iter().find(|s| **s == n)) {
            if env.contains_key(*secret) {
                return Err(ConfigError::new(secret, format!("set both {secret} and {name}; keep one")));
            }
            let text =
                read_file(value).map_err(|e| ConfigError::new(secret, format!("cannot read {name} ({value}): {e}")))?;
            let key = ENV_KEYS.iter().find(|(n, _)| n == secret).map(|(_, k)| *k).unwrap_or_default();
            set(&mut layer, secret, key, text.trim().to_string())?;
        } else if !OTHER_KNOWN.contains(&name.as_str()) {
            warnings.push(format!("unknown setting {name} is ignored (known: {})", known_names()));
        }
    }
    Ok(layer)
}

fn set(layer: &mut Layer, setting: &'static str, key: &str, value: String) -> Result<(), ConfigError> {
    match key {
        "database_url" => layer.database_url = Some(value),
        "data_dir" => layer.data_dir = Some(PathBuf::from(value)),
        "bind" => layer.bind = Some(value),
        "base_url" => layer.base_url = Some(value),
        "smtp_url" => layer.smtp_url = Some(value),
        "smtp_from" => layer.smtp_from = Some(value),
        "default_time_zone" => layer.default_time_zone = Some(value),
        "sqlite_synchronous" => layer.sqlite_synchronous = Some(value),
        "metrics_token" => layer.metrics_token = Some(value),
        "log" => layer.log = Some(value),
        "trust_proxy" => {
            layer.trust_proxy = Some(match value.trim() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                other => {
                    return Err(ConfigError::new(
                        setting,
                        format!("{other:?} is not a boolean (expected true or false)"),
                    ))
                }
            })
        }
        "max_connections" => {
            layer.max_connections = Some(
                value.trim().parse().map_err(|_| ConfigError::new(setting, format!("{value:?} is not a number")))?,
            )
        }
        _ => {}
    }
    Ok(())
}

fn known_names() -> String {
    ENV_KEYS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn absolute(p: &std::path::Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn no_files(_: &str) -> std::io::Result<String> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }

    #[test]
    fn defaults_use_sqlite_in_the_data_dir() {
        let c = Config::from_sources(&env(&[]), None, &Overrides::default(), no_files).unwrap().config;
        assert!(c.database_url.expose().starts_with("sqlite://"));
        assert!(c.database_url.expose().ends_with("embark-data/embark.db"));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert!(c.smtp_url.is_none());
        assert_eq!(c.sqlite_synchronous, embark_store::SqliteSync::Full, "durable on a power loss by default");
    }

    #[test]
    fn the_faster_sqlite_mode_is_named_and_a_wrong_one_says_what_each_risks() {
        let load = |pairs: &[(&str, &str)], file: Option<&str>| {
            Config::from_sources(&env(pairs), file, &Overrides::default(), no_files)
        };
        let c = load(&[("EMBARK_SQLITE_SYNCHRONOUS", "Normal")], None).unwrap().config;
        assert_eq!(c.sqlite_synchronous, embark_store::SqliteSync::Normal);
        let c = load(&[], Some("sqlite_synchronous = \"normal\"")).unwrap().config;
        assert_eq!(c.sqlite_synchronous, embark_store::SqliteSync::Normal);
        let e = load(&[("EMBARK_SQLITE_SYNCHRONOUS", "off")], None).err().expect("off is not offered");
        assert_eq!(e.setting, "EMBARK_SQLITE_SYNCHRONOUS");
        assert!(e.message.contains("\"off\"") && e.message.contains("power loss"), "{e}");
    }

    #[test]
    fn a_metrics_token_is_a_real_secret_or_refused() {
        let load = |pairs: &[(&str, &str)]| Config::from_sources(&env(pairs), None, &Overrides::default(), no_files);
        assert!(load(&[]).unwrap().config.metrics_token.is_none(), "unset: /metrics stays open");
        let c = load(&[("EMBARK_METRICS_TOKEN", "0123456789abcdef0123")]).unwrap().config;
        assert_eq!(c.metrics_token.as_ref().map(Secret::expose), Some("0123456789abcdef0123"));
        assert!(!format!("{c:?}").contains("0123456789abcdef"), "the token is never printed");
        let e = load(&[("EMBARK_METRICS_TOKEN", "short")]).err().expect("too short");
        assert_eq!(e.setting, "EMBARK_METRICS_TOKEN");
        assert!(e.message.contains("16 characters"), "{e}");
    }

    #[test]
    fn flags_beat_env_which_beats_file() {
        let file = "bind = \"127.0.0.1:7000\"\nbase_url = \"https://file.example\"\nlog = \"debug\"";
        let e = env(&[("EMBARK_BIND", "127.0.0.1:7001"), ("EMBARK_BASE_URL", "https://env.example/")]);
        let flags = Overrides { bind: Some("127.0.0.1:7002".into()), ..Default::default() };
        let c = Config::from_sources(&e, Some(file), &flags, no_files).unwrap().config;
        assert_eq!(c.bind.to_string(), "127.0.0.1:7002");
        assert_eq!(c.base_url, "https://env.example");
        assert_eq!(c.log, "debug");
    }

    #[test]
    fn bad_values_name_the_setting() {
        let err = |pairs: &[(&str, &str)]| {
            Config::from_sources(&env(pairs), None, &Overrides::default(), no_files).err().expect("should fail")
        };
        let e = err(&[("EMBARK_DATABASE_URL", "mysql://x")]);
        assert_eq!(e.setting, "EMBARK_DATABASE_URL");
        assert!(e.to_string().contains("mysql"), "{e}");
        assert_eq!(err(&[("EMBARK_BIND", "localhost")]).setting, "EMBARK_BIND");
        assert_eq!(err(&[("EMBARK_BASE_URL", "example.com")]).setting, "EMBARK_BASE_URL");
        assert_eq!(err(&[("EMBARK_SMTP_URL", "http://x")]).setting, "EMBARK_SMTP_URL");
        assert_eq!(err(&[("EMBARK_TRUST_PROXY", "maybe")]).setting, "EMBARK_TRUST_PROXY");
        assert_eq!(err(&[("EMBARK_DEFAULT_TIME_ZONE", "Mars/Olympus")]).setting, "EMBARK_DEFAULT_TIME_ZONE");
        assert_eq!(err(&[("EMBARK_SMTP_URL_FILE", "/nope")]).setting, "EMBARK_SMTP_URL");
    }

    #[test]
    fn unknown_file_keys_are_errors_and_unknown_env_vars_warnings() {
        let e =
            Config::from_sources(&env(&[]), Some("colour = \"blue\""), &Overrides::default(), no_files).err().unwrap();
        assert_eq!(e.setting, "EMBARK_CONFIG");
        assert!(e.message.contains("colour"), "{e}");
        let loaded =
            Config::from_sources(&env(&[("EMBARK_COLOUR", "blue")]), None, &Overrides::default(), no_files).unwrap();
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].contains("EMBARK_COLOUR"));
    }

    #[test]
    fn secrets_come_from_files_and_are_redacted() {
        let read = |p: &str| {
            if p == "/run/secrets/smtp" {
                Ok("smtp://u:hunter2@mail.example\n".to_string())
            } else {
                no_files(p)
            }
        };
        let c = Config::from_sources(
            &env(&[("EMBARK_SMTP_URL_FILE", "/run/secrets/smtp")]),
            None,
            &Overrides::default(),
            read,
        )
        .unwrap()
        .config;
        assert_eq!(c.smtp_url.as_ref().unwrap().expose(), "smtp://u:hunter2@mail.example");
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}

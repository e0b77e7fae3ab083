//! The `embark` command line: `serve`, `worker`, `migrate`, `user create`.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use embark_core::{Locale, Role};

use crate::app::{open_store, transport_for, Application};
use crate::config::{Config, ConfigError, Overrides};
use crate::state::AppState;

#[derive(Parser, Debug)]
#[command(name = "embark", version, about = "Embark: onboarding for clients and new employees")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (with a job worker inside).
    Serve {
        /// Create a demo workspace with sample accounts (printed on start-up).
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        settings: Overrides,
    },
    /// Run a job worker alone (emails, reminders), beside one or more servers.
    Worker {
        #[command(flatten)]
        settings: Overrides,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        settings: Overrides,
    },
    /// Write a consistent copy of the running SQLite database to FILE (PostgreSQL: says how to use pg_dump).
    Backup {
        /// The copy to write; it must not exist.
        file: PathBuf,
        #[command(flatten)]
        settings: Overrides,
    },
    /// Put a backup made by `embark backup` in place, into an empty data directory.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        settings: Overrides,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check, import and export playbooks.
    Playbook {
        #[command(subcommand)]
        command: PlaybookCommand,
    },
    /// Check, import and export courses of the learning space.
    Course {
        #[command(subcommand)]
        command: CourseCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum CourseCommand {
    /// Check course files without writing anything: one `FILE:LINE:COL: message` per problem.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Import a course file into a workspace (a new version if its key exists in that language). All or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        workspace: String,
        /// The key that pairs languages and that gates name (`certified:KEY`); defaults to the title turned into an id.
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        settings: Overrides,
    },
    /// Print a course's document exactly as imported.
    Export {
        /// The course's key.
        key: String,
        #[arg(long)]
        workspace: String,
        /// `fr` or `en`.
        #[arg(long)]
        language: String,
        /// A version number (default: the latest).
        #[arg(long)]
        version: Option<i64>,
        #[command(flatten)]
        settings: Overrides,
    },
}

#[derive(Subcommand, Debug)]
pub enum PlaybookCommand {
    /// Check playbook files without writing anything: one `FILE:LINE:COL: message` per problem.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Import a playbook file into a workspace's library (a new version if its key exists). All or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        workspace: String,
        /// The key that pairs languages (defaults to the title turned into an id).
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        settings: Overrides,
    },
    /// Print a playbook's document exactly as imported.
    Export {
        /// The playbook's id (shown in its page's address).
        id: String,
        /// A version number (default: the latest).
        #[arg(long)]
        version: Option<i64>,
        #[command(flatten)]
        settings: Overrides,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account with a password (the first admin, say). Creates the workspace if needed.
    Create {
        /// Workspace name (created if it does not exist).
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        email: String,
        /// admin, account_manager, manager or coach.
        #[arg(long)]
        role: String,
        /// Display name (defaults to the part of the email before the @).
        #[arg(long)]
        name: Option<String>,
        /// fr or en.
        #[arg(long, default_value = "fr")]
        locale: String,
        /// Read the password from this file instead of a prompt ("-" for standard input).
        #[arg(long)]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        settings: Overrides,
    },
}

/// A failure to report on one line, with the exit status to use.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure { message: e.to_string(), code: 2 }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure { message: format!("{e:#}"), code: 1 }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("embark: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("embark: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn load(settings: &Overrides) -> Result<Config, Failure> {
    let loaded = Config::load(settings)?;
    init_logging(&loaded.config.log)?;
    for w in &loaded.warnings {
        tracing::warn!("{w}");
    }
    Ok(loaded.config)
}

fn init_logging(filter: &str) -> Result<(), ConfigError> {
    let targets: tracing_subscriber::filter::Targets =
        filter.parse().map_err(|e| ConfigError::new("EMBARK_LOG", format!("{filter:?} is not a log filter: {e}")))?;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(targets)
        .try_init();
    Ok(())
}

pub async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Playbook { command } => playbook(command).await,
        Command::Course { command } => course(command).await,
        Command::Serve { demo, settings } => serve(&settings, demo).await,
        Command::Worker { settings } => {
            let config = load(&settings)?;
            let store = open_store(&config).await?;
            let transport = transport_for(&config)?;
            let state = AppState::new(store, config, transport)?;
            let stop = shutdown_signal();
            tracing::info!("worker started");
            crate::jobs::Worker::new(state).run_until_stopped(stop).await;
            Ok(())
        }
        Command::Backup { file, settings } => {
            let config = load(&settings)?;
            if crate::backup::sqlite_file(&config).is_none() {
                return Err(Failure { message: crate::backup::BackupError::Postgres.to_string(), code: 2 });
            }
            let store = open_store(&config).await?;
            let bytes =
                crate::backup::backup(&store, &file).await.map_err(|e| Failure { message: e.to_string(), code: 2 })?;
            println!("backed up to {} ({} KiB)", file.display(), bytes.div_ceil(1024));
            Ok(())
        }
        Command::Restore { file, settings } => {
            let config = load(&settings)?;
            crate::backup::restore(&config, &file).await.map_err(|e| Failure { message: e.to_string(), code: 2 })?;
            println!(
                "restored {} into {}",
                file.display(),
                crate::backup::sqlite_file(&config).unwrap_or_default().display()
            );
            Ok(())
        }
        Command::Migrate { settings } => {
            let config = load(&settings)?;
            open_store(&config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::User {
            command: UserCommand::Create { workspace, email, role, name, locale, password_file, settings },
        } => {
            let role: Role = role.parse().map_err(|e: embark_core::accounts::role::UnknownRole| Failure {
                message: format!("--role: {e}"),
                code: 2,
            })?;
            if role.signs_in_with_link() {
                return Err(Failure {
                    message: format!("--role: {role} signs in with an emailed link; invite them from the People page"),
                    code: 2,
                });
            }
            let locale: Locale = locale.parse().map_err(|e: embark_core::locale::UnsupportedLocale| Failure {
                message: format!("--locale: {e}"),
                code: 2,
            })?;
            let password = read_password(password_file.as_ref())?;
            let config = load(&settings)?;
            let store = open_store(&config).await?;
            let transport = transport_for(&config)?;
            let state = AppState::new(store, config, transport)?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let user = crate::accounts::service::create_user_with_password(
                &state, &workspace, &email, &name, role, &password, locale,
            )
            .await?;
            println!("created {} ({}) in workspace {workspace:?}", user.email, user.role);
            Ok(())
        }
    }
}

/// A document file's text, or why it cannot be read (`FILE:LINE:COL: not UTF-8 text`).
fn read_text(file: &std::path::Path) -> Result<String, Failure> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| Failure { message: format!("{name}: cannot read: {e}"), code: 2 })?;
    embark_core::playbooks::limits::utf8_text(&bytes)
        .map(str::to_string)
        .map_err(|d| Failure { message: format!("{name}:{d}"), code: 2 })
}

/// Checks document files: `FILE: ok (summary)` or one `FILE:LINE:COL: message` per
/// problem, and fails when any file has one.
fn check_files(
    files: &[PathBuf],
    what: &str,
    check: impl Fn(&str) -> Result<String, Vec<embark_core::playbooks::Diagnostic>>,
) -> Result<(), Failure> {
    let mut failed = false;
    for file in files {
        let name = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                println!("{name}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        let text = match embark_core::playbooks::limits::utf8_text(&bytes) {
            Ok(t) => t,
            Err(d) => {
                println!("{name}:{d}");
                failed = true;
                continue;
            }
        };
        match check(text) {
            Ok(summary) => println!("{name}: ok ({summary})"),
            Err(diags) => {
                failed = true;
                for d in diags {
                    println!("{name}:{d}");
                }
            }
        }
    }
    if failed {
        Err(Failure { message: format!("some {what} have errors"), code: 1 })
    } else {
        Ok(())
    }
}

/// Adds the built-in courses and playbooks that each workspace lacks (at start-up),
/// courses first: the built-in playbooks' gates name them.
async fn install_builtins_everywhere(state: &AppState) -> anyhow::Result<()> {
    let ids = embark_store::accounts::workspaces::all_ids(&mut state.store.db()).await?;
    for ws in ids.iter().filter_map(|id| id.parse().ok()) {
        crate::learning::service::install_builtins(state, ws)
            .await
            .map_err(|e| anyhow::anyhow!("installing the built-in courses: {e}"))?;
        crate::playbooks::service::install_builtins(state, ws)
            .await
            .map_err(|e| anyhow::anyhow!("installing the built-in playbooks: {e}"))?;
    }
    Ok(())
}

async fn workspace_named(state: &AppState, name: &str) -> Result<embark_core::WorkspaceId, Failure> {
    Ok(embark_store::accounts::workspaces::find_by_name(&mut state.store.db(), name)
        .await
        .map_err(|e| anyhow::anyhow!(e))?
        .ok_or_else(|| Failure { message: format!("--workspace: no workspace named {name:?}"), code: 2 })?
        .id)
}

async fn course(command: CourseCommand) -> Result<(), Failure> {
    match command {
        CourseCommand::Check { files } => check_files(&files, "courses", |text| {
            embark_core::learning::parse(text).map(|c| {
                let questions: usize = c
                    .modules
                    .iter()
                    .filter_map(|m| m.quiz.as_ref())
                    .chain(c.exam.as_ref())
                    .map(|q| q.questions.len())
                    .sum();
                format!("{}, {} modules, {} questions", c.title, c.modules.len(), questions)
            })
        }),
        CourseCommand::Import { file, workspace, key, settings } => {
            let name = file.display().to_string();
            let text = read_text(&file)?;
            let state = open_state(&settings).await?;
            let ws = workspace_named(&state, &workspace).await?;
            use crate::playbooks::service::ImportError;
            match crate::learning::service::import(&state, ws, None, key.as_deref(), &text, false).await {
                Ok(out) => {
                    println!(
                        "{name}: {} (course {}, version {})",
                        out.what.as_str(),
                        out.course.key,
                        out.version.number
                    );
                    Ok(())
                }
                Err(ImportError::Invalid(diags)) => {
                    for d in diags {
                        println!("{name}:{d}");
                    }
                    Err(Failure { message: format!("{name}: nothing imported"), code: 1 })
                }
                Err(ImportError::BadKey) => {
                    Err(Failure { message: "--key: use lower-case letters, digits and dashes".into(), code: 2 })
                }
                Err(ImportError::Other(e)) => Err(anyhow::anyhow!("{e}").into()),
            }
        }
        CourseCommand::Export { key, workspace, language, version, settings } => {
            let state = open_state(&settings).await?;
            let ws = workspace_named(&state, &workspace).await?;
            let language: embark_core::Locale =
                language.parse().map_err(|_| Failure { message: "--language: `fr` or `en`".into(), code: 2 })?;
            let db = &mut state.store.db();
            let row = embark_store::learning::find_by_key(db, ws, &key, language)
                .await
                .map_err(|e| anyhow::anyhow!(e))?
                .ok_or_else(|| Failure { message: format!("no course {key} in {language}"), code: 1 })?;
            let number = version.unwrap_or(row.latest_version);
            let v = embark_store::learning::version_by_number(db, ws, row.id, number)
                .await
                .map_err(|e| anyhow::anyhow!(e))?
                .ok_or_else(|| Failure {
                    message: format!("--version: course {key} has no version {number}"),
                    code: 1,
                })?;
            use std::io::Write;
            std::io::stdout().write_all(v.source.as_bytes()).map_err(|e| anyhow::anyhow!(e))?;
            Ok(())
        }
    }
}

async fn playbook(command: PlaybookCommand) -> Result<(), Failure> {
    match command {
        PlaybookCommand::Check { files } => check_files(&files, "playbooks", |text| {
            embark_core::playbooks::parse(text).map(|pb| format!("{}, {} steps", pb.title, pb.steps().count()))
        }),
        PlaybookCommand::Import { file, workspace, key, settings } => {
            let name = file.display().to_string();
            let text = read_text(&file)?;
            let state = open_state(&settings).await?;
            let ws = workspace_named(&state, &workspace).await?;
            use crate::playbooks::service::{import, ImportError};
            match import(&state, ws, None, key.as_deref(), &text, false).await {
                Ok(out) => {
                    println!(
                        "{}: {} (playbook {}, version {})",
                        name,
                        out.what.as_str(),
                        out.playbook,
                        out.version.number
                    );
                    Ok(())
                }
                Err(ImportError::Invalid(diags)) => {
                    for d in diags {
                        println!("{name}:{d}");
                    }
                    Err(Failure { message: format!("{name}: nothing imported"), code: 1 })
                }
                Err(ImportError::BadKey) => {
                    Err(Failure { message: "--key: use lower-case letters, digits and dashes".into(), code: 2 })
                }
                Err(ImportError::Other(e)) => Err(anyhow::anyhow!("{e}").into()),
            }
        }
        PlaybookCommand::Export { id, version, settings } => {
            let state = open_state(&settings).await?;
            let not_found = || Failure { message: format!("no playbook {id}"), code: 1 };
            let pid: embark_core::PlaybookId = id.parse().map_err(|_| not_found())?;
            let pool = &mut state.store.db();
            let ws = embark_store::playbooks::workspace_of(pool, pid)
                .await
                .map_err(|e| anyhow::anyhow!(e))?
                .ok_or_else(not_found)?;
            let row = embark_store::playbooks::get(pool, ws, pid)
                .await
                .map_err(|e| anyhow::anyhow!(e))?
                .ok_or_else(not_found)?;
            let number = version.unwrap_or(row.latest_version);
            let v = embark_store::playbooks::version_by_number(pool, ws, pid, number)
                .await
                .map_err(|e| anyhow::anyhow!(e))?
                .ok_or_else(|| Failure {
                    message: format!("--version: playbook {id} has no version {number}"),
                    code: 1,
                })?;
            use std::io::Write;
            std::io::stdout().write_all(v.source.as_bytes()).map_err(|e| anyhow::anyhow!(e))?;
            Ok(())
        }
    }
}

async fn open_state(settings: &Overrides) -> Result<AppState, Failure> {
    let config = load(settings)?;
    let store = open_store(&config).await?;
    let transport = transport_for(&config)?;
    Ok(AppState::new(store, config, transport)?)
}

fn read_password(file: Option<&PathBuf>) -> Result<String, Failure> {
    let fail = |m: String| Failure { message: m, code: 2 };
    let raw = match file {
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| fail(format!("--password-file: cannot read standard input: {e}")))?;
            s
        }
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| fail(format!("--password-file: cannot read {}: {e}", p.display())))?,
        None => {
            let first =
                rpassword::prompt_password("Password: ").map_err(|e| fail(format!("cannot read the password: {e}")))?;
            let again =
                rpassword::prompt_password("Again: ").map_err(|e| fail(format!("cannot read the password: {e}")))?;
            if first != again {
                return Err(fail("the two passwords differ".into()));
            }
            first
        }
    };
    Ok(raw.trim_end_matches(['\n', '\r']).to_string())
}

async fn serve(settings: &Overrides, demo: bool) -> Result<(), Failure> {
    let config = load(settings)?;
    let bind = config.bind;
    let store = open_store(&config).await?;
    let transport = transport_for(&config)?;
    let mail = match &transport {
        crate::email::Transport::Outbox(dir) => format!("emails go to the outbox {}", dir.display()),
        _ => "emails go through SMTP".to_string(),
    };
    let state = AppState::new(store, config, transport)?;
    let demo_lines = if demo { crate::demo::seed(&state).await? } else { Vec::new() };
    install_builtins_everywhere(&state).await?;
    let app = Application::bind(state, bind, true).await?;
    let stop = shutdown_signal();
    println!("Embark is listening on http://{} ({mail})", app.local_addr());
    for line in demo_lines {
        println!("{line}");
    }
    app.run_until_stopped(stop).await?;
    Ok(())
}

/// Resolves when the signal arrives; never when its handler could not be installed.
#[cfg(unix)]
async fn received(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not
/// when the future is first polled: a signal that arrives while the server or the
/// worker is still starting (or busy with its first jobs) is a clean stop, not the
/// default action that kills the process.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let stops = {
        use tokio::signal::unix::{signal, SignalKind};
        [SignalKind::interrupt(), SignalKind::terminate()].map(|kind| signal(kind).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let [int, term] = stops;
            tokio::select! { _ = received(int) => {}, _ = received(term) => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

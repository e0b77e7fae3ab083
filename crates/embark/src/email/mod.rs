//! Outgoing email: rendered from templates in the recipient's language, with a
//! text and an HTML part, and handed to SMTP, the outbox directory, or (in tests) memory.

pub mod deliver;
pub mod outbox;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use askama::Template;
use embark_core::{EmailId, Locale};
use lettre::message::header::ContentTransferEncoding;
use lettre::message::{header, Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::i18n::Tr;

/// A rendered email, ready to send.
#[derive(Clone, Debug)]
pub struct Email {
    pub id: EmailId,
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// What it is (e.g. `sign_in_link`), for the outbox list.
    pub kind: &'static str,
    pub locale: Locale,
    /// A calendar invitation (`.ics`, METHOD:REQUEST) sent with the message.
    pub calendar: Option<String>,
}

/// Where email goes.
#[derive(Clone)]
pub enum Transport {
    /// One `.eml` file per message in a directory (the default without SMTP).
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Kept in memory, for tests.
    Memory(Arc<Mutex<Vec<Email>>>),
}

impl Transport {
    pub fn smtp(url: &str) -> anyhow::Result<Transport> {
        let t =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).context("EMBARK_SMTP_URL is not a valid SMTP URL")?;
        Ok(Transport::Smtp(t.build()))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Transport::Outbox(_) => "outbox",
            Transport::Smtp(_) => "smtp",
            Transport::Memory(_) => "memory",
        }
    }

    /// Sends one email. For the outbox, returns the file name written.
    #[tracing::instrument(skip_all, fields(transport = self.name()))]
    pub async fn send(&self, from: &Mailbox, email: &Email) -> anyhow::Result<Option<String>> {
        match self {
            Transport::Memory(sink) => {
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(email.clone());
                Ok(None)
            }
            Transport::Outbox(dir) => {
                let message = build_message(from, email)?;
                tokio::fs::create_dir_all(dir).await.with_context(|| format!("creating outbox {}", dir.display()))?;
                let file = format!("{}.eml", email.id);
                let path = dir.join(&file);
                // Write then rename, so that a reader never sees half a message.
                let tmp = dir.join(format!(".{file}.tmp"));
                tokio::fs::write(&tmp, message.formatted()).await.context("writing outbox file")?;
                tokio::fs::rename(&tmp, &path).await.context("renaming outbox file")?;
                Ok(Some(file))
            }
            Transport::Smtp(smtp) => {
                let message = build_message(from, email)?;
                smtp.send(message).await.context("SMTP server refused the message")?;
                Ok(None)
            }
        }
    }
}

fn build_message(from: &Mailbox, email: &Email) -> anyhow::Result<Message> {
    let to: Mailbox = format!("{} <{}>", email.to_name.replace(['<', '>', '"'], ""), email.to)
        .parse()
        .or_else(|_| email.to.parse())
        .context("recipient address")?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&email.subject)
        .message_id(Some(format!("<{}@embark>", email.id)))
        .multipart(body_parts(email)?)
        .context("building the message")
}

/// Text and HTML as alternatives; with an invitation, the calendar part too (calendar
/// clients read it inline) and the same as an `invite.ics` attachment (for the others).
fn body_parts(email: &Email) -> anyhow::Result<MultiPart> {
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(header::ContentType::TEXT_PLAIN).body(readable_body(&email.text)))
        .singlepart(SinglePart::builder().header(header::ContentType::TEXT_HTML).body(readable_body(&email.html)));
    let Some(ics) = &email.calendar else { return Ok(alternative) };
    let calendar_type = header::ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
        .map_err(|e| anyhow::anyhow!("calendar content type: {e}"))?;
    let alternative =
        alternative.singlepart(SinglePart::builder().header(calendar_type.clone()).body(Body::new(ics.clone())));
    Ok(MultiPart::mixed().multipart(alternative).singlepart(
        lettre::message::Attachment::new("invite.ics".to_string()).body(Body::new(ics.clone()), calendar_type),
    ))
}

/// A body sent as 8bit (readable as is) when its lines allow it, else in the
/// encoding lettre picks (quoted-printable or base64).
fn readable_body(text: &str) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    Body::new_with_encoding(crlf, ContentTransferEncoding::EightBit).unwrap_or_else(Body::new)
}

/// Wraps the lines of a plain-text email at 72 columns, between words (a long
/// word, such as a link, stays whole on its own line).
pub fn wrap_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 60);
    for line in text.split('\n') {
        let mut width = 0;
        for (i, word) in line.split(' ').enumerate() {
            let w = word.chars().count();
            if i > 0 {
                if width > 0 && width + 1 + w > 72 {
                    out.push('\n');
                    width = 0;
                } else {
                    out.push(' ');
                    width += 1;
                }
            }
            out.push_str(word);
            width += w;
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// Extracts and decodes the text part of an `.eml` written by the outbox, for the admin's outbox page.
pub fn text_part(eml: &str) -> Option<String> {
    let start = eml.find("Content-Type: text/plain")?;
    let rest = &eml[start..];
    let header_end = rest.find("\r\n\r\n").map(|i| (i, i + 4)).or_else(|| rest.find("\n\n").map(|i| (i, i + 2)))?;
    let headers = rest[..header_end.0].to_ascii_lowercase();
    let body = &rest[header_end.1..];
    let end = body.find("\r\n--").or_else(|| body.find("\n--")).unwrap_or(body.len());
    let body = &body[..end];
    let decoded = if headers.contains("content-transfer-encoding: base64") {
        use base64::Engine as _;
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).ok()?).ok()?
    } else if headers.contains("content-transfer-encoding: quoted-printable") {
        decode_quoted_printable(body)?
    } else {
        body.to_string()
    };
    Some(decoded.replace("\r\n", "\n"))
}

fn decode_quoted_printable(body: &str) -> Option<String> {
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The body of a link email (sign-in link or invitation).
#[derive(Template)]
#[template(path = "email/link.txt")]
struct LinkText<'a> {
    c: &'a LinkEmail,
}

#[derive(Template)]
#[template(path = "email/link.html")]
struct LinkHtml<'a> {
    c: &'a LinkEmail,
}

/// What a link email says, already translated.
pub struct LinkEmail {
    pub lang: &'static str,
    pub greeting: String,
    pub intro: String,
    pub action: String,
    pub url: String,
    pub expiry: String,
    pub ignore: String,
    pub signature: String,
}

pub fn render_link_email(
    tr: Tr,
    kind: &'static str,
    to: &str,
    to_name: &str,
    workspace: &str,
    url: String,
    expiry_hours: i64,
) -> anyhow::Result<Email> {
    let prefix = if kind == "invitation" { "email-invitation" } else { "email-sign-in" };
    let content = LinkEmail {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", to_name)]),
        intro: tr.t_args(&format!("{prefix}-intro"), &[("workspace", workspace)]),
        action: tr.t(&format!("{prefix}-action")),
        url,
        expiry: tr.t_count("email-link-expiry", expiry_hours),
        ignore: tr.t("email-ignore"),
        signature: tr.t("email-signature"),
    };
    Ok(Email {
        id: EmailId::new(),
        to: to.to_string(),
        to_name: to_name.to_string(),
        subject: tr.t_args(&format!("{prefix}-subject"), &[("workspace", workspace)]),
        text: wrap_text(&LinkText { c: &content }.render()?),
        html: LinkHtml { c: &content }.render()?,
        kind,
        locale: tr.locale,
        calendar: None,
    })
}

/// A short notice: a greeting, a few paragraphs, one action.
#[derive(Template)]
#[template(path = "email/notice.txt")]
struct NoticeText<'a> {
    c: &'a Notice,
}

#[derive(Template)]
#[template(path = "email/notice.html")]
struct NoticeHtml<'a> {
    c: &'a Notice,
}

pub struct Notice {
    pub lang: &'static str,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub action: String,
    pub url: String,
    pub signature: String,
}

/// The colon after a label, as the language writes it (French puts a no-break space before it).
fn colon(lang: &str) -> String {
    Tr::new(lang.parse().unwrap_or(Locale::En)).t("punct-colon")
}

impl LinkEmail {
    pub fn colon(&self) -> String {
        colon(self.lang)
    }
}

impl Notice {
    pub fn colon(&self) -> String {
        colon(self.lang)
    }

    pub fn into_email(
        self,
        kind: &'static str,
        locale: Locale,
        to: &str,
        to_name: &str,
        subject: String,
    ) -> anyhow::Result<Email> {
        Ok(Email {
            id: EmailId::new(),
            to: to.to_string(),
            to_name: to_name.to_string(),
            subject,
            text: wrap_text(&NoticeText { c: &self }.render()?),
            html: NoticeHtml { c: &self }.render()?,
            kind,
            locale,
            calendar: None,
        })
    }
}

/// "Due tomorrow" or "overdue" about one item of an engagement.
#[allow(clippy::too_many_arguments)]
pub fn render_reminder(
    tr: Tr,
    kind: embark_core::engagements::ReminderKind,
    to: &str,
    to_name: &str,
    item: &str,
    engagement: &str,
    due_at: embark_core::Timestamp,
    time_zone: &str,
    url: String,
) -> anyhow::Result<Email> {
    let prefix = match kind {
        embark_core::engagements::ReminderKind::DueSoon => "email-due-soon",
        embark_core::engagements::ReminderKind::Overdue => "email-overdue",
    };
    let due = tr.datetime(due_at, time_zone);
    let notice = Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", to_name)]),
        paragraphs: vec![
            tr.t_args(&format!("{prefix}-body"), &[("item", item), ("engagement", engagement), ("due", &due)])
        ],
        action: tr.t("email-open-engagement"),
        url,
        signature: tr.t("email-signature"),
    };
    let subject = tr.t_args(&format!("{prefix}-subject"), &[("item", item), ("engagement", engagement)]);
    notice.into_email(
        if prefix == "email-due-soon" { "reminder_due_soon" } else { "reminder_overdue" },
        tr.locale,
        to,
        to_name,
        subject,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_emails_exist_in_both_languages_with_both_parts() {
        for locale in Locale::ALL {
            let e = render_link_email(
                Tr::new(locale),
                "sign_in_link",
                "a@b.co",
                "Anne <x>",
                "Acme",
                "https://e.x/auth/link/T0K".into(),
                24,
            )
            .unwrap();
            assert!(e.text.contains("https://e.x/auth/link/T0K"));
            assert!(e.html.contains("href=\"https://e.x/auth/link/T0K\""));
            assert!(e.html.contains("Anne &#60;x&#62;") || e.html.contains("Anne &lt;x&gt;"), "{}", e.html);
            assert!(!e.subject.contains("email-"));
        }
        let fr =
            render_link_email(Tr::new(Locale::Fr), "invitation", "a@b.co", "Anne", "Acme", "u".into(), 72).unwrap();
        assert!(fr.subject.contains("Acme"));
        assert!(fr.text.contains("Bonjour Anne"), "{}", fr.text);
    }

    #[tokio::test]
    async fn the_outbox_writes_a_readable_eml() {
        let dir = std::env::temp_dir().join(format!("embark-outbox-{}", uuid::Uuid::new_v4()));
        let t = Transport::Outbox(dir.clone());
        let e =
            render_link_email(Tr::new(Locale::Fr), "sign_in_link", "a@b.co", "Anne", "Acme", "https://x/é".into(), 24)
                .unwrap();
        let file = t.send(&"Embark <e@x.co>".parse().unwrap(), &e).await.unwrap().unwrap();
        let eml = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(eml.contains("multipart/alternative"));
        assert!(text_part(&eml).unwrap().contains("https://x/é"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[cfg(test)]
mod snapshot_tests {
    use super::*;
    use crate::snapshot::assert_snapshot;
    use embark_core::engagements::ReminderKind;

    fn shown(e: &Email) -> String {
        format!("To: {} <{}>\nSubject: {}\n\n{}", e.to_name, e.to, e.subject, e.text)
    }

    /// Sign-in links, invitations and both reminders, in both languages, reviewed as text.
    #[test]
    fn every_link_and_reminder_email_matches_its_reviewed_text_in_both_languages() {
        for locale in Locale::ALL {
            let tr = Tr::new(locale);
            for kind in ["sign_in_link", "invitation"] {
                let e = render_link_email(
                    tr,
                    kind,
                    "claire.dubois@dubois-sa.example",
                    "Claire Dubois",
                    "Cabinet Martin & Associés",
                    "https://embark.example/auth/link/TOKEN".into(),
                    72,
                )
                .unwrap();
                assert_snapshot(&format!("email_{kind}_{}.txt", locale.code()), &shown(&e));
            }
            for (kind, name) in [(ReminderKind::DueSoon, "due_soon"), (ReminderKind::Overdue, "overdue")] {
                let e = render_reminder(
                    tr,
                    kind,
                    "thomas.bernard@cabinet-martin.example",
                    "Thomas Bernard",
                    "Client agrees to return the scorecard at least 24 h before",
                    "Directrice financière — Dubois SA",
                    embark_core::Timestamp::from_millis(1_796_115_600_000),
                    "Europe/Paris",
                    "https://embark.example/engagements/ID".into(),
                )
                .unwrap();
                assert_snapshot(&format!("email_reminder_{name}_{}.txt", locale.code()), &shown(&e));
            }
        }
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::*;

    #[test]
    fn text_is_wrapped_between_words_and_links_stay_whole() {
        let long = format!("{} https://example.com/{}", "mot ".repeat(30).trim(), "x".repeat(90));
        let wrapped = wrap_text(&long);
        assert!(wrapped.lines().all(|l| l.chars().count() <= 72 || !l.contains(' ')), "{wrapped}");
        assert!(wrapped.contains(&"x".repeat(90)));
        assert_eq!(wrapped.replace('\n', " "), long);
    }

    #[test]
    fn the_outbox_page_decodes_every_transfer_encoding() {
        for (encoding, body) in [
            ("8bit", "Voilà\r\nsuite"),
            ("quoted-printable", "Voil=C3=A0\r\nsui=\r\nte"),
            ("base64", "Vm9pbMOgDQpzdWl0ZQ=="),
        ] {
            let eml = format!("Subject: x\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{body}\r\n--b--");
            assert_eq!(text_part(&eml).as_deref(), Some("Voilà\nsuite"), "{encoding}");
        }
    }

    #[test]
    fn the_text_part_reads_back_whatever_encoding_lettre_chose() {
        // A link longer than 76 columns makes lettre pick quoted-printable or base64.
        let url = format!("https://embark.example.com/auth/link/{}", "T".repeat(43));
        let e =
            render_link_email(Tr::new(Locale::Fr), "sign_in_link", "c@client.test", "Claire", "Acme", url.clone(), 24)
                .unwrap();
        let m = build_message(&"Acme Search <hello@acme.test>".parse().unwrap(), &e).unwrap();
        let eml = String::from_utf8(m.formatted()).unwrap();
        let text = text_part(&eml).expect("a text part");
        assert_eq!(text.trim_end(), e.text.trim_end());
        assert!(text.contains(&url));
    }
}

/// What a reader sees of an email: its subject, its text part and the words of its HTML
/// part (tags left out, entities decoded).
#[cfg(test)]
pub(crate) fn readable_parts(email: &Email) -> [String; 3] {
    let mut words = String::new();
    let mut in_tag = false;
    for c in email.html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => words.push(c),
            _ => {}
        }
    }
    let mut decoded = String::new();
    let mut rest = words.as_str();
    while let Some(i) = rest.find('&') {
        decoded.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 8).unwrap_or(0);
        let entity = &rest[1..end.max(1)];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some('\u{a0}'),
            _ => entity.strip_prefix('#').and_then(|n| n.parse().ok()).and_then(char::from_u32),
        };
        match c {
            Some(c) if end > 0 => {
                decoded.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    [email.subject.clone(), email.text.clone(), decoded]
}

/// Each place where `text` breaks its language's spacing before `:` `;` `!` `?`. French
/// wants a no-break space (U+00A0) before `:` and a narrow one (U+202F) before the
/// others, so that the sign never starts a line; English wants no space at all. Links
/// (a word with `://`, `mailto:`) and times (10:30) are left alone.
#[cfg(test)]
pub(crate) fn punctuation_faults(locale: Locale, text: &str) -> Vec<String> {
    let mut faults = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let is_gap = |c: char| c.is_ascii_whitespace();
    for (i, &c) in chars.iter().enumerate() {
        if !matches!(c, ':' | ';' | '!' | '?') {
            continue;
        }
        let start = chars[..i].iter().rposition(|&c| is_gap(c)).map_or(0, |p| p + 1);
        let end = chars[i..].iter().position(|&c| is_gap(c)).map_or(chars.len(), |p| i + p);
        let word: String = chars[start..end].iter().collect();
        if word.contains("://") || word.starts_with("mailto:") {
            continue;
        }
        let before = i.checked_sub(1).map(|p| chars[p]);
        let after = chars.get(i + 1).copied();
        if c == ':' && before.is_some_and(|b| b.is_ascii_digit()) && after.is_some_and(|a| a.is_ascii_digit()) {
            continue;
        }
        let ok = match locale {
            Locale::Fr => before == Some(if c == ':' { '\u{a0}' } else { '\u{202f}' }),
            Locale::En => before.is_some_and(|b| !b.is_whitespace()),
        };
        if !ok {
            let from = i.saturating_sub(30);
            let context: String = chars[from..(i + 1).min(chars.len())].iter().collect();
            faults.push(format!("{before:?} before {c:?} in …{}", context.replace('\n', "⏎")));
        }
    }
    faults
}

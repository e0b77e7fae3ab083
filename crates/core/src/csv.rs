//! CSV as spreadsheet programs write it (RFC 4180): fields separated by `,` or `;`
//! (read from the header line), quoted with `"` when they hold a separator, a quote
//! (doubled) or a line break; lines end with LF or CRLF; a UTF-8 byte order mark is
//! skipped. Every field keeps its line and column, so that a problem is reported where
//! it is.

use crate::playbooks::Diagnostic;

/// One field and where it starts (1-based line and column, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub line: usize,
    pub col: usize,
    pub value: String,
}

/// One record: its fields, and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fields: Vec<Field>,
}

fn problem(line: usize, col: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic { line, col, message: message.into() }
}

/// The byte order mark that spreadsheet programs read as "this file is UTF-8".
pub const BOM: &str = "\u{feff}";

/// Appends one record to `out`, CRLF-terminated, each field quoted when it holds the
/// separator, a quote or a line break. A field that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is written with a
/// leading `'`, so that an exported name never runs as a formula.
pub fn write_row<S: AsRef<str>>(out: &mut String, separator: char, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        let f = field.as_ref();
        let guarded;
        let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) && f.parse::<f64>().is_err() {
            guarded = format!("'{f}");
            guarded.as_str()
        } else {
            f
        };
        if f.contains([separator, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

/// Splits a document into rows (empty lines skipped). The separator is `;` when the
/// first line has more `;` than `,` outside quotes, else `,`.
pub fn parse(text: &str) -> Result<Vec<Row>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() { ';' } else { ',' };
    let mut rows = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut value = String::new();
    let (mut line, mut col) = (1usize, 1usize);
    let (mut start_line, mut start_col) = (1usize, 1usize);
    let mut row_line = 1usize;
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    let mut row_started = false;
    while let Some(c) = chars.next() {
        if at_field_start {
            start_line = line;
            start_col = col;
            at_field_start = false;
            if !row_started {
                row_line = line;
                row_started = true;
            }
            if c == '"' {
                quoted = true;
                was_quoted = true;
                col += 1;
                continue;
            }
        }
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    value.push('"');
                    col += 2;
                }
                '"' => {
                    quoted = false;
                    col += 1;
                    match chars.peek() {
                        None | Some('\n') | Some('\r') => {}
                        Some(&next) if next == sep => {}
                        Some(_) => {
                            return Err(problem(
                                line,
                                col,
                                format!(
                                    "a quoted field ends here: put `{sep}` or a line break after the closing quote"
                                ),
                            ));
                        }
                    }
                }
                '\n' => {
                    value.push('\n');
                    line += 1;
                    col = 1;
                }
                c => {
                    value.push(c);
                    col += 1;
                }
            }
            continue;
        }
        match c {
            c if c == sep => {
                fields.push(Field { line: start_line, col: start_col, value: std::mem::take(&mut value) });
                was_quoted = false;
                col += 1;
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(Field { line: start_line, col: start_col, value: std::mem::take(&mut value) });
                let empty = fields.len() == 1 && fields[0].value.is_empty() && !was_quoted;
                if !empty {
                    rows.push(Row { line: row_line, fields: std::mem::take(&mut fields) });
                }
                fields.clear();
                was_quoted = false;
                line += 1;
                col = 1;
                at_field_start = true;
                row_started = false;
            }
            '"' => return Err(problem(line, col, "a quote inside a field that does not start with one: quote the whole field and double the quote (\"\")")),
            c => {
                value.push(c);
                col += 1;
            }
        }
    }
    if quoted {
        return Err(problem(start_line, start_col, "this quoted field is never closed"));
    }
    if row_started {
        fields.push(Field { line: start_line, col: start_col, value });
        let empty = fields.len() == 1 && fields[0].value.is_empty() && !was_quoted;
        if !empty {
            rows.push(Row { line: row_line, fields });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_rows_read_back_and_never_run_as_formulas() {
        let mut out = String::new();
        write_row(&mut out, ',', &["name", "score"]);
        write_row(&mut out, ',', &["Dubois, \"Claire\"", "-12"]);
        write_row(&mut out, ',', &["=HYPERLINK(\"x\")", "line\nbreak"]);
        assert_eq!(
            out,
            "name,score\r\n\"Dubois, \"\"Claire\"\"\",-12\r\n\"'=HYPERLINK(\"\"x\"\")\",\"line\nbreak\"\r\n"
        );
        let rows = parse(&out).unwrap();
        let values: Vec<Vec<String>> =
            rows.iter().map(|r| r.fields.iter().map(|f| f.value.clone()).collect()).collect();
        assert_eq!(values[1], ["Dubois, \"Claire\"", "-12"], "a number keeps its sign");
        assert_eq!(values[2], ["'=HYPERLINK(\"x\")", "line\nbreak"]);
        let mut semi = String::new();
        write_row(&mut semi, ';', &["a;b", "c,d"]);
        assert_eq!(semi, "\"a;b\";c,d\r\n");
    }

    fn values(rows: &[Row]) -> Vec<Vec<&str>> {
        rows.iter().map(|r| r.fields.iter().map(|f| f.value.as_str()).collect()).collect()
    }

    #[test]
    fn fields_keep_their_position_quotes_and_line_breaks() {
        let text = "\u{feff}score,answered_at,comment\r\n9,2026-01-05,\"Clear, and \"\"sharp\"\"\"\n\n10,2026-02-01,\"two\nlines\"\n7,2026-03-01,";
        let rows = parse(text).unwrap();
        assert_eq!(
            values(&rows),
            vec![
                vec!["score", "answered_at", "comment"],
                vec!["9", "2026-01-05", "Clear, and \"sharp\""],
                vec!["10", "2026-02-01", "two\nlines"],
                vec!["7", "2026-03-01", ""],
            ]
        );
        assert_eq!((rows[1].line, rows[1].fields[2].col), (2, 14));
        assert_eq!((rows[2].line, rows[3].line), (4, 6), "a quoted line break moves the lines on");
    }

    #[test]
    fn a_semicolon_header_means_semicolons() {
        let rows = parse("score;answered_at\n8;2026-01-05\n").unwrap();
        assert_eq!(values(&rows), vec![vec!["score", "answered_at"], vec!["8", "2026-01-05"]]);
    }

    #[test]
    fn broken_quotes_are_named_where_they_are() {
        let e = parse("a,b\n1,\"open\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
        assert!(e.message.contains("never closed"));
        let e = parse("a,b\n1,x\"y\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 4));
        let e = parse("a,b\n\"1\"x,2\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 4));
    }
}

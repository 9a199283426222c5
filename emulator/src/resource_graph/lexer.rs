//! Query text to tokens: names (with `!contains` and `in~` as one name),
//! string literals with backslash escapes, numbers, punctuation and the
//! comparison operators; `//` comments are skipped.

use super::query::QueryError;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Num(u64),
    Pipe,
    Comma,
    Dot,
    LParen,
    RParen,
    Assign,
    Cmp(&'static str),
}

pub(super) fn tokenize(src: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '|' {
            out.push(Tok::Pipe);
            i += 1;
        } else if c == ',' {
            out.push(Tok::Comma);
            i += 1;
        } else if c == '.' {
            out.push(Tok::Dot);
            i += 1;
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else if c == '\'' || c == '"' {
            let quote = c;
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(QueryError("a string literal is not terminated".into())),
                    Some('\\') => {
                        let e = chars.get(i + 1).ok_or_else(|| QueryError("a string literal is not terminated".into()))?;
                        s.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            other => *other,
                        });
                        i += 2;
                    }
                    Some(ch) if *ch == quote => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok::Num(text.parse().map_err(|_| QueryError(format!("the number {text} is too large")))?));
        } else if c == '=' || c == '!' {
            let next = chars.get(i + 1).copied();
            match (c, next) {
                ('=', Some('~')) => out.push(Tok::Cmp("=~")),
                ('=', Some('=')) => out.push(Tok::Cmp("==")),
                ('!', Some('~')) => out.push(Tok::Cmp("!~")),
                ('!', Some('=')) => out.push(Tok::Cmp("!=")),
                ('=', _) => {
                    out.push(Tok::Assign);
                    i += 1;
                    continue;
                }
                ('!', Some(n)) if n.is_ascii_alphabetic() => {
                    // `!contains` and friends: the bang is part of the operator's name.
                    let start = i;
                    i += 1;
                    while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    out.push(Tok::Ident(chars[start..i].iter().collect()));
                    continue;
                }
                _ => return Err(QueryError(format!("unexpected character '{c}'"))),
            }
            i += 2;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            // `in~`: the tilde belongs to the operator.
            if chars.get(i) == Some(&'~') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            return Err(QueryError(format!("unexpected character '{c}'")));
        }
    }
    Ok(out)
}

/// A token as an error message names it.
pub(super) fn show(t: Option<&Tok>) -> String {
    match t {
        None => "the end of the query".into(),
        Some(Tok::Ident(s)) => format!("'{s}'"),
        Some(Tok::Str(s)) => format!("the string '{s}'"),
        Some(Tok::Num(n)) => format!("the number {n}"),
        Some(Tok::Pipe) => "'|'".into(),
        Some(Tok::Comma) => "','".into(),
        Some(Tok::Dot) => "'.'".into(),
        Some(Tok::LParen) => "'('".into(),
        Some(Tok::RParen) => "')'".into(),
        Some(Tok::Assign) => "'='".into(),
        Some(Tok::Cmp(c)) => format!("'{c}'"),
    }
}

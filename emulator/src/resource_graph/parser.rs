//! Tokens to the syntax tree: the table name (ARG's default `Resources` may be
//! left out), then `| where`, `| project`, `| order by` / `sort by` and
//! `| limit` / `take`; anything else is a [`QueryError`].

use super::lexer::{show, tokenize, Tok};
use super::query::{CmpOp, Cond, Op, Query, QueryError};

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn ident(&mut self, what: &str) -> Result<String, QueryError> {
        match self.next() {
            Some(Tok::Ident(s)) => Ok(s),
            other => Err(QueryError(format!("expected {what}, found {}", show(other.as_ref())))),
        }
    }

    fn keyword(&mut self, kw: &str) -> Result<(), QueryError> {
        match self.next() {
            Some(Tok::Ident(s)) if s == kw => Ok(()),
            other => Err(QueryError(format!("expected '{kw}', found {}", show(other.as_ref())))),
        }
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == kw)
    }

    fn path(&mut self) -> Result<Vec<String>, QueryError> {
        let mut p = vec![self.ident("a column name")?];
        while self.peek() == Some(&Tok::Dot) {
            self.pos += 1;
            p.push(self.ident("a property name after '.'")?);
        }
        Ok(p)
    }

    fn string(&mut self) -> Result<String, QueryError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(s),
            other => Err(QueryError(format!("expected a string literal, found {}", show(other.as_ref())))),
        }
    }
}

/// Parses the supported subset; see the README for the grammar.
pub fn parse(src: &str) -> Result<Query, QueryError> {
    let mut p = Parser { toks: tokenize(src)?, pos: 0 };
    if p.peek().is_none() {
        return Err(QueryError("the query is empty".into()));
    }
    // `Resources` is ARG's default table and may be left out.
    match p.peek() {
        Some(Tok::Ident(t)) if t == "Resources" || t == "resources" => {
            p.pos += 1;
            if p.peek().is_some() && p.peek() != Some(&Tok::Pipe) {
                return Err(QueryError(format!("expected '|' after the table name, found {}", show(p.peek()))));
            }
        }
        Some(Tok::Ident(t)) if ["where", "project", "order", "sort", "limit", "take"].contains(&t.as_str()) => {
            p.toks.insert(0, Tok::Pipe);
        }
        Some(Tok::Ident(t)) => {
            return Err(QueryError(format!("the table '{t}' is not supported by the emulator (only Resources)")));
        }
        other => return Err(QueryError(format!("expected a table name, found {}", show(other)))),
    }
    let mut ops = Vec::new();
    while let Some(t) = p.next() {
        if t != Tok::Pipe {
            return Err(QueryError(format!("expected '|', found {}", show(Some(&t)))));
        }
        let op = p.ident("an operator after '|'")?;
        ops.push(match op.as_str() {
            "where" => {
                let mut conds = vec![cond(&mut p)?];
                while p.is_keyword("and") {
                    p.pos += 1;
                    conds.push(cond(&mut p)?);
                }
                Op::Where(conds)
            }
            "project" => {
                let mut items = Vec::new();
                loop {
                    let first = p.path()?;
                    let item = if p.peek() == Some(&Tok::Assign) {
                        if first.len() != 1 {
                            return Err(QueryError(format!("'{}' cannot be a column name", first.join("."))));
                        }
                        p.pos += 1;
                        (first[0].clone(), p.path()?)
                    } else {
                        (first.join("_"), first)
                    };
                    if items.iter().any(|(n, _): &(String, Vec<String>)| n == &item.0) {
                        return Err(QueryError(format!("the column '{}' is projected twice", item.0)));
                    }
                    items.push(item);
                    if p.peek() == Some(&Tok::Comma) {
                        p.pos += 1;
                    } else {
                        break;
                    }
                }
                Op::Project(items)
            }
            "order" | "sort" => {
                p.keyword("by")?;
                let mut keys = Vec::new();
                loop {
                    let path = p.path()?;
                    // KQL sorts descending unless told otherwise.
                    let asc = if p.is_keyword("asc") {
                        p.pos += 1;
                        true
                    } else {
                        if p.is_keyword("desc") {
                            p.pos += 1;
                        }
                        false
                    };
                    keys.push((path, asc));
                    if p.peek() == Some(&Tok::Comma) {
                        p.pos += 1;
                    } else {
                        break;
                    }
                }
                Op::Order(keys)
            }
            "limit" | "take" => match p.next() {
                Some(Tok::Num(n)) => Op::Limit(n as usize),
                other => return Err(QueryError(format!("expected a number after '{op}', found {}", show(other.as_ref())))),
            },
            other => return Err(QueryError(format!("the operator '{other}' is not supported by the emulator"))),
        });
        if let Some(t) = p.peek() {
            if t != &Tok::Pipe {
                return Err(QueryError(format!(
                    "unexpected {} (only 'and' joins conditions; 'or' and parentheses are not supported)",
                    show(Some(t))
                )));
            }
        }
    }
    Ok(Query { ops })
}

fn cond(p: &mut Parser) -> Result<Cond, QueryError> {
    let path = p.path()?;
    let op = match p.next() {
        Some(Tok::Cmp("==")) => CmpOp::Eq,
        Some(Tok::Cmp("!=")) => CmpOp::Ne,
        Some(Tok::Cmp("=~")) => CmpOp::EqCi,
        Some(Tok::Cmp("!~")) => CmpOp::NeCi,
        Some(Tok::Ident(s)) if s == "in" => CmpOp::In,
        Some(Tok::Ident(s)) if s == "in~" => CmpOp::InCi,
        Some(Tok::Ident(s)) if s == "contains" => CmpOp::Contains,
        Some(Tok::Ident(s)) if s == "!contains" => CmpOp::NotContains,
        Some(Tok::Ident(s)) if s == "startswith" => CmpOp::StartsWith,
        other => return Err(QueryError(format!("the comparison {} is not supported by the emulator", show(other.as_ref())))),
    };
    let values = if matches!(op, CmpOp::In | CmpOp::InCi) {
        if p.next() != Some(Tok::LParen) {
            return Err(QueryError("expected '(' after 'in'".into()));
        }
        let mut v = vec![p.string()?];
        while p.peek() == Some(&Tok::Comma) {
            p.pos += 1;
            v.push(p.string()?);
        }
        if p.next() != Some(Tok::RParen) {
            return Err(QueryError("expected ')' to close the 'in' list".into()));
        }
        v
    } else {
        vec![p.string()?]
    };
    Ok(Cond { path, op, values })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &str) -> Vec<String> {
        path.split('.').map(String::from).collect()
    }

    #[test]
    fn parses_the_fleet_query() {
        let q = parse(
            "Resources\n| where type =~ 'microsoft.containerregistry/registries'\n| project id, name, resourceGroup, subscriptionId, sku, identity, properties.encryption",
        )
        .unwrap();
        assert_eq!(q.ops.len(), 2);
        assert_eq!(
            q.ops[0],
            Op::Where(vec![Cond { path: p("type"), op: CmpOp::EqCi, values: vec!["microsoft.containerregistry/registries".into()] }])
        );
        let Op::Project(items) = &q.ops[1] else { panic!() };
        assert_eq!(items.last().unwrap(), &("properties_encryption".to_string(), p("properties.encryption")));
    }

    #[test]
    fn parses_aliases_in_lists_order_and_limit() {
        let q = parse("resources | where type in~ ('A', \"b\") and name !contains 'x' | project enc = properties.encryption, id | order by name asc, id | take 5").unwrap();
        let Op::Where(c) = &q.ops[0] else { panic!() };
        assert_eq!(c[0].op, CmpOp::InCi);
        assert_eq!(c[0].values, vec!["A".to_string(), "b".to_string()]);
        assert_eq!(c[1].op, CmpOp::NotContains);
        assert_eq!(q.ops[1], Op::Project(vec![("enc".into(), p("properties.encryption")), ("id".into(), p("id"))]));
        assert_eq!(q.ops[2], Op::Order(vec![(p("name"), true), (p("id"), false)]));
        assert_eq!(q.ops[3], Op::Limit(5));
    }

    #[test]
    fn refuses_what_it_cannot_evaluate() {
        for q in [
            "",
            "Resources | summarize count() by type",
            "Resources | where type =~ 'x' or name == 'y'",
            "Resources | where (type =~ 'x')",
            "ResourceContainers | where type =~ 'x'",
            "Resources | where type has 'x'",
            "Resources | extend a = 1",
            "Resources | where name == 'unterminated",
            "Resources | where type =~ 'x' | join (Resources) on id",
            "Resources | project a.b = id",
        ] {
            assert!(parse(q).is_err(), "{q:?} should be refused");
        }
    }
}

//! The syntax tree of the KQL subset the emulator runs (the grammar is in
//! emulator/README.md, "Resource Graph"), and why a query is refused.

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub ops: Vec<Op>,
}

impl Query {
    /// The one resource type a query starts by keeping (`where type =~ '…'` first), so the
    /// table need not build the other types' rows (a fleet's registries are the costly ones).
    pub fn only_type(&self) -> Option<&str> {
        match self.ops.first()? {
            Op::Where(conds) => {
                conds.iter().find(|c| c.path == ["type"] && c.op == CmpOp::EqCi && c.values.len() == 1).map(|c| c.values[0].as_str())
            }
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Where(Vec<Cond>),
    /// (output column, source path)
    Project(Vec<(String, Vec<String>)>),
    /// (path, ascending)
    Order(Vec<(Vec<String>, bool)>),
    Limit(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub path: Vec<String>,
    pub op: CmpOp,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==` (case-sensitive)
    Eq,
    /// `!=`
    Ne,
    /// `=~` (case-insensitive)
    EqCi,
    /// `!~`
    NeCi,
    /// `in (…)`
    In,
    /// `in~ (…)`
    InCi,
    /// `contains` (case-insensitive substring)
    Contains,
    /// `!contains`
    NotContains,
    /// `startswith` (case-insensitive)
    StartsWith,
}

/// Why a query is refused; becomes ARG's `InvalidQuery` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError(pub String);

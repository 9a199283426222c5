//! The syntax tree of the KQL subset the emulator runs (the grammar is in
//! emulator/README.md, "Resource Graph"), and why a query is refused.

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub ops: Vec<Op>,
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
